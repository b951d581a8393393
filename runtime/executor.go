package runtime

import (
	"context"
	"database/sql"
	"database/sql/driver"
)

// Executor is where the methods of a generated package run their
// statements: a *DB sends reads to the read pool and writes to the writer,
// each retried while another connection holds a lock; a *Tx runs them inside
// its transaction, which WriteTx retries as a whole. Either way errors come
// back translated (see Translate), so one generated method works the same on
// the database and in a transaction.
type Executor interface {
	// run calls fn with the connection a statement must use: write says
	// whether it may change the database.
	run(ctx context.Context, write bool, fn func(conn) error) error
	// snapshot calls fn with a connection whose reads all see one state
	// of the database: a read transaction, or the transaction itself.
	snapshot(ctx context.Context, fn func(conn) error) error
	// database is the DB the executor belongs to.
	database() *DB
}

// conn is what *sql.DB and *sql.Tx both offer, and what sqlc's generated
// DBTX interface asks for.
type conn interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

var (
	_ Executor = (*DB)(nil)
	_ Executor = (*Tx)(nil)
)

func (db *DB) database() *DB { return db }

// run sends a write to the writer, outside an explicit transaction: one
// statement is atomic on its own, and BEGIN and COMMIT would cost two round
// trips. A read goes to the read pool.
func (db *DB) run(ctx context.Context, write bool, fn func(conn) error) error {
	if write {
		if err := db.takeWriter(ctx, "write"); err != nil {
			return err
		}
		defer db.releaseWriter()
		err := db.retry(ctx, "write", func() error { return fn(db.wconn) })
		if err == nil {
			db.counters.writeTxs.Add(1)
		}
		return err
	}
	err := db.retry(ctx, "read", func() error { return fn(db.rconn) })
	if err == nil {
		db.counters.readTxs.Add(1)
	}
	return err
}

func (db *DB) snapshot(ctx context.Context, fn func(conn) error) error {
	return db.ReadTx(ctx, func(tx *Tx) error { return fn(tx.c) })
}

func (tx *Tx) database() *DB { return tx.db }

func (tx *Tx) snapshot(ctx context.Context, fn func(conn) error) error {
	return tx.run(ctx, false, fn)
}

// run runs fn inside the transaction. Lock errors are not retried here: the
// transaction is, as a whole, by WriteTx or ReadTx.
func (tx *Tx) run(ctx context.Context, write bool, fn func(conn) error) error {
	return Translate(tx.db.def.Name, fn(tx.c))
}

// ModuleQuery describes one of a module's own queries to the runtime: the
// generated package passes it with every call.
type ModuleQuery struct {
	Name  string
	Write bool // the query may change the database: it runs on the writer
	// Postgres is the query's text on PostgreSQL, with $1, $2 ... for its
	// parameters in sqlc's order; "" when it is the SQLite text with its ?
	// numbered, which the runtime does itself.
	Postgres string
	// Params are the columns the query's parameters are compared with or
	// written to, in order; the codec binds each argument as it would a
	// value of that column (a DATE parameter as YYYY-MM-DD).
	Params []Param
}

// Param is what the codec knows of a module query's parameter: the family
// of its column (FamilyUntyped where it meets none), and whether the column
// is NOT NULL (then a nil []byte for a BLOB is the empty BLOB).
type Param struct {
	Family  Family
	NotNull bool
}

// DBTX is the connection a module query's sqlc code runs on. It binds every
// argument through the codec, as the generated table methods do. On
// PostgreSQL it runs the query's PostgreSQL text when the generator gave
// one, else sqlc's text with its placeholders numbered.
type DBTX struct {
	c conn
	q *ModuleQuery
}

// on returns the connection and the text to run query with.
func (d DBTX) on(query string) (conn, string) {
	if p, ok := d.c.(pgConn); ok && d.q != nil && d.q.Postgres != "" {
		return p.c, d.q.Postgres
	}
	return d.c, query
}

func (d DBTX) dialect() dialect {
	if _, ok := d.c.(pgConn); ok {
		return postgresDialect
	}
	return sqliteDialect
}

func (d DBTX) args(args []any) ([]any, error) {
	var params []Param
	if d.q != nil && len(d.q.Params) == len(args) {
		params = d.q.Params
	}
	for i, a := range args {
		var p Param
		if params != nil {
			p = params[i]
		}
		v, err := d.dialect().bind(p.Family, p.NotNull, a)
		if err != nil {
			return nil, err
		}
		args[i] = v
	}
	return args, nil
}

func (d DBTX) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	args, err := d.args(args)
	if err != nil {
		return nil, err
	}
	c, query := d.on(query)
	return c.ExecContext(ctx, query, args...)
}

func (d DBTX) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	c, query := d.on(query)
	return c.PrepareContext(ctx, query)
}

func (d DBTX) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	args, err := d.args(args)
	if err != nil {
		return nil, err
	}
	c, query := d.on(query)
	return c.QueryContext(ctx, query, args...)
}

// QueryRowContext cannot return an error of its own, so an argument the
// codec refuses is bound as a value that fails with the codec's error:
// database/sql then returns it, wrapped, from the row's Scan.
func (d DBTX) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if _, err := d.args(args); err != nil {
		args = []any{refused{err}}
	}
	c, query := d.on(query)
	return c.QueryRowContext(ctx, query, args...)
}

// refused is an argument whose conversion fails with err.
type refused struct{ err error }

func (r refused) Value() (driver.Value, error) { return nil, r.err }

// Call runs a module query that returns a value (sqlc's :one, :many,
// :execrows, ...) through x: fn is the sqlc method, called with the DBTX.
func Call[T any](ctx context.Context, x Executor, q *ModuleQuery, fn func(DBTX) (T, error)) (T, error) {
	var out T
	err := x.run(ctx, q.Write, func(c conn) error {
		var err error
		out, err = fn(DBTX{c: c, q: q})
		return err
	})
	return out, err
}

// CallExec runs a module query that returns only an error (sqlc's :exec).
func CallExec(ctx context.Context, x Executor, q *ModuleQuery, fn func(DBTX) error) error {
	return x.run(ctx, q.Write, func(c conn) error { return fn(DBTX{c: c, q: q}) })
}
