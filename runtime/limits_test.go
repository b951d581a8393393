package runtime

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"
)

// within runs f and fails the test if it does not return in time: the
// failures below used to hang (or panic) rather than return an error.
func within(t *testing.T, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("still running after 60s: it hangs")
	}
}

// allConns holds every connection of pool at once, so that a check runs on
// each of them rather than on whichever the pool hands out.
func allConns(t *testing.T, pool *sql.DB) []*sql.Conn {
	t.Helper()
	var conns []*sql.Conn
	for range pool.Stats().MaxOpenConnections {
		c, err := pool.Conn(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	return conns
}

// TestLimitsOnEveryConnection: SQLite's limits are dbgen's on the writer
// and on every reader, not the driver's defaults (expression depth 1000,
// which the embedded SQLite's stack does not survive).
func TestLimitsOnEveryConnection(t *testing.T) {
	db := openShop(t)
	deep := "SELECT 1" + strings.Repeat(" + 1", 150)
	for _, pool := range []struct {
		name string
		db   *sql.DB
	}{{"writer", db.Writer()}, {"reader", db.Reader()}} {
		for i, c := range allConns(t, pool.db) {
			var n int
			err := c.QueryRowContext(context.Background(), deep).Scan(&n)
			if err == nil || !strings.Contains(err.Error(), "Expression tree is too large (maximum depth 100)") {
				t.Errorf("%s connection %d: %s = %d, %v; want SQLite's expression depth limit of 100", pool.name, i, "1 + 1 + ...", n, err)
			}
		}
	}
}

// TestLikePatternLimit: a LIKE pattern, which a client of the admin API
// chooses, used to crash SQLite's stack from about 8,100 characters.
func TestLikePatternLimit(t *testing.T) {
	db := openShop(t)
	pattern := strings.Repeat("%a", 5000) + "%b"
	within(t, func() {
		var ok bool
		err := db.Reader().QueryRow("SELECT ? LIKE ?", strings.Repeat("a", 6000), pattern).Scan(&ok)
		if err == nil || !strings.Contains(err.Error(), "LIKE or GLOB pattern too complex") {
			t.Errorf("LIKE = %v, %v; want SQLite's LIKE pattern limit", ok, err)
		}
	})
}

// readAll runs query and reads its rows to the end.
func readAll(ctx context.Context, pool *sql.DB, query string) error {
	rows, err := pool.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.Err()
}

// TestCrashedStatementIsAnError: a statement that exhausts the embedded
// SQLite's stack within every limit (70 views, each reading the one before
// through five subqueries) used to panic in the caller and leave the pool's
// locks held. It must be an error; the pool, and Close, must go on working.
func TestCrashedStatementIsAnError(t *testing.T) {
	db := openShop(t)
	ctx := context.Background()
	if _, err := db.Writer().Exec("CREATE VIEW v0 AS SELECT 1 AS id"); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < 70; i++ {
		if _, err := db.Writer().Exec(fmt.Sprintf("CREATE VIEW v%d AS %sSELECT id FROM v%d%s", i, strings.Repeat("SELECT id FROM (", 5), i-1, strings.Repeat(")", 5))); err != nil {
			t.Fatal(err)
		}
	}
	within(t, func() {
		for _, pool := range []*sql.DB{db.Reader(), db.Writer()} {
			err := readAll(ctx, pool, "SELECT * FROM v69")
			if err == nil || !strings.Contains(err.Error(), "the embedded SQLite ran out of") {
				t.Errorf("SELECT * FROM v69: %v; want an error saying SQLite ran out of stack or memory", err)
			}
			var n int
			if err := pool.QueryRowContext(ctx, "SELECT count(*) FROM users").Scan(&n); err != nil {
				t.Errorf("the pool after the crash: %v", err)
			}
		}
		if _, err := db.Writer().Exec("INSERT INTO notes (body) VALUES ('still writable')"); err != nil {
			t.Errorf("the writer after the crash: %v", err)
		}
	})
}

// TestScratchDatabaseLimits: the in-memory database Open describes the
// package's schema in has dbgen's limits too.
func TestScratchDatabaseLimits(t *testing.T) {
	db, err := scratchDB(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	err = db.QueryRow("SELECT 1" + strings.Repeat(" + 1", 150)).Scan(&n)
	if err == nil || !strings.Contains(err.Error(), "Expression tree is too large (maximum depth 100)") {
		t.Errorf("1 + 1 + ... = %d, %v; want SQLite's expression depth limit of 100", n, err)
	}
}
