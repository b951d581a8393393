package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dbgen-dev/dbgen/generator"
)

func newGenerateCmd(g *globalFlags) *cobra.Command {
	var force bool
	var dev devURLFlag
	cmd := &cobra.Command{
		Use:   "generate",
		Short: "Write one typed Go package per database into the output folder",
		Long: `generate discovers the schema and queries files, validates them in SQLite and
writes gen/<database>/ for each database. Databases whose inputs did not change
are skipped; files of removed tables and databases are deleted; files dbgen did
not write are never touched.`,
		Example: `  dbgen generate
  dbgen generate --root ./modules --out internal/db`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts := g.options()
			opts.Force = force
			dev.apply(&opts)
			res, err := generator.Generate(cmd.Context(), opts)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), res.Summary())
			warnUncovered(cmd.ErrOrStderr(), res)
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "regenerate every database, even unchanged ones")
	dev.register(cmd)
	return cmd
}

// warnUncovered prints the run's warnings at their lines (a module query
// that replaces a generated method), then says, one line per database,
// that its schema files have changes that no migration makes, and how to
// plan them.
func warnUncovered(w io.Writer, r *generator.Result) {
	for _, d := range r.Warnings {
		fmt.Fprintf(w, "%s: warning: %s\n", d.Path+lineSuffix(d.Line), d.Msg)
	}
	for _, u := range r.Uncovered {
		if u.Err != nil {
			fmt.Fprintf(w, "dbgen: warning: %s: cannot compare its migrations with the schema files: %v\n", u.Database, u.Err)
			continue
		}
		fmt.Fprintf(w, "dbgen: warning: %s: the schema files have changes no migration covers (%s); plan them with dbgen migrate diff --db %s NAME\n",
			u.Database, strings.Join(u.Changes, "; "), u.Database)
	}
}

func lineSuffix(line int) string {
	if line > 0 {
		return ":" + strconv.Itoa(line)
	}
	return ""
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
