package sqliteconn

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ncruces/go-sqlite3"
)

// within fails the test if f does not return in time: a crash used to
// leave database/sql's locks held, and the next Close waited forever.
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

func openMemory(t *testing.T) *sql.DB {
	t.Helper()
	db, err := Open("file::memory:", nil)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

func TestLimitsOnEveryConnection(t *testing.T) {
	db, err := Open("file::memory:", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	var conns []*sql.Conn
	for range 3 {
		c, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	for i, c := range conns {
		err := Raw(c, func(raw *sqlite3.Conn) error {
			for _, l := range limits {
				if got := raw.Limit(l.id, -1); got != l.value {
					t.Errorf("connection %d: SQLITE_LIMIT_%s = %d, want %d", i, l.name, got, l.value)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
	}
}

func TestInitRuns(t *testing.T) {
	calls := 0
	db, err := Open("file::memory:", func(c *sqlite3.Conn) error {
		calls++
		return c.Exec("CREATE TABLE made_by_init (x)")
	})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("INSERT INTO made_by_init VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Errorf("init ran %d times for one connection", calls)
	}
	failing, err := Open("file::memory:", func(*sqlite3.Conn) error { return errors.New("no") })
	if err != nil {
		t.Fatal(err)
	}
	defer failing.Close()
	if err := failing.Ping(); err == nil || err.Error() != "no" {
		t.Errorf("Ping with a failing init: %v", err)
	}
}

// warmViewChain creates v0 ... v<n-1>, each over the one before, reading
// each once as it is made: then SQLite does not count them toward its
// expression depth, and the chain exhausts its stack.
func warmViewChain(ctx context.Context, c *sql.Conn, n int) error {
	if _, err := c.ExecContext(ctx, "CREATE VIEW v0 AS SELECT 1 AS id"); err != nil {
		return err
	}
	for i := 1; i < n; i++ {
		if _, err := c.ExecContext(ctx, fmt.Sprintf("CREATE VIEW v%d AS SELECT id FROM v%d", i, i-1)); err != nil {
			return err
		}
		rows, err := c.QueryContext(ctx, fmt.Sprintf("SELECT * FROM v%d", i))
		if err != nil {
			return fmt.Errorf("v%d: %w", i, err)
		}
		rows.Close()
	}
	return nil
}

// TestCrashIsAnError: every way into the driver that can run out of
// stack returns a *CrashError, leaves no lock held, and leaves a pool that
// opens a fresh connection for what comes next.
func TestCrashIsAnError(t *testing.T) {
	ctx := context.Background()
	within(t, func() {
		db := openMemory(t)
		c, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		err = warmViewChain(ctx, c, 400)
		var ce *CrashError
		if !errors.As(err, &ce) || ce.OutOfMemory || !strings.Contains(err.Error(), "ran out of stack") {
			t.Fatalf("a chain of 400 views: %v; want a *CrashError for the stack", err)
		}
		// The connection is gone, and says so rather than crashing again.
		if _, err := c.ExecContext(ctx, "SELECT 1"); err == nil {
			t.Error("the crashed connection still runs statements")
		}
		if err := c.Close(); err != nil && !errors.Is(err, sql.ErrConnDone) {
			t.Errorf("Close: %v", err)
		}
		// The pool opens a new connection: a fresh, empty memory database.
		var n int
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n); err != nil || n != 0 {
			t.Errorf("the pool after a crash: %d objects, %v", n, err)
		}
	})
}

// TestCrashThroughEveryCall crashes SQLite through each database/sql path
// that reaches the driver: each must return the crash as an error.
func TestCrashThroughEveryCall(t *testing.T) {
	ctx := context.Background()
	const deep = "SELECT * FROM v299"
	paths := []struct {
		name string
		run  func(db *sql.DB) error
	}{
		{"DB.Exec", func(db *sql.DB) error { _, err := db.ExecContext(ctx, deep); return err }},
		{"DB.Query", func(db *sql.DB) error { _, err := db.QueryContext(ctx, deep); return err }},
		{"DB.Prepare", func(db *sql.DB) error { _, err := db.PrepareContext(ctx, deep); return err }},
		{"Tx.Query", func(db *sql.DB) error {
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			defer tx.Rollback()
			_, err = tx.QueryContext(ctx, deep)
			return err
		}},
		{"Conn.Raw", func(db *sql.DB) error {
			c, err := db.Conn(ctx)
			if err != nil {
				return err
			}
			defer c.Close()
			return Raw(c, func(raw *sqlite3.Conn) error {
				s, _, err := raw.Prepare(deep)
				if err == nil {
					s.Close()
				}
				return err
			})
		}},
	}
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			within(t, func() {
				// A file, so that the views outlive the crashed connection.
				db, err := Open("file:"+t.TempDir()+"/views.db", nil)
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				db.SetMaxOpenConns(1)
				c, err := db.Conn(ctx)
				if err != nil {
					t.Fatal(err)
				}
				views := "BEGIN; CREATE VIEW v0 AS SELECT 1 AS id;"
				for i := 1; i < 300; i++ {
					views += fmt.Sprintf("CREATE VIEW v%d AS SELECT id FROM v%d;", i, i-1)
				}
				if _, err := c.ExecContext(ctx, views+"COMMIT"); err != nil {
					t.Fatal(err)
				}
				// Read the first 250 views on the one connection, each once:
				// then v299 is 50 views from what SQLite knows (within
				// ExprDepth) but 300 deep, past the stack.
				for i := 1; i < 250; i++ {
					var id int
					if err := c.QueryRowContext(ctx, fmt.Sprintf("SELECT id FROM v%d", i)).Scan(&id); err != nil {
						t.Fatalf("v%d: %v", i, err)
					}
				}
				c.Close()
				if err := p.run(db); !IsCrash(err) {
					t.Errorf("%s: %v; want a *CrashError", p.name, err)
				}
				var n int
				if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n); err != nil || n != 300 {
					t.Errorf("the pool afterwards: %d views, %v", n, err)
				}
			})
		})
	}
}

// TestOutOfMemoryIsAnError: a value larger than the connection's memory
// used to panic in the driver ("sqlite3: out of memory").
func TestOutOfMemoryIsAnError(t *testing.T) {
	ctx := context.Background()
	within(t, func() {
		db := openMemory(t)
		var n int
		err := db.QueryRowContext(ctx, "SELECT length(?)", make([]byte, 300<<20)).Scan(&n)
		var ce *CrashError
		if !errors.As(err, &ce) || !ce.OutOfMemory {
			t.Fatalf("a 300 MiB value: %d, %v; want a *CrashError out of memory", n, err)
		}
		if err := db.QueryRowContext(ctx, "SELECT 1").Scan(&n); err != nil {
			t.Errorf("the pool afterwards: %v", err)
		}
	})
}

// TestValuesAreNotCompound: CompoundSelect limits UNION terms, not the
// rows of VALUES, which bulk inserts and views of constants use.
func TestValuesAreNotCompound(t *testing.T) {
	db := openMemory(t)
	var n int
	rows := strings.TrimSuffix(strings.Repeat("(1),", 5000), ",")
	if err := db.QueryRow("SELECT count(*) FROM (VALUES " + rows + ")").Scan(&n); err != nil || n != 5000 {
		t.Errorf("VALUES of 5000 rows: %d, %v", n, err)
	}
	union := "SELECT 1" + strings.Repeat(" UNION ALL SELECT 1", CompoundSelect)
	if err := db.QueryRow("SELECT count(*) FROM (" + union + ")").Scan(&n); err == nil || !strings.Contains(err.Error(), "too many terms in compound SELECT") {
		t.Errorf("%d UNION ALL terms: %d, %v; want SQLite's compound limit", CompoundSelect+1, n, err)
	}
}
