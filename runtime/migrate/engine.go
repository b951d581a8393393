package migrate

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/dbgen-dev/dbgen/internal/sqllex"
)

// engine is what differs between the databases migrate applies to: SQLite
// files, and PostgreSQL schemas (pgx through database/sql). Every function
// of the package asks engineOf which one a *sql.DB is, so callers pass the
// same pools either way.
type engine interface {
	// session prepares the connection pinned for a migration (SQLite:
	// foreign keys off and a busy timeout; PostgreSQL: the schema's
	// advisory lock) and returns what undoes it.
	session(ctx context.Context, c *sql.Conn) (restore func(context.Context) error, err error)
	// begin starts the transaction of one file, waiting as long as ctx
	// allows for the write lock.
	begin(ctx context.Context, c *sql.Conn) error
	// revisionsExist reports whether the revisions table exists.
	revisionsExist(ctx context.Context, q querier) (bool, error)
	// objects counts the tables and views of the database's own, the
	// revisions table aside.
	objects(ctx context.Context, q querier) (int, error)
	createRevisions() string
	insertRevision() string // version, description, checksum, applied_at, duration_ms, baseline
	deleteRevision() string // version
	// split cuts a file into statements.
	split(f *file) ([]sqllex.Statement, error)
	// control refuses a statement of transaction control: each file runs
	// in a transaction of its own.
	control(stmt string) error
	// verify runs before a file's commit (SQLite: the foreign key check
	// that its connection, with enforcement off, did not do).
	verify(ctx context.Context, c *sql.Conn, name string) error
	// statementError locates a failing statement's error.
	statementError(f *file, s sqllex.Statement, err error) *Error
}

// engineOf returns the engine of db's driver.
func engineOf(db *sql.DB) engine {
	if _, ok := db.Driver().(*stdlib.Driver); ok {
		return postgresEngine{}
	}
	return sqliteEngine{}
}

// sqliteEngine is SQLite, as the package documentation describes it.
type sqliteEngine struct{}

func (sqliteEngine) session(ctx context.Context, c *sql.Conn) (func(context.Context) error, error) {
	var (
		foreignKeys bool
		busyTimeout int
	)
	if err := c.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&foreignKeys); err != nil {
		return nil, fileError(RevisionsTable, "read foreign_keys: %w", err)
	}
	if err := c.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busyTimeout); err != nil {
		return nil, fileError(RevisionsTable, "read busy_timeout: %w", err)
	}
	restore := func(ctx context.Context) error { return setPragmas(ctx, c, foreignKeys, busyTimeout) }
	wait := busyTimeout
	if wait == 0 {
		wait = int(defaultBusyTimeout.Milliseconds())
	}
	if err := setPragmas(ctx, c, false, wait); err != nil {
		return restore, fileError(RevisionsTable, "turn foreign keys off: %w", err)
	}
	return restore, nil
}

func (sqliteEngine) begin(ctx context.Context, c *sql.Conn) error { return begin(ctx, c) }

func (sqliteEngine) revisionsExist(ctx context.Context, q querier) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`,
		RevisionsTable).Scan(&n)
	return n > 0, err
}

func (sqliteEngine) objects(ctx context.Context, q querier) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema
  WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name <> ?1`, RevisionsTable).Scan(&n)
	return n, err
}

func (sqliteEngine) createRevisions() string { return createRevisions }

func (sqliteEngine) insertRevision() string {
	return `INSERT INTO ` + RevisionsTable +
		` (version, description, checksum, applied_at, duration_ms, baseline) VALUES (?, ?, ?, ?, ?, ?)`
}

func (sqliteEngine) deleteRevision() string {
	return `DELETE FROM ` + RevisionsTable + ` WHERE version = ?`
}

func (sqliteEngine) split(f *file) ([]sqllex.Statement, error) {
	stmts, err := sqllex.Split(string(f.data))
	if err != nil {
		var se *sqllex.SyntaxError
		if errors.As(err, &se) {
			return nil, &Error{File: f.name, Line: se.Line, Err: errors.New(se.Msg)}
		}
		return nil, &Error{File: f.name, Err: err}
	}
	return stmts, nil
}

func (sqliteEngine) control(stmt string) error { return checkStatement(stmt) }

func (sqliteEngine) verify(ctx context.Context, c *sql.Conn, name string) error {
	return foreignKeyCheck(ctx, c, name)
}

func (sqliteEngine) statementError(f *file, s sqllex.Statement, err error) *Error {
	return &Error{File: f.name, Line: s.Line, Statement: s.Text, Err: err}
}

// discard makes database/sql close c instead of handing it back to the
// pool, for a connection whose settings could not be restored.
func discard(c *sql.Conn) {
	_ = c.Raw(func(any) error { return driver.ErrBadConn })
}

// wrapf is fileError for the revisions table.
func wrapf(format string, args ...any) *Error {
	return &Error{File: RevisionsTable, Err: fmt.Errorf(format, args...)}
}
