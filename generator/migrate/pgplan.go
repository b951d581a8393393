package migrate

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"ariga.io/atlas/sql/schema"
)

// PostgresPlanInput is what PlanPostgres needs to plan the PostgreSQL
// migration that goes with a SQLite one.
type PostgresPlanInput struct {
	Database string
	Desired  *PostgresSchema // the derived schema of the schema files
	Dir      string          // the PostgreSQL migrations folder, gen/<db>/migrations/postgres; need not exist
	Name     string          // the migration's name, as on the SQLite side
	// Version is the version of the SQLite migration planned with it: both
	// sides keep the same versions.
	Version          string
	Dev              *PostgresDev
	AllowDestructive bool
	// Renames are planned as ALTER ... RENAME first, in order, as on the
	// SQLite side (PlanResult.Renames there).
	Renames []Rename
}

// PlanPostgres plans the next PostgreSQL migration of a database, as Plan
// does the SQLite one: it replays the migrations of in.Dir in a scratch
// schema of the dev database, builds in.Desired in another, and plans the
// changes between them with Atlas's PostgreSQL driver, views, functions,
// triggers and extensions included; the down script the other way. Both
// are linted with Atlas's PostgreSQL analyzers, destructive changes refused
// unless allowed, and checked on the dev database before they are
// returned. Nothing changed is a result without files.
func PlanPostgres(ctx context.Context, in PostgresPlanInput) (*PlanResult, error) {
	if !validName.MatchString(in.Name) {
		return nil, fmt.Errorf("migration name %q: use letters, digits and underscores only", in.Name)
	}
	if in.Dev == nil {
		return nil, errors.New("no dev database: " + DevURLHint)
	}
	d, err := readDir(in.Dir)
	if err != nil {
		return nil, err
	}
	if fs := d.checkSums(VerifyOptions{}); len(fs) > 0 {
		return nil, fmt.Errorf("%s: fix the PostgreSQL migrations before planning the next migration (see dbgen check)", fs[0])
	}
	if err := checkVersion(d, in.Version); err != nil {
		return nil, err
	}
	cur, current, err := replayPostgres(ctx, in.Dev, d, in.Database)
	if err != nil {
		return nil, err
	}
	_, desired, err := in.Desired.state(ctx, in.Dev)
	if err != nil {
		return nil, err
	}
	via := current
	if len(in.Renames) > 0 {
		err := cur.savepoint(ctx, false, func() error {
			for _, r := range in.Renames {
				s := r.pgStmt()
				if err := cur.run(ctx, "rename", []pgStmt{{text: s.sql, line: 1}}); err != nil {
					return fmt.Errorf("--rename %s on PostgreSQL: %w", r.flag(), errors.Unwrap(err))
				}
			}
			var err error
			via, err = cur.inspect(ctx, in.Database)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	var upMove, downMove *pgRenameMove
	if len(in.Renames) > 0 {
		upMove = &pgRenameMove{renames: in.Renames, via: via}
		downMove = &pgRenameMove{atEnd: true, via: via}
		for _, r := range slices.Backward(in.Renames) {
			downMove.renames = append(downMove.renames, r.reverse())
		}
	}
	up, err := pgPlanChange(ctx, in.Dev, current, desired, upMove)
	if err != nil {
		return nil, err
	}
	if up.empty() {
		return &PlanResult{}, nil
	}
	down, err := pgPlanChange(ctx, in.Dev, desired, current, downMove)
	if err != nil {
		return nil, err
	}
	name := in.Version + "_" + in.Name + ".sql"
	header := []string{
		fmt.Sprintf("Migration %s of database %q on PostgreSQL, planned by dbgen from the schema files.", name, in.Database),
		fmt.Sprintf("Its down script is %s; the SQLite migration of the same version is ../%s.", filepath.ToSlash(downName(name)), name),
	}
	upFile, findings, err := pgPlanUpFile(ctx, cur, d, in, name, header, up)
	if err != nil {
		return nil, err
	}
	downHead := downHeader(in.Database, name, up, down)
	for _, e := range desired.extensions {
		if !slices.Contains(current.extensions, e) {
			downHead = append(downHead, fmt.Sprintf("It leaves extension %s installed: the database's other schemas may use it.", e))
		}
	}
	downFile := render(downHead, down.stmts, nil).text
	if err := pgCheck(ctx, cur, d, name, upFile, downFile, desired, current); err != nil {
		return nil, err
	}
	files, err := resultFiles(d, name, upFile, downFile)
	if err != nil {
		return nil, err
	}
	return &PlanResult{Version: in.Version, Files: files, Findings: findings, Renames: in.Renames}, nil
}

// checkVersion refuses a version that would not come after the latest
// migration of d, which the runtime would refuse as out of order.
func checkVersion(d *migDir, version string) error {
	if _, err := time.Parse(versionFormat, version); err != nil {
		return fmt.Errorf("version %q: want a UTC timestamp, YYYYMMDDHHMMSS", version)
	}
	if n := len(d.ups); n > 0 && d.ups[n-1].Version() >= version {
		return fmt.Errorf("version %s does not come after %s, the latest migration of %s", version, d.ups[n-1].Name(), d.path)
	}
	return nil
}

// replayPostgres replays the migrations of d in a new scratch schema.
func replayPostgres(ctx context.Context, dev *PostgresDev, d *migDir, database string) (*pgSpace, *pgState, error) {
	sp, err := dev.space(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, f := range d.ups {
		if err := sp.exec(ctx, d.file(f.Name()), string(f.Bytes())); err != nil {
			return nil, nil, fmt.Errorf("replay PostgreSQL migrations: %w", err)
		}
	}
	st, err := sp.inspect(ctx, database)
	if err != nil {
		return nil, nil, err
	}
	return sp, st, nil
}

// pgRenameMove is renameMove on PostgreSQL.
type pgRenameMove struct {
	renames []Rename
	atEnd   bool
	via     *pgState
}

// pgPlanChange plans the statements that bring a schema from one state to
// the other: new extensions, then the views, functions and triggers that
// must go, then the renames and the tables (Atlas), then the views,
// functions and triggers to create.
func pgPlanChange(ctx context.Context, dev *PostgresDev, from, to *pgState, rn *pgRenameMove) (*change, error) {
	tablesFrom, tablesTo := from, to
	if rn != nil && !rn.atEnd {
		tablesFrom = rn.via
	} else if rn != nil {
		tablesTo = rn.via
	}
	changes, err := pgDiffTables(dev.drv, tablesFrom, tablesTo)
	if err != nil {
		return nil, err
	}
	c := &change{}
	for _, ch := range changes {
		switch ch := ch.(type) {
		case *schema.DropTable:
			c.lost = append(c.lost, fmt.Sprintf("table %q", ch.T.Name))
		case *schema.ModifyTable:
			for _, mc := range ch.Changes {
				if d, ok := mc.(*schema.DropColumn); ok {
					c.lost = append(c.lost, fmt.Sprintf("column %q of table %q", d.C.Name, ch.T.Name))
				}
			}
		}
	}
	touched := pgTouched(changes)
	tables, err := pgPlanTables(ctx, dev.drv, changes)
	if err != nil {
		return nil, err
	}
	if rn != nil {
		var renames []stmt
		for _, r := range rn.renames {
			touched[r.Table], touched[r.To] = true, true
			renames = append(renames, r.pgStmt())
		}
		if rn.atEnd {
			tables = append(tables, renames...)
		} else {
			tables = append(renames, tables...)
		}
	}
	objs := pgPlanObjects(from.objects, to.objects, touched)
	for _, e := range to.extensions {
		if !slices.Contains(from.extensions, e) {
			// As the schema says it: it names the schema the extension goes
			// in, the one all of the database's schemas see (public).
			c.stmts = append(c.stmts, stmt{comment: fmt.Sprintf("create extension %q", e), sql: to.extensionSQL[e]})
		}
	}
	c.stmts = append(c.stmts, objs.dropStmts()...)
	c.stmts = append(c.stmts, tables...)
	c.stmts = append(c.stmts, objs.createStmts()...)
	return c, nil
}

// pgStmt is the statement that makes r on PostgreSQL.
func (r Rename) pgStmt() stmt {
	s := r.stmt()
	if r.Column == "" {
		s.sql = fmt.Sprintf("ALTER TABLE %s RENAME TO %s", quotePG(r.Table), quotePG(r.To))
	} else {
		s.sql = fmt.Sprintf("ALTER TABLE %s RENAME COLUMN %s TO %s", quotePG(r.Table), quotePG(r.Column), quotePG(r.To))
	}
	return s
}

// pgPlanUpFile is planUpFile on PostgreSQL: the migration rendered,
// linted on the schema before it, and a destructive change refused unless
// allowed, then recorded in the file.
func pgPlanUpFile(ctx context.Context, cur *pgSpace, d *migDir, in PostgresPlanInput, name string, header []string, up *change) (string, []Finding, error) {
	return gateDestructive(header, up, d.file(name), in.AllowDestructive, "a PostgreSQL migration", func(text string) ([]Finding, error) {
		return cur.lint(ctx, d.file(name), text, in.Database)
	})
}

// pgCheck applies the planned migration in cur, which holds the schema
// before it, and verifies that it reaches desired, then that its down
// script brings back current; cur is left as it was.
func pgCheck(ctx context.Context, cur *pgSpace, d *migDir, name, upFile, downFile string, desired, current *pgState) error {
	return cur.savepoint(ctx, false, func() error {
		for _, step := range []struct {
			file, script string
			want         *pgState
		}{{d.file(name), upFile, desired}, {d.file(downName(name)), downFile, current}} {
			if err := cur.exec(ctx, step.file, step.script); err != nil {
				return fmt.Errorf("dbgen planned a PostgreSQL script that does not apply, please report it: %w", err)
			}
			got, err := cur.inspect(ctx, desired.schema.Name)
			if err != nil {
				return err
			}
			diffs, err := pgCompare(cur.dev, got, step.want)
			if err != nil {
				return err
			}
			if len(diffs) > 0 {
				return fmt.Errorf("dbgen planned %s, which does not reach its target schema on PostgreSQL, please report it: %s",
					step.file, strings.Join(diffs, "; "))
			}
		}
		return nil
	})
}

// pgCompare returns what differs between two PostgreSQL states, one
// description per difference; none when they are the same schema.
func pgCompare(dev *PostgresDev, got, want *pgState) ([]string, error) {
	changes, err := pgDiffTables(dev.drv, got, want)
	if err != nil {
		return nil, err
	}
	diffs := make([]string, 0, len(changes))
	for _, c := range changes {
		diffs = append(diffs, describe(c))
	}
	return append(diffs, pgCompareObjects(got, want)...), nil
}
