// Package check is the last stage of the pipeline, the one CI runs: without
// writing anything, it verifies that the generated code is what generate
// would write, that each database's migrations replay cleanly to exactly the
// schema of its schema files with intact atlas.sum files, and that the
// migrations new since a base revision pass lint.
package check

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/dbgen-dev/dbgen/generator"
	"github.com/dbgen-dev/dbgen/generator/migrate"
)

// Finding is one way the repository is out of sync, at a file and line.
type Finding struct {
	File    string `json:"file"` // slash path relative to the project root
	Line    int    `json:"line,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (f Finding) String() string {
	if f.Line > 0 {
		return fmt.Sprintf("%s:%d: %s: %s", f.File, f.Line, f.Code, f.Message)
	}
	return fmt.Sprintf("%s: %s: %s", f.File, f.Code, f.Message)
}

// Codes of the findings check adds to those of the migrate stage.
const (
	CodeStale        = "DG001" // generated code differs from what generate writes
	CodeNoMigrations = "DG002" // a database has no migrations folder
)

// driftTable finds the table a drift finding is about.
var driftTable = regexp.MustCompile(`(?:table|view|index|trigger) "([^"]+)"`)

// Options select the project and the lint baseline.
type Options struct {
	generator.Options
	// Base is a git revision: only migrations added since it are linted.
	// Empty lints every migration.
	Base string
}

// Report is the outcome of a check.
type Report struct {
	Databases int
	Findings  []Finding
}

// Run checks the project.
func Run(ctx context.Context, opts Options) (*Report, error) {
	opts.Force = true
	plan, err := generator.MakePlan(ctx, opts.Options)
	if err != nil {
		return nil, err
	}
	p := plan.Project
	r := &Report{Databases: len(p.Databases)}
	out := filepath.ToSlash(p.Config.Out)
	write, remove := plan.Stale()
	for _, name := range write {
		r.Findings = append(r.Findings, Finding{File: path.Join(out, name), Code: CodeStale,
			Message: "generated code is stale; run dbgen generate and commit the result"})
	}
	for _, name := range remove {
		r.Findings = append(r.Findings, Finding{File: path.Join(out, name), Code: CodeStale,
			Message: "generated for a table or database that no longer exists; run dbgen generate"})
	}

	for _, db := range plan.Loaded {
		dir := filepath.Join(plan.OutDir, db.Name, "migrations")
		rel := path.Join(out, db.Name, "migrations")
		if _, err := os.Stat(filepath.Join(dir, "atlas.sum")); err != nil {
			r.Findings = append(r.Findings, Finding{File: rel, Code: CodeNoMigrations,
				Message: fmt.Sprintf("database %s has no migrations; run dbgen migrate diff --db %s initial", db.Name, db.Name)})
			continue
		}
		found, err := migrate.Verify(ctx, dir, db.DDL())
		if err != nil {
			return nil, fmt.Errorf("verify %s: %w", rel, err)
		}
		files, err := lintTargets(ctx, p.Root, dir, opts.Base)
		if err != nil {
			return nil, err
		}
		if len(files) > 0 {
			lint, err := migrate.Lint(ctx, dir, files)
			if err != nil {
				return nil, fmt.Errorf("lint %s: %w", rel, err)
			}
			for _, f := range lint {
				if f.Severity == migrate.SeverityError {
					found = append(found, f)
				}
			}
		}
		for _, f := range found {
			finding := Finding{File: relTo(p.Root, f.File), Line: f.Line, Code: f.Code, Message: f.Message}
			if f.Code == migrate.CodeDrift {
				// Point at the schema file that declares what the
				// migrations miss, so an annotation lands on the change.
				if m := driftTable.FindStringSubmatch(f.Message); m != nil {
					if st := db.Statement(m[1]); st != nil {
						finding.File, finding.Line = st.File.Path, st.Line
					}
				}
			}
			r.Findings = append(r.Findings, finding)
		}
	}
	slices.SortStableFunc(r.Findings, func(a, b Finding) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		return a.Line - b.Line
	})
	return r, nil
}

// lintTargets lists the migrations of dir to lint: all of them, or those
// that the base revision does not have.
func lintTargets(ctx context.Context, root, dir, base string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var all []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".sql") {
			all = append(all, e.Name())
		}
	}
	if base == "" {
		return all, nil
	}
	rel, err := filepath.Rel(root, dir)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, "git", "ls-tree", "--name-only", base, filepath.ToSlash(rel)+"/")
	cmd.Dir = root
	listing, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("list migrations at --base %s: %w (is it a git revision of this repository?)", base, err)
	}
	known := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(listing)), "\n") {
		known[path.Base(line)] = true
	}
	var added []string
	for _, name := range all {
		if !known[name] {
			added = append(added, name)
		}
	}
	return added, nil
}

func relTo(root, file string) string {
	if rel, err := filepath.Rel(root, file); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(file)
}
