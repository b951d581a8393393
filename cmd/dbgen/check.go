package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dbgen-dev/dbgen/generator/check"
)

// checkFormats are the values of check --format.
var checkFormats = []string{"text", "json", "github"}

func newCheckCmd(g *globalFlags) *cobra.Command {
	var base, format string
	var dev devURLFlag
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Verify in CI that generated code and migrations match the schema files",
		Long: `check writes nothing. It verifies that the generated code is what generate
would write, that each database's migrations replay cleanly to exactly the
schema of its schema files, that atlas.sum matches (a hand-edited or deleted
migration is caught), and that migrations new since --base pass lint.

A shipped migration, one that --base has (without --base, one committed at
HEAD), is compared with git: an edit or a deletion of it, or of its down
script, is an error naming the git checkout that restores it, whatever
atlas.sum says (dbgen migrate hash rewrites that). An unshipped one may
change: the fix is dbgen migrate hash. Outside a git repository every
migration counts as shipped and atlas.sum is the only record.

With the postgres target on, it checks gen/<db>/migrations/postgres too:
without a server, that its atlas.sum files match, that every migration has
its down script and that it has the same versions and names as the SQLite
folder (one missing is a finding naming dbgen migrate sync-postgres); with a
dev database (--dev-url or DBGEN_DEV_URL) also that its migrations replay to
exactly the derived PostgreSQL schema, that each down script restores the
schema before it, and lint with Atlas's PostgreSQL analyzers. The SQLite
side never needs a server. Without one, a line on stderr says what was not
verified.

Exit code 0 and one line when in sync; 1 with one finding per line otherwise.`,
		Example: `  dbgen check
  dbgen check --base origin/main --format github
  dbgen check --dev-url postgres://postgres@localhost:5432/dev   # the postgres target on a server too`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !slices.Contains(checkFormats, format) {
				return fmt.Errorf("unknown --format %q; use text, json or github", format)
			}
			opts := g.options()
			dev.apply(&opts)
			rep, err := check.Run(cmd.Context(), check.Options{Options: opts, Base: base})
			if err != nil {
				return err
			}
			printFindings(cmd.OutOrStdout(), format, rep)
			if rep.PostgresNotPrepared {
				// One line: what a server would have checked too.
				what := "the postgres target's schemas and module queries were not prepared on a server"
				if rep.PostgresMigrationsNotReplayed {
					what = "the postgres target's schemas and module queries were not prepared on a server, nor its migrations replayed to the derived schema and linted there (their files, atlas.sum and versions were checked)"
				}
				fmt.Fprintln(cmd.ErrOrStderr(), "dbgen check: "+what+"; give one with --dev-url or "+devURLEnv)
			}
			if n := rep.Errors(); n > 0 {
				return findingsError{n}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&base, "base", "", "git revision: lint only the migrations added since, and compare those it has with it (default: lint all, compare those committed at HEAD)")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, json or github (workflow annotations)")
	dev.register(cmd)
	cmd.RegisterFlagCompletionFunc("format", completeFormats(checkFormats...))
	return cmd
}

func printFindings(w io.Writer, format string, rep *check.Report) {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		findings := rep.Findings
		if findings == nil {
			findings = []check.Finding{}
		}
		enc.Encode(map[string]any{"databases": rep.Databases, "findings": findings})
	case "github":
		for _, f := range rep.Findings {
			loc := "file=" + githubProperty(f.File)
			if f.Line > 0 {
				loc += fmt.Sprintf(",line=%d", f.Line)
			}
			level := "error"
			if f.Severity == check.SeverityWarning {
				level = "warning"
			}
			fmt.Fprintf(w, "::%s %s,title=%s::%s\n", level, loc, githubProperty(f.Code), githubEscape(f.Message))
		}
		printInSync(w, rep)
	default:
		for _, f := range rep.Findings {
			fmt.Fprintln(w, f)
		}
		printInSync(w, rep)
	}
}

// printInSync prints the line of a check that passed, warnings or not.
func printInSync(w io.Writer, rep *check.Report) {
	if rep.Errors() > 0 {
		return
	}
	fmt.Fprintf(w, "dbgen check: %d %s in sync", rep.Databases, plural(rep.Databases, "database"))
	if n := rep.Warnings(); n > 0 {
		fmt.Fprintf(w, ", %d %s", n, plural(n, "warning"))
	}
	fmt.Fprintln(w)
}

// githubEscape escapes a workflow command's message as GitHub requires.
func githubEscape(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// githubProperty escapes a workflow command's property value, where , and :
// are separators too.
func githubProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ",", "%2C", ":", "%3A").Replace(s)
}
