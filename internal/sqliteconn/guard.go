package sqliteconn

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"sync/atomic"

	"github.com/ncruces/go-sqlite3"
	sqlitedriver "github.com/ncruces/go-sqlite3/driver"
)

// CrashError is a panic of the embedded SQLite, recovered. The connection
// it happened on is gone: database/sql opens a new one for what follows.
type CrashError struct {
	Op string // the driver call: "prepare", "exec", "next", ...
	// OutOfMemory: the connection's memory was full. Otherwise its stack
	// ran out (or, rarely, the driver failed in another way).
	OutOfMemory bool
	Panic       any // what the driver panicked with
}

func (e *CrashError) Error() string {
	switch {
	case e.OutOfMemory:
		return "the embedded SQLite ran out of memory (256 MiB a connection): the statement, its values or the views it reads are too large"
	case isOverrun(e.Panic):
		return "the embedded SQLite ran out of stack: the statement nests views, subqueries, triggers or expressions too deep for it; flatten the nesting"
	default:
		return fmt.Sprintf("the embedded SQLite failed (%s: panic: %v)", e.Op, e.Panic)
	}
}

// isOverrun: the driver's memory is a bounds-checked Go slice, so a stack
// that grows past its 64 KiB shows as an access out of range.
func isOverrun(v any) bool {
	err, ok := v.(runtime.Error)
	return ok && strings.Contains(err.Error(), "out of range")
}

// isOOM: the driver panics with "sqlite3: out of memory" whenever SQLite
// or its own allocation in the connection's memory fails. The connection
// is intact then, and can still be closed.
func isOOM(v any) bool {
	err, ok := v.(error)
	return ok && err.Error() == "sqlite3: out of memory"
}

// conn guards one driver connection. database/sql calls it from one
// goroutine at a time; crashed is atomic because a Rows may be closed from
// the goroutine that watches a context.
type conn struct {
	inner   sqlitedriver.Conn
	exec    driver.ExecerContext
	check   driver.NamedValueChecker
	crashed atomic.Bool
	oom     bool // the crash was out of memory
}

var (
	_ driver.Conn               = (*conn)(nil)
	_ driver.ConnBeginTx        = (*conn)(nil)
	_ driver.ConnPrepareContext = (*conn)(nil)
	_ driver.ExecerContext      = (*conn)(nil)
	_ driver.NamedValueChecker  = (*conn)(nil)
	_ driver.Validator          = (*conn)(nil)
	_ sqlitedriver.Conn         = (*conn)(nil)
)

// recover is deferred around every call into the driver: a panic marks
// the connection crashed and becomes *err.
func (c *conn) recover(op string, err *error) {
	if r := recover(); r != nil {
		c.oom = c.oom || isOOM(r)
		c.crashed.Store(true)
		*err = &CrashError{Op: op, OutOfMemory: isOOM(r), Panic: r}
	}
}

// IsValid keeps a crashed connection out of the pool.
func (c *conn) IsValid() bool { return !c.crashed.Load() }

// Raw is the driver's connection. Calls on it are not guarded: use Raw
// (the function) to make them.
func (c *conn) Raw() *sqlite3.Conn { return c.inner.Raw() }

func (c *conn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *conn) PrepareContext(ctx context.Context, query string) (_ driver.Stmt, err error) {
	if c.crashed.Load() {
		return nil, driver.ErrBadConn
	}
	defer c.recover("prepare", &err)
	s, err := c.inner.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return newStmt(s, c)
}

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (_ driver.Result, err error) {
	if c.crashed.Load() {
		return nil, driver.ErrBadConn
	}
	defer c.recover("exec", &err)
	return c.exec.ExecContext(ctx, query, args)
}

func (c *conn) CheckNamedValue(v *driver.NamedValue) error { return c.check.CheckNamedValue(v) }

func (c *conn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (_ driver.Tx, err error) {
	if c.crashed.Load() {
		return nil, driver.ErrBadConn
	}
	defer c.recover("begin", &err)
	t, err := c.inner.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &tx{inner: t, c: c}, nil
}

// Close closes the driver connection, unless its stack overran: the module
// is then corrupt, and running it again could do anything. Its memory is
// left behind, and its files close when the garbage collector finds them,
// which Close asks for at once so that their locks go with them.
func (c *conn) Close() (err error) {
	if c.crashed.Load() && !c.oom {
		c.inner, c.exec, c.check = nil, nil, nil
		go runtime.GC()
		return nil
	}
	defer c.recover("close", &err)
	return c.inner.Close()
}

type tx struct {
	inner driver.Tx
	c     *conn
}

func (t *tx) Commit() (err error) {
	if t.c.crashed.Load() {
		return driver.ErrBadConn
	}
	defer t.c.recover("commit", &err)
	return t.inner.Commit()
}

func (t *tx) Rollback() (err error) {
	if t.c.crashed.Load() {
		return driver.ErrBadConn
	}
	defer t.c.recover("rollback", &err)
	return t.inner.Rollback()
}

// stmt guards a driver statement.
type stmt struct {
	inner driver.Stmt
	exec  driver.StmtExecContext
	query driver.StmtQueryContext
	check driver.NamedValueChecker
	c     *conn
}

// newStmt wraps s, which the driver makes with the context and value
// checking interfaces: a driver without them is refused here rather than
// failing inside a guarded call, where it would pass for a crash.
func newStmt(s driver.Stmt, c *conn) (driver.Stmt, error) {
	g := &stmt{inner: s, c: c}
	var ok1, ok2, ok3 bool
	g.exec, ok1 = s.(driver.StmtExecContext)
	g.query, ok2 = s.(driver.StmtQueryContext)
	g.check, ok3 = s.(driver.NamedValueChecker)
	if !ok1 || !ok2 || !ok3 {
		s.Close()
		return nil, fmt.Errorf("sqliteconn: driver statement %T lacks ExecContext, QueryContext or CheckNamedValue", s)
	}
	return g, nil
}

var (
	_ driver.StmtExecContext   = (*stmt)(nil)
	_ driver.StmtQueryContext  = (*stmt)(nil)
	_ driver.NamedValueChecker = (*stmt)(nil)
)

// Close does nothing on a crashed connection: the statement goes with it.
func (s *stmt) Close() (err error) {
	if s.c.crashed.Load() {
		return nil
	}
	defer s.c.recover("close statement", &err)
	return s.inner.Close()
}

func (s *stmt) NumInput() (n int) {
	if s.c.crashed.Load() {
		return -1
	}
	var err error
	defer func() {
		if err != nil {
			n = -1 // database/sql does not check; the next call fails
		}
	}()
	defer s.c.recover("bind", &err)
	return s.inner.NumInput()
}

func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

func named(args []driver.Value) []driver.NamedValue {
	nv := make([]driver.NamedValue, len(args))
	for i, v := range args {
		nv[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return nv
}

func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (_ driver.Result, err error) {
	if s.c.crashed.Load() {
		return nil, driver.ErrBadConn
	}
	defer s.c.recover("exec", &err)
	return s.exec.ExecContext(ctx, args)
}

func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (_ driver.Rows, err error) {
	if s.c.crashed.Load() {
		return nil, driver.ErrBadConn
	}
	defer s.c.recover("query", &err)
	r, err := s.query.QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	return newRows(r, s.c), nil
}

func (s *stmt) CheckNamedValue(v *driver.NamedValue) error {
	return s.check.CheckNamedValue(v)
}

// rows guards the driver's rows, which describe their columns too.
type rows struct {
	inner    driver.Rows
	scanType driver.RowsColumnTypeScanType
	dbType   driver.RowsColumnTypeDatabaseTypeName
	nullable driver.RowsColumnTypeNullable
	c        *conn
}

func newRows(r driver.Rows, c *conn) *rows {
	g := &rows{inner: r, c: c}
	g.scanType, _ = r.(driver.RowsColumnTypeScanType)
	g.dbType, _ = r.(driver.RowsColumnTypeDatabaseTypeName)
	g.nullable, _ = r.(driver.RowsColumnTypeNullable)
	return g
}

var (
	_ driver.RowsColumnTypeScanType         = (*rows)(nil)
	_ driver.RowsColumnTypeDatabaseTypeName = (*rows)(nil)
	_ driver.RowsColumnTypeNullable         = (*rows)(nil)
)

func (r *rows) Columns() (names []string) {
	if r.c.crashed.Load() {
		return nil
	}
	var err error
	defer r.c.recover("columns", &err)
	return r.inner.Columns()
}

func (r *rows) Close() (err error) {
	if r.c.crashed.Load() {
		return nil
	}
	defer r.c.recover("close rows", &err)
	return r.inner.Close()
}

func (r *rows) Next(dest []driver.Value) (err error) {
	if r.c.crashed.Load() {
		return driver.ErrBadConn
	}
	defer r.c.recover("next", &err)
	return r.inner.Next(dest)
}

var anyType = reflect.TypeFor[any]()

// The column descriptions return zero values once the connection crashed:
// they have no error to return, and the next call to Next reports it.

func (r *rows) ColumnTypeScanType(i int) (t reflect.Type) {
	if r.c.crashed.Load() || r.scanType == nil {
		return anyType
	}
	var err error
	defer func() {
		if err != nil {
			t = anyType
		}
	}()
	defer r.c.recover("column type", &err)
	return r.scanType.ColumnTypeScanType(i)
}

func (r *rows) ColumnTypeDatabaseTypeName(i int) string {
	if r.c.crashed.Load() || r.dbType == nil {
		return ""
	}
	var err error
	defer r.c.recover("column type", &err)
	return r.dbType.ColumnTypeDatabaseTypeName(i)
}

func (r *rows) ColumnTypeNullable(i int) (nullable, ok bool) {
	if r.c.crashed.Load() || r.nullable == nil {
		return false, false
	}
	var err error
	defer r.c.recover("column type", &err)
	return r.nullable.ColumnTypeNullable(i)
}

// Raw runs f on the driver connection of conn, guarded like the calls
// database/sql makes: a crash in f is a *CrashError, and the connection is
// thrown away when conn is closed.
func Raw(c *sql.Conn, f func(*sqlite3.Conn) error) error {
	return c.Raw(func(dc any) (err error) {
		g, ok := dc.(*conn)
		if !ok {
			return fmt.Errorf("sqliteconn.Raw: connection %T was not opened by sqliteconn.Open", dc)
		}
		if g.crashed.Load() {
			return driver.ErrBadConn
		}
		defer g.recover("raw", &err)
		return f(g.inner.Raw())
	})
}

// IsCrash reports whether err is, or wraps, a *CrashError.
func IsCrash(err error) bool {
	var ce *CrashError
	return errors.As(err, &ce)
}
