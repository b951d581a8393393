// Package check is the last stage of the pipeline, the one CI runs: without
// writing anything, it verifies that the generated code is what generate
// would write, that each database's migrations replay cleanly to exactly the
// schema of its schema files with intact atlas.sum files, that the
// migrations shipped (on a base revision, or committed) are as git has them,
// and that the migrations new since a base revision pass lint.
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
	"sync"

	"github.com/dbgen-dev/dbgen/generator"
	"github.com/dbgen-dev/dbgen/generator/migrate"
)

// Finding is one way the repository is out of sync, at a file and line,
// or a warning about a new migration.
type Finding struct {
	File     string `json:"file"` // slash path relative to the project root
	Line     int    `json:"line,omitempty"`
	Code     string `json:"code"`
	Severity string `json:"severity"` // "error" fails the check; "warning" does not
	Message  string `json:"message"`
}

// Severities of findings.
const (
	SeverityError   = string(migrate.SeverityError)
	SeverityWarning = string(migrate.SeverityWarning)
)

// String formats f as "file:line: CODE: message", with "warning: " before
// the code of a warning.
func (f Finding) String() string {
	loc := f.File
	if f.Line > 0 {
		loc = fmt.Sprintf("%s:%d", f.File, f.Line)
	}
	if f.Severity == SeverityWarning {
		return fmt.Sprintf("%s: warning: %s: %s", loc, f.Code, f.Message)
	}
	return fmt.Sprintf("%s: %s: %s", loc, f.Code, f.Message)
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
	Findings  []Finding // errors and warnings, by file and line
	// PostgresNotPrepared is set when the postgres target is on and no
	// dev database (Options.DevURL) was given: sqlc's PostgreSQL engine
	// checked the schemas and queries, no server did.
	PostgresNotPrepared bool
	// PostgresMigrationsNotReplayed is set when the postgres target is on,
	// a database has PostgreSQL migrations and no dev database was given:
	// their files were checked (atlas.sum, down scripts, the same versions
	// as SQLite's), but they were not replayed to the derived schema nor
	// linted, which needs a server.
	PostgresMigrationsNotReplayed bool
}

// Errors counts the findings that fail the check.
func (r *Report) Errors() int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity != SeverityWarning {
			n++
		}
	}
	return n
}

// Warnings counts the findings that do not fail it: what lint warns of a
// new migration, as migrate diff said when it wrote it.
func (r *Report) Warnings() int { return len(r.Findings) - r.Errors() }

// Run checks the project.
func Run(ctx context.Context, opts Options) (*Report, error) {
	opts.Force = true
	plan, err := generator.MakePlan(ctx, opts.Options)
	if err != nil {
		return nil, err
	}
	p := plan.Project
	r := &Report{Databases: len(p.Databases), PostgresNotPrepared: p.Config.Postgres() && !plan.PostgresPrepared}
	out := filepath.ToSlash(p.Config.Out)
	write, remove := plan.Stale()
	for _, name := range write {
		r.Findings = append(r.Findings, Finding{File: path.Join(out, name), Code: CodeStale, Severity: SeverityError,
			Message: "generated code is stale; run dbgen generate and commit the result"})
	}
	for _, name := range remove {
		r.Findings = append(r.Findings, Finding{File: path.Join(out, name), Code: CodeStale, Severity: SeverityError,
			Message: "generated for a table or database that no longer exists; run dbgen generate"})
	}

	pgs := &pgCheck{opts: opts, root: p.Root, project: p}
	defer pgs.close()
	for _, db := range plan.Loaded {
		dir := filepath.Join(plan.OutDir, db.Name, "migrations")
		rel := path.Join(out, db.Name, "migrations")
		if _, err := os.Stat(filepath.Join(dir, "atlas.sum")); err != nil {
			r.Findings = append(r.Findings, Finding{File: rel, Code: CodeNoMigrations, Severity: SeverityError,
				Message: fmt.Sprintf("database %s has no migrations; run dbgen migrate diff --db %s initial", db.Name, db.Name)})
			continue
		}
		shipped, err := shippedMigrations(ctx, p.Root, dir, opts.Base)
		if err != nil {
			return nil, err
		}
		changes, _, err := ShippedChanges(ctx, p.Root, dir, opts.Base)
		if err != nil {
			return nil, err
		}
		found, err := migrate.VerifyWith(ctx, dir, db.DDL(), migrate.VerifyOptions{Shipped: shipped, Diverged: divergedOf(changes)})
		if err != nil {
			return nil, fmt.Errorf("verify %s: %w", rel, err)
		}
		found = append(found, shippedFindings(changes)...)
		files, err := lintTargets(dir, opts.Base, shipped)
		if err != nil {
			return nil, err
		}
		if len(files) > 0 {
			// Errors and warnings both: the warnings are those migrate
			// diff printed when it wrote the file, for the reviewer.
			lint, err := migrate.Lint(ctx, dir, files)
			if err != nil {
				return nil, fmt.Errorf("lint %s: %w", rel, err)
			}
			found = append(found, lint...)
		}
		if p.Config.Postgres() {
			pgFound, err := pgs.check(ctx, db, dir)
			if err != nil {
				return nil, err
			}
			found = append(found, pgFound...)
		}
		for _, f := range found {
			finding := Finding{File: relTo(p.Root, f.File), Line: f.Line, Code: f.Code, Severity: string(f.Severity), Message: f.Message}
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
	r.PostgresMigrationsNotReplayed = pgs.notReplayed
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
func lintTargets(dir, base string, shipped func(name string) bool) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var targets []string
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		if base == "" || !shipped(e.Name()) {
			targets = append(targets, e.Name())
		}
	}
	return targets, nil
}

// shippedMigrations returns whether each migration of dir, by file name,
// was shipped: the base revision has it, or with no base, it is committed
// at HEAD (none is in a repository without commits). Outside a git
// repository, or without git, every migration counts as shipped, unless
// base names a revision: then it is an error. With no base, git runs only
// when asked, which only a damaged migrations folder does.
func shippedMigrations(ctx context.Context, root, dir, base string) (func(name string) bool, error) {
	rel, err := filepath.Rel(root, dir)
	if err != nil {
		return nil, err
	}
	git := func(args ...string) ([]byte, error) {
		cmd := exec.CommandContext(ctx, "git", args...)
		cmd.Dir = root
		return cmd.Output()
	}
	list := func(rev string) (map[string]bool, error) {
		listing, err := git("ls-tree", "--name-only", rev, filepath.ToSlash(rel)+"/")
		if err != nil {
			return nil, err
		}
		names := map[string]bool{}
		for _, line := range strings.Split(strings.TrimSpace(string(listing)), "\n") {
			if line != "" {
				names[path.Base(line)] = true
			}
		}
		return names, nil
	}
	if base != "" {
		names, err := list(base)
		if err != nil {
			return nil, fmt.Errorf("list migrations at --base %s: %w (is it a git revision of this repository?)", base, err)
		}
		return func(name string) bool { return names[name] }, nil
	}
	committed := sync.OnceValue(func() map[string]bool {
		if out, err := git("rev-parse", "--is-inside-work-tree"); err != nil || strings.TrimSpace(string(out)) != "true" {
			return nil
		}
		if _, err := git("rev-parse", "--verify", "--quiet", "HEAD"); err != nil {
			return map[string]bool{} // no commit yet: nothing shipped
		}
		names, err := list("HEAD")
		if err != nil {
			return nil
		}
		return names
	})
	return func(name string) bool {
		names := committed()
		return names == nil || names[name]
	}, nil
}

func relTo(root, file string) string {
	if rel, err := filepath.Rel(root, file); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(file)
}
