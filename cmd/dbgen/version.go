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
		Long: `version prints dbgen's version, as dbgen --version does, and the versions of
sqlc, Atlas and the SQLite driver linked into it.`,
		Example: `  dbgen version
  dbgen --version`,
		Args: cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintln(cmd.OutOrStdout(), versionText())
		},
	}
}

// versionText is the line of dbgen version: dbgen's version and those of
// the tools linked into it.
func versionText() string {
	bi, _ := debug.ReadBuildInfo()
	deps := map[string]string{}
	if bi != nil {
		for _, d := range bi.Deps {
			deps[d.Path] = d.Version
			if d.Replace != nil && d.Replace.Version != "" {
				deps[d.Path] = d.Replace.Version
			}
		}
	}
	return fmt.Sprintf("dbgen %s (sqlc %s, atlas %s, sqlite driver %s)", buildVersion(bi),
		or(deps["github.com/sqlc-dev/sqlc"]), or(deps["ariga.io/atlas"]), or(deps["github.com/ncruces/go-sqlite3"]))
}

// buildVersion is dbgen's version as its build recorded it: the module
// version (a release, or the pseudo-version go build derives from the
// commit), "(devel)" when there is none (a build of a checkout with
// -buildvcs=false, or through a replace by a folder), then the VCS revision
// when the build recorded one, and whether the tree had local changes.
func buildVersion(bi *debug.BuildInfo) string {
	if bi == nil {
		return "(devel)"
	}
	version := ""
	mod := &bi.Main
	if mod.Path != modulePath {
		// Linked into another main module (a test binary, a program that
		// imports dbgen's command): dbgen is one of its dependencies.
		mod = nil
		for _, d := range bi.Deps {
			if d.Path == modulePath {
				mod = d
			}
		}
	}
	if mod != nil {
		version = mod.Version
		if r := mod.Replace; r != nil {
			// A replace by a folder has no version: the zero pseudo-version
			// of the requirement says nothing about the code.
			version = r.Version
		}
	}
	if version == "" {
		version = "(devel)"
	}
	var revision string
	modified := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if revision == "" {
		return version
	}
	if len(revision) > 12 {
		revision = revision[:12]
	}
	if modified {
		return fmt.Sprintf("%s (revision %s, modified)", version, revision)
	}
	return fmt.Sprintf("%s (revision %s)", version, revision)
}

func or(v string) string {
	if v == "" {
		return "unknown"
	}
	return v
}
