package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/dbgen-dev/dbgen/generator"
	"github.com/dbgen-dev/dbgen/generator/config"
	"github.com/dbgen-dev/dbgen/generator/diag"
)

// Exit codes, as STYLE.md fixes them.
const (
	exitOK       = 0
	exitFindings = 1 // check or lint found problems
	exitInput    = 2 // bad usage or bad input files
)

// findingsError reports that a command ran and found problems (exit 1).
type findingsError struct{ n int }

func (e findingsError) Error() string { return fmt.Sprintf("%d problem(s) found", e.n) }

// run executes the command line and returns the process exit code.
func run(args []string, stdout, stderr io.Writer) int {
	// SIGTERM (a CI job cancelled, a container stopped) is an interrupt too:
	// the context ends the sqlc child and its work folder is removed.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // a second signal ends dbgen at once
	}()
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	var findings findingsError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &findings):
		return exitFindings
	case ctx.Err() != nil && errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "dbgen: interrupted")
		return exitInput
	default:
		fmt.Fprintln(stderr, errorText(err))
		return exitInput
	}
}

// errorText prints diagnostics as they are (path:line: ...), so editors and
// CI can jump to them, and anything else prefixed with the program name.
func errorText(err error) string {
	var list diag.List
	var cfgErr *config.Error
	if errors.As(err, &list) || errors.As(err, &cfgErr) {
		return err.Error()
	}
	return "dbgen: " + err.Error()
}

type globalFlags struct {
	root, out, config string
}

func (g *globalFlags) options() generator.Options {
	return generator.Options{Root: g.root, Out: g.out, ConfigPath: g.config}
}

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	g := &globalFlags{}
	root := &cobra.Command{
		Use:   "dbgen",
		Short: "Typed Go packages and migrations from SQLite schema files",
		Long: `dbgen compiles the SQLite schema files of a modular Go application into one
typed Go package per database: models and CRUD (with sqlc), the module's own
queries, dynamic lists, bulk insert, table metadata and Open.

A schema file is schema.sql or *.schema.sql; its header may say
  -- DATABASE_NAME: accounts
to feed the accounts database (default: framework).`,
		Example: `  dbgen generate                 # regenerate gen/ from the schema files under .
  dbgen inspect --format json     # what was discovered
  dbgen --version
  //go:generate go tool dbgen generate`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	bi, _ := debug.ReadBuildInfo()
	root.Version = buildVersion(bi)
	root.SetVersionTemplate("{{.Name}} {{.Version}}\n")
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return fmt.Errorf("%w\nrun '%s --help' for usage", err, c.CommandPath())
	})
	pf := root.PersistentFlags()
	pf.StringVar(&g.root, "root", ".", "project root: where dbgen.yaml and the scanned folders are")
	pf.StringVar(&g.out, "out", "", "output folder, relative to the root (default from dbgen.yaml, else gen)")
	pf.StringVar(&g.config, "config", "", "configuration file (default <root>/dbgen.yaml when present)")

	root.AddCommand(newGenerateCmd(g), newInspectCmd(g), newCheckCmd(g), newMigrateCmd(g), newServeCmd(g), newVersionCmd())
	addCompletion(root, g)
	return root
}
