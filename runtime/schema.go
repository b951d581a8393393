package runtime

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"github.com/ncruces/go-sqlite3/ext/fts5"

	"github.com/dbgen-dev/dbgen/internal/sqliteconn"
	"github.com/dbgen-dev/dbgen/runtime/migrate"
)

// applyDDL creates the schema of a database that has none yet, in one write
// transaction. The IMMEDIATE lock makes it safe when two processes open a
// new file at once: the second one finds the tables and leaves them be.
// A database that already has tables is left as it is; changing it is the
// job of migrations.
func applyDDL(ctx context.Context, db *DB) error {
	if db.def.DDL == "" {
		return nil
	}
	err := db.WriteTx(ctx, func(tx *Tx) error {
		n, err := countTables(ctx, tx)
		if err != nil || n > 0 {
			return err
		}
		_, err = tx.ExecContext(ctx, db.def.DDL)
		return err
	})
	if err != nil {
		return newError(CodeMigrationFailed, db.def.Name, "create the schema").wrap(err)
	}
	return nil
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// countTables counts the application's tables and views, leaving out
// SQLite's own (sqlite_sequence, sqlite_stat1, ...).
func countTables(ctx context.Context, q queryer) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema
		WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`).Scan(&n)
	return n, err
}

// desiredSchemas caches the description of each Definition's DDL, by its
// text: a process describes it once, however often it opens the database.
var desiredSchemas sync.Map // string → *desired

type desired struct {
	once   sync.Once
	schema *migrate.Schema
	err    error
}

// desiredSchema describes the schema that ddl creates, built in a scratch
// database.
func desiredSchema(ctx context.Context, ddl string) (*migrate.Schema, error) {
	v, _ := desiredSchemas.LoadOrStore(ddl, &desired{})
	d := v.(*desired)
	d.once.Do(func() {
		// Cached for every later Open: a canceled ctx must not be.
		ctx := context.WithoutCancel(ctx)
		scratch, err := scratchDB(ctx)
		if err != nil {
			d.err = err
			return
		}
		defer scratch.Close()
		if _, err := scratch.ExecContext(ctx, ddl); err != nil {
			d.err = fmt.Errorf("create the schema in memory: %w", err)
			return
		}
		d.schema, d.err = migrate.Describe(ctx, scratch)
	})
	return d.schema, d.err
}

// scratchDB opens an empty in-memory database, with the extensions of the
// runtime's own connections. It has one connection: each connection to
// ":memory:" is a database of its own.
func scratchDB(context.Context) (*sql.DB, error) {
	db, err := sqliteconn.Open(":memory:", fts5.Register)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	return db, nil
}
