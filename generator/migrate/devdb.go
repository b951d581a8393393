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
	"ariga.io/atlas/sql/sqlite"

	"github.com/dbgen-dev/dbgen/internal/sqliteconn"
	"github.com/dbgen-dev/dbgen/internal/sqllex"
)

// devDB is an in-memory SQLite database that a schema is built in, so that
// Atlas can inspect it. It behaves as the runtime's migration connection
// does: foreign keys are not enforced while statements run.
type devDB struct {
	db  *sql.DB
	drv atlas.Driver
}

func openDev(ctx context.Context) (*devDB, error) {
	db, err := sqliteconn.Open(":memory:", nil)
	if err != nil {
		return nil, fmt.Errorf("open dev database: %w", err)
	}
	// Each connection to ":memory:" is a database of its own: keep exactly one.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	if _, err := db.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		db.Close()
		return nil, fmt.Errorf("open dev database: %w", err)
	}
	drv, err := sqlite.Open(db)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open dev database: %w", err)
	}
	return &devDB{db: db, drv: drv}, nil
}

func (d *devDB) Close() error { return d.db.Close() }

// stmtError is a statement of a script that failed in a dev database.
type stmtError struct {
	file string
	line int
	stmt string
	err  error
}

func (e *stmtError) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.file, e.line, e.err)
}

func (e *stmtError) Unwrap() error { return e.err }

// exec runs the statements of script one at a time, split as the runtime
// splits them, so that a script that replays here applies there too.
func (d *devDB) exec(ctx context.Context, file, script string) error {
	stmts, err := sqllex.Split(script)
	if err != nil {
		line := 0
		if se := (*sqllex.SyntaxError)(nil); errors.As(err, &se) {
			line = se.Line
		}
		return &stmtError{file: file, line: line, err: err}
	}
	for _, s := range stmts {
		if _, err := d.db.ExecContext(ctx, s.Text); err != nil {
			return &stmtError{file: file, line: s.Line, stmt: s.Text, err: err}
		}
	}
	return nil
}

// state is a schema as a dev database holds it: the tables and indexes as
// Atlas models them, and the views and triggers, which Atlas's SQLite driver
// does not inspect, as SQLite stores them.
type state struct {
	realm   *schema.Realm
	objects []object // in creation order
}

// inspect returns the current schema of d.
func (d *devDB) inspect(ctx context.Context) (*state, error) {
	realm, err := d.inspectRealm(ctx)
	if err != nil {
		return nil, err
	}
	objects, err := inspectObjects(ctx, d.db)
	if err != nil {
		return nil, err
	}
	return &state{realm: realm, objects: objects}, nil
}

// inspectRealm inspects the tables and indexes of d with Atlas.
func (d *devDB) inspectRealm(ctx context.Context) (*schema.Realm, error) {
	realm, err := d.drv.InspectRealm(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("inspect dev database: %w", err)
	}
	for _, s := range realm.Schemas {
		for _, t := range s.Tables {
			nameUniqueIndexes(t)
		}
	}
	return realm, nil
}

// inspectTables inspects the named tables of d with Atlas, as a realm of
// them alone; the names of tables that do not exist are left out.
func (d *devDB) inspectTables(ctx context.Context, names []string) (*schema.Realm, error) {
	s, err := d.drv.InspectSchema(ctx, "", &schema.InspectOptions{Tables: names})
	if err != nil {
		return nil, fmt.Errorf("inspect dev database: %w", err)
	}
	for _, t := range s.Tables {
		nameUniqueIndexes(t)
	}
	return schema.NewRealm(s), nil
}

// nameUniqueIndexes gives the indexes of the UNIQUE constraints of t names
// derived from t and their columns, sqlite_unique_<table>_<column>...
// SQLite names them sqlite_autoindex_<table>_<n>, after their position, and
// Atlas renames those to <table>_<column>... on the target side of a diff
// only, which makes indexes that did not change show as dropped and added,
// and can collide with an index the schema files name so. The sqlite_
// prefix is reserved: no index of the schema files can have the name.
func nameUniqueIndexes(t *schema.Table) {
	for _, idx := range t.Indexes {
		if origin(idx) != "u" {
			continue
		}
		names := []string{"sqlite_unique", t.Name}
		for _, p := range idx.Parts {
			if p.C != nil { // UNIQUE constraints list columns only
				names = append(names, p.C.Name)
			}
		}
		base := strings.Join(names, "_")
		idx.Name = base
		for n := 2; slices.ContainsFunc(t.Indexes, func(o *schema.Index) bool { return o != idx && o.Name == idx.Name }); n++ {
			idx.Name = fmt.Sprintf("%s_%d", base, n)
		}
	}
}

// buildState loads ddl into a new dev database and returns its schema.
func buildState(ctx context.Context, file, ddl string) (*state, error) {
	dev, err := openDev(ctx)
	if err != nil {
		return nil, err
	}
	defer dev.Close()
	if err := dev.exec(ctx, file, ddl); err != nil {
		return nil, fmt.Errorf("load desired schema: %w", err)
	}
	return dev.inspect(ctx)
}
