// Package sqliteconn opens every SQLite connection of dbgen, in the
// generator and in the runtime: with dbgen's limits (limits.go) set on
// each, and with a crash of the embedded SQLite turned into an error.
//
// The driver's SQLite is Go code translated from WebAssembly. When it runs
// out of stack or memory it panics in the goroutine that called it, in the
// middle of database/sql, which then never releases the connection's locks:
// the next Close waits forever. Here every call into the driver recovers
// such a panic, returns it as a *CrashError and marks the connection
// crashed; database/sql then throws it away instead of reusing it (guard.go).
package sqliteconn

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/ncruces/go-sqlite3"
	sqlitedriver "github.com/ncruces/go-sqlite3/driver"
)

// Open opens a pool on name, a file name or file: URI as the driver reads
// it. Every new connection gets dbgen's limits, then init (nil for none).
func Open(name string, init func(*sqlite3.Conn) error) (*sql.DB, error) {
	inner, err := (&sqlitedriver.SQLite{}).OpenConnector(name)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(&connector{inner: inner, init: init}), nil
}

type connector struct {
	inner driver.Connector
	init  func(*sqlite3.Conn) error
}

func (c *connector) Driver() driver.Driver { return c.inner.Driver() }

// openBusyFor bounds how long Connect retries a new connection that SQLite
// answered with SQLITE_BUSY while running the DSN's pragmas: switching a
// new file to WAL takes a lock that SQLite does not wait for through the
// busy handler, so two processes opening the same new file at the same
// moment would otherwise see "database is locked" from Open.
const openBusyFor = 10 * time.Second

func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	deadline := time.Now().Add(openBusyFor)
	for wait := time.Millisecond; ; wait = min(2*wait, 50*time.Millisecond) {
		dc, err := c.connect(ctx)
		if err == nil || !(errors.Is(err, sqlite3.BUSY) || errors.Is(err, sqlite3.LOCKED)) || time.Now().After(deadline) {
			return dc, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(wait):
		}
	}
}

func (c *connector) connect(ctx context.Context) (_ driver.Conn, err error) {
	g := &conn{}
	defer func() {
		if g.crashed.Load() && g.inner != nil {
			g.Close()
		}
	}()
	defer g.recover("open", &err)
	dc, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	var ok1, ok2, ok3 bool
	g.inner, ok1 = dc.(sqlitedriver.Conn)
	g.exec, ok2 = dc.(driver.ExecerContext)
	g.check, ok3 = dc.(driver.NamedValueChecker)
	if !ok1 || !ok2 || !ok3 {
		dc.Close()
		return nil, fmt.Errorf("sqliteconn: driver connection %T lacks Raw, ExecContext or CheckNamedValue", dc)
	}
	err = SetLimits(g.inner.Raw())
	if err == nil && c.init != nil {
		err = c.init(g.inner.Raw())
	}
	if err != nil {
		g.inner.Close()
		return nil, err
	}
	return g, nil
}
