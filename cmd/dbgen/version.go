package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

const modulePath = "github.com/dbgen-dev/dbgen"

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of dbgen and of the tools it runs",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintln(cmd.OutOrStdout(), versionText())
		},
	}
}

func versionText() string {
	version, deps := "(devel)", map[string]string{}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Path == modulePath && bi.Main.Version != "" {
			version = bi.Main.Version
		}
		for _, d := range bi.Deps {
			deps[d.Path] = d.Version
			if d.Path == modulePath {
				version = d.Version
			}
		}
	}
	return fmt.Sprintf("dbgen %s (sqlc %s, atlas %s, sqlite driver %s)", version,
		or(deps["github.com/sqlc-dev/sqlc"]), or(deps["ariga.io/atlas"]), or(deps["github.com/ncruces/go-sqlite3"]))
}

func or(v string) string {
	if v == "" {
		return "unknown"
	}
	return v
}
