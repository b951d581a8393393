package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	atlas "ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlcheck"
	"ariga.io/atlas/sql/sqlclient"
	"ariga.io/atlas/sql/sqlite"
	_ "ariga.io/atlas/sql/sqlite/sqlitecheck" // registers the SQLite analyzers

	"github.com/dbgen-dev/dbgen/internal/sqllex"
)

// Lint runs Atlas's analyzers (destructive, data-dependent, incompatible
// changes, dropped constraints) over the migrations of dir named in files,
// or over all of them when files is empty, and returns their findings.
// A finding can be silenced with Atlas's directive: "-- atlas:nolint
// [analyzer or code ...]" right before the statement, or at the top of the
// file, followed by an empty line, for the whole file.
func Lint(ctx context.Context, dir string, files []string) ([]Finding, error) {
	d, err := readDir(dir)
	if err != nil {
		return nil, err
	}
	want := make(map[string]bool, len(files))
	for _, f := range files {
		want[f] = true
	}
	for _, f := range files {
		if !slices.ContainsFunc(d.ups, func(u atlas.File) bool { return u.Name() == f }) {
			return nil, fmt.Errorf("lint %s: no such migration", d.file(f))
		}
	}
	dev, err := openDev(ctx)
	if err != nil {
		return nil, err
	}
	defer dev.Close()
	var findings []Finding
	for _, f := range d.ups {
		linted := len(want) == 0 || want[f.Name()]
		if linted {
			fs, err := dev.lint(ctx, d.file(f.Name()), string(f.Bytes()))
			if err != nil {
				return nil, err
			}
			findings = append(findings, fs...)
		}
		if err := dev.exec(ctx, d.file(f.Name()), string(f.Bytes())); err != nil {
			// The later files cannot be analysed on a schema that is not
			// theirs. lint reported the failure of a file it analysed.
			if !linted {
				findings = append(findings, replayFinding(err))
			}
			break
		}
	}
	return findings, nil
}

// lint analyses the migration script, named file, on the schema d holds,
// and leaves d as it was.
func (d *devDB) lint(ctx context.Context, file, script string) (_ []Finding, err error) {
	stmts, err := d.drv.(atlas.StmtScanner).ScanStmts(script)
	if err != nil {
		return []Finding{{File: file, Code: CodeReplay, Severity: SeverityError, Message: err.Error()}}, nil
	}
	// The statements run in a transaction that is rolled back: Atlas's
	// analyzers need the schema change of each statement.
	if _, err := d.db.ExecContext(ctx, "BEGIN"); err != nil {
		return nil, fmt.Errorf("lint %s: %w", file, err)
	}
	defer func() {
		if _, rerr := d.db.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); rerr != nil {
			err = errors.Join(err, fmt.Errorf("lint %s: rollback: %w", file, rerr))
		}
	}()
	changes, failed, err := d.stmtChanges(ctx, stmts)
	if err != nil {
		return nil, err
	}
	var findings []Finding
	if failed != nil {
		findings = append(findings, Finding{
			File: file, Line: sqllex.LineAt(script, failed.pos), Code: CodeReplay, Severity: SeverityError,
			Message: fmt.Sprintf("statement fails on the schema of the migrations before it: %v", failed.err),
		})
	}
	analyzed, err := analyze(ctx, sqlite.DriverName, d.drv, atlas.NewLocalFile(file, []byte(script)), changes)
	if err != nil {
		return nil, err
	}
	fileDirectives := atlas.NewLocalFile(file, []byte(script)).Directive("nolint")
	for _, a := range analyzed {
		a.finding.File = file
		a.finding.Line = sqllex.LineAt(script, a.pos)
		if !silenced(a, fileDirectives, stmts) {
			findings = append(findings, a.finding)
		}
	}
	return findings, nil
}

type failure struct {
	pos int
	err error
}

// stmtChanges runs stmts on d and returns the schema changes each made,
// stopping at the first that fails.
//
// Each statement's change is the diff of the tables it touched (those whose
// entries in sqlite_master it changed), inspected before and after it:
// inspecting and diffing the whole schema after every statement made the
// first migration of a 1000-table schema take most of an hour (cubic).
// Atlas inspects SQLite tables and their indexes only, all of which
// sqlite_master records, so the diff is the one of the whole schema.
func (d *devDB) stmtChanges(ctx context.Context, stmts []*atlas.Stmt) ([]*sqlcheck.Change, *failure, error) {
	before, err := masterEntries(ctx, d.db)
	if err != nil {
		return nil, nil, err
	}
	changes := make([]*sqlcheck.Change, 0, len(stmts))
	for _, s := range stmts {
		if _, err := d.db.ExecContext(ctx, "SAVEPOINT dbgen_lint"); err != nil {
			return nil, nil, fmt.Errorf("lint: %w", err)
		}
		if _, err := d.db.ExecContext(ctx, s.Text); err != nil {
			for _, q := range []string{"ROLLBACK TO dbgen_lint", "RELEASE dbgen_lint"} {
				if _, rerr := d.db.ExecContext(ctx, q); rerr != nil {
					return nil, nil, fmt.Errorf("lint: %w", rerr)
				}
			}
			return changes, &failure{pos: s.Pos, err: err}, nil
		}
		after, err := masterEntries(ctx, d.db)
		if err != nil {
			return nil, nil, err
		}
		var touched []string
		for name, e := range after {
			if before[name] != e {
				touched = append(touched, name)
			}
		}
		for name := range before {
			if _, ok := after[name]; !ok {
				touched = append(touched, name)
			}
		}
		slices.Sort(touched)
		var diff []schema.Change
		if len(touched) > 0 {
			cur, err := d.inspectTables(ctx, touched)
			if err != nil {
				return nil, nil, err
			}
			// The same tables as they were: back to before the statement,
			// inspected, and the statement run again.
			if _, err := d.db.ExecContext(ctx, "ROLLBACK TO dbgen_lint"); err != nil {
				return nil, nil, fmt.Errorf("lint: %w", err)
			}
			prev, err := d.inspectTables(ctx, touched)
			if err != nil {
				return nil, nil, err
			}
			if _, err := d.db.ExecContext(ctx, s.Text); err != nil {
				return nil, nil, fmt.Errorf("lint: statement at byte %d failed when run again: %w", s.Pos, err)
			}
			if diff, err = d.drv.RealmDiff(prev, cur); err != nil {
				return nil, nil, fmt.Errorf("diff dev database: %w", err)
			}
			// A RENAME statement shows as a drop and an add; Atlas's
			// analyzers want it as a rename, or report a dropped column.
			if diff, err = detectRenames(d.drv, diff); err != nil {
				return nil, nil, err
			}
			diff = detectColumnRenames(s.Text, diff)
		}
		if _, err := d.db.ExecContext(ctx, "RELEASE dbgen_lint"); err != nil {
			return nil, nil, fmt.Errorf("lint: %w", err)
		}
		changes = append(changes, &sqlcheck.Change{Stmt: s, Changes: diff})
		before = after
	}
	return changes, nil, nil
}

// masterEntries returns the tables and indexes that sqlite_master lists,
// their definitions by table name.
func masterEntries(ctx context.Context, db *sql.DB) (map[string]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT tbl_name, type, name, coalesce(sql, '') FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY tbl_name, type, name")
	if err != nil {
		return nil, fmt.Errorf("lint: read sqlite_master: %w", err)
	}
	defer rows.Close()
	entries := map[string]string{}
	for rows.Next() {
		var tbl, typ, name, text string
		if err := rows.Scan(&tbl, &typ, &name, &text); err != nil {
			return nil, fmt.Errorf("lint: read sqlite_master: %w", err)
		}
		entries[tbl] += typ + "\x00" + name + "\x00" + text + "\x00"
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("lint: read sqlite_master: %w", err)
	}
	return entries, nil
}

// analyzed is a diagnostic of an analyzer.
type analyzed struct {
	analyzer string
	pos      int // byte offset of the statement in the file
	finding  Finding
}

// analyze runs the analyzers that Atlas registers for a driver (sqlite,
// postgres) over the changes of file f.
func analyze(ctx context.Context, driverName string, drv atlas.Driver, f *atlas.LocalFile, changes []*sqlcheck.Change) ([]analyzed, error) {
	azs, err := sqlcheck.AnalyzerFor(driverName, nil)
	if err != nil {
		return nil, err
	}
	var (
		out  []analyzed
		name string
		pass = &sqlcheck.Pass{
			File: &sqlcheck.File{File: f, Changes: changes},
			Dev:  &sqlclient.Client{Name: driverName, Driver: drv},
			Reporter: sqlcheck.ReportWriterFunc(func(r sqlcheck.Report) {
				for _, diag := range r.Diagnostics {
					out = append(out, analyzed{analyzer: name, pos: diag.Pos, finding: finding(name, diag)})
				}
			}),
		}
	)
	for _, az := range azs {
		name = ""
		if n, ok := az.(sqlcheck.NamedAnalyzer); ok {
			name = n.Name()
		}
		// An analyzer configured to fail returns an error after it reports:
		// the report is what counts here, and the severities are dbgen's.
		before := len(out)
		if err := az.Analyze(ctx, pass); err != nil && len(out) == before {
			return nil, fmt.Errorf("lint %s: %s: %w", f.Name(), name, err)
		}
	}
	return out, nil
}

// finding converts an Atlas diagnostic. Destructive changes are errors, as
// in Atlas's default policy; the other analyzers warn. A dropped table or
// column is also a change its down script cannot undo, and says so.
func finding(analyzer string, d sqlcheck.Diagnostic) Finding {
	f := Finding{Code: d.Code, Severity: SeverityWarning, Message: d.Text}
	if analyzer == "destructive" {
		f.Severity = SeverityError
		f.Message += destructiveHint
	}
	return f
}

const destructiveHint = ": irreversible, the down script restores the structure but not the data; " +
	"if that is intended, plan with --allow-destructive or add \"-- atlas:nolint destructive\" before the statement"

// silenced reports whether an atlas:nolint directive of the file, or of the
// statement the diagnostic is about, silences it.
func silenced(a analyzed, fileDirectives []string, stmts []*atlas.Stmt) bool {
	directives := slices.Clip(fileDirectives)
	for _, s := range stmts {
		if s.Pos == a.pos {
			directives = append(directives, s.Directive("nolint")...)
		}
	}
	for _, d := range directives {
		args := strings.Fields(d)
		if len(args) == 0 || slices.Contains(args, a.analyzer) || slices.Contains(args, a.finding.Code) {
			return true
		}
	}
	return false
}
