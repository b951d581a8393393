package migrate

import (
	"context"
	"errors"
	"fmt"
	"slices"

	atlas "ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/postgres"
	_ "ariga.io/atlas/sql/postgres/postgrescheck" // registers the PostgreSQL analyzers
	"ariga.io/atlas/sql/sqlcheck"

	"github.com/dbgen-dev/dbgen/internal/sqllex"
)

// LintPostgres is Lint for a PostgreSQL migrations folder: Atlas's
// PostgreSQL analyzers over the migrations of dir named in files (all of
// them when files is empty), each run statement by statement on the
// schema of the ones before it, in a scratch schema of dev.
func LintPostgres(ctx context.Context, dev *PostgresDev, dir string, files []string) ([]Finding, error) {
	d, err := readDir(dir)
	if err != nil {
		return nil, err
	}
	want := make(map[string]bool, len(files))
	for _, f := range files {
		if !slices.ContainsFunc(d.ups, func(u atlas.File) bool { return u.Name() == f }) {
			return nil, fmt.Errorf("lint %s: no such migration", d.file(f))
		}
		want[f] = true
	}
	sp, err := dev.space(ctx)
	if err != nil {
		return nil, err
	}
	defer sp.drop(context.WithoutCancel(ctx))
	var findings []Finding
	for _, f := range d.ups {
		linted := len(want) == 0 || want[f.Name()]
		if linted {
			fs, err := sp.lint(ctx, d.file(f.Name()), string(f.Bytes()), "lint")
			if err != nil {
				return nil, err
			}
			findings = append(findings, fs...)
		}
		if err := sp.exec(ctx, d.file(f.Name()), string(f.Bytes())); err != nil {
			if !linted {
				findings = append(findings, replayFinding(err))
			}
			break
		}
	}
	return findings, nil
}

// lint analyses the PostgreSQL migration script, named file, on the schema
// s holds, and leaves s as it was.
func (s *pgSpace) lint(ctx context.Context, file, script, database string) ([]Finding, error) {
	stmts, err := s.dev.drv.(atlas.StmtScanner).ScanStmts(script)
	if err != nil {
		return []Finding{{File: file, Code: CodeReplay, Severity: SeverityError, Message: err.Error()}}, nil
	}
	var (
		changes []*sqlcheck.Change
		failed  *failure
	)
	err = s.savepoint(ctx, false, func() error {
		var err error
		changes, failed, err = s.stmtChanges(ctx, file, stmts, database)
		return err
	})
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
	analyzed, err := analyze(ctx, postgres.DriverName, s.dev.drv, atlas.NewLocalFile(file, []byte(script)), changes)
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

// stmtChanges runs stmts in s and returns the schema change each made,
// stopping at the first that fails.
func (s *pgSpace) stmtChanges(ctx context.Context, file string, stmts []*atlas.Stmt, database string) ([]*sqlcheck.Change, *failure, error) {
	prev, err := s.inspect(ctx, database)
	if err != nil {
		return nil, nil, err
	}
	changes := make([]*sqlcheck.Change, 0, len(stmts))
	for _, st := range stmts {
		err := s.run(ctx, file, []pgStmt{{text: st.Text, line: 1}})
		var se *stmtError
		if errors.As(err, &se) {
			return changes, &failure{pos: st.Pos, err: se.err}, nil
		}
		if err != nil {
			return nil, nil, err
		}
		cur, err := s.inspect(ctx, database)
		if err != nil {
			return nil, nil, err
		}
		diff, err := pgDiffTables(s.dev.drv, prev, cur)
		if err != nil {
			return nil, nil, err
		}
		diff = detectColumnRenames(st.Text, diff)
		changes = append(changes, &sqlcheck.Change{Stmt: st, Changes: diff})
		prev = cur
	}
	return changes, nil, nil
}
