package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dbgen-dev/dbgen/generator"
	"github.com/dbgen-dev/dbgen/generator/discover"
	"github.com/dbgen-dev/dbgen/internal/sqliteconn"
	rtmigrate "github.com/dbgen-dev/dbgen/runtime/migrate"
)

// addCompletion adds cobra's help and completion commands to the tree now,
// rather than when it runs, so that they get examples like every other
// command, and teaches the shells the values of dbgen's flags: --format,
// --db (the databases the project has), --to (the versions of a database)
// and the folders and files the path flags take.
//
// A completion never fails loudly: a project that does not load, or a
// database file that does not open, completes nothing.
func addCompletion(root *cobra.Command, g *globalFlags) {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		switch c.Name() {
		case "help":
			c.Example = "  dbgen help migrate diff"
		case "completion":
			c.Example = "  source <(dbgen completion bash)"
			for _, shell := range c.Commands() {
				shell.Example = completionExamples[shell.Name()]
			}
		}
	}
	root.MarkPersistentFlagDirname("root")
	root.MarkPersistentFlagDirname("out")
	root.MarkPersistentFlagFilename("config", "yaml", "yml")
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if f := c.Flags().Lookup("db"); f != nil {
			c.RegisterFlagCompletionFunc("db", completeDatabases(g))
		}
		if f := c.Flags().Lookup("dir"); f != nil {
			c.MarkFlagDirname("dir")
		}
		if f := c.Flags().Lookup("to"); f != nil {
			c.RegisterFlagCompletionFunc("to", completeVersions(g, c.Name() == "down"))
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

var completionExamples = map[string]string{
	"bash": `  source <(dbgen completion bash)                       # this shell
  dbgen completion bash > /etc/bash_completion.d/dbgen  # every new shell`,
	"zsh":        `  dbgen completion zsh > "${fpath[1]}/_dbgen"`,
	"fish":       `  dbgen completion fish > ~/.config/fish/completions/dbgen.fish`,
	"powershell": `  dbgen completion powershell | Out-String | Invoke-Expression`,
}

// completeFormats completes a --format flag with the formats a command
// takes.
func completeFormats(formats ...string) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var out []cobra.Completion
		for _, f := range formats {
			if strings.HasPrefix(f, toComplete) {
				out = append(out, f)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeDatabases completes --db with the databases of the project (as
// --root and --config select it), each described by its schema files.
func completeDatabases(g *globalFlags) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var out []cobra.Completion
		for _, db := range completionProject(g) {
			if !strings.HasPrefix(db.Name, toComplete) {
				continue
			}
			var files []string
			for _, f := range db.Schemas {
				files = append(files, f.Path)
			}
			out = append(out, cobra.CompletionWithDesc(db.Name, strings.Join(files, ", ")))
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// completionProject discovers the project; what discovery found is used
// even when it also found problems (a completion is no place for them).
func completionProject(g *globalFlags) []*discover.Database {
	p, _ := generator.Project(g.options())
	if p == nil {
		return nil
	}
	return p.Databases
}

// completeVersions completes --to: for down, the versions applied to the
// database file in --dir, latest first, then -1, -2, ... and base; for
// baseline (or when the file does not open) the versions of the database's
// migrations folder.
func completeVersions(g *globalFlags, down bool) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		name, _ := cmd.Flags().GetString("db")
		dbs := completionProject(g)
		if name == "" && len(dbs) == 1 {
			name = dbs[0].Name
		}
		if name == "" || !slices.ContainsFunc(dbs, func(d *discover.Database) bool { return d.Name == name }) {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var versions []rtmigrate.Migration
		applied := false
		if dir, _ := cmd.Flags().GetString("dir"); down && dir != "" {
			versions, applied = appliedVersions(cmd.Context(), filepath.Join(dir, name+".db"))
		}
		if !applied {
			versions = folderVersions(g, name)
		}
		var out []cobra.Completion
		add := func(value, desc string) {
			if strings.HasPrefix(value, toComplete) {
				out = append(out, cobra.CompletionWithDesc(value, desc))
			}
		}
		for i := len(versions) - 1; i >= 0; i-- {
			m := versions[i]
			desc := m.Description
			if applied {
				desc = "applied: " + desc
			}
			add(m.Version, desc)
		}
		if down {
			for n := 1; n <= len(versions); n++ {
				add(fmt.Sprintf("-%d", n), fmt.Sprintf("revert the latest %d", n))
			}
			add("base", "revert every migration")
		}
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveKeepOrder
	}
}

// appliedVersions reads the revisions recorded in a database file, opened
// read-only; ok is false when there is no such file or it does not read.
func appliedVersions(ctx context.Context, path string) (_ []rtmigrate.Migration, ok bool) {
	info, err := os.Stat(path)
	if err != nil || !info.Mode().IsRegular() {
		return nil, false
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, false
	}
	db, err := sqliteconn.Open("file:"+filepath.ToSlash(abs)+"?mode=ro&_pragma=busy_timeout(1000)", nil)
	if err != nil {
		return nil, false
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	revs, err := rtmigrate.Applied(ctx, db)
	if err != nil {
		return nil, false
	}
	out := make([]rtmigrate.Migration, len(revs))
	for i, r := range revs {
		out[i] = rtmigrate.Migration{Version: r.Version, Description: r.Description}
	}
	return out, true
}

// folderVersions lists the migrations of a database's folder, in version
// order.
func folderVersions(g *globalFlags, name string) []rtmigrate.Migration {
	p, _ := generator.Project(g.options())
	if p == nil {
		return nil
	}
	entries, err := os.ReadDir(migrationsDir(p, name))
	if err != nil {
		return nil
	}
	var out []rtmigrate.Migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		version, desc, _ := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		out = append(out, rtmigrate.Migration{Version: version, Description: desc, File: e.Name()})
	}
	return out
}
