package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/dbgen-dev/dbgen/internal/pgtest"
)

// stopPostgres stops the scripts' PostgreSQL server, if one started, once
// the tests have run.
type stopPostgres struct{ m *testing.M }

func (s stopPostgres) Run() int {
	code := s.m.Run()
	pgtest.Stop()
	return code
}

// scriptCondition knows [postgres]: a PostgreSQL server runs for the
// scripts (started on first use). Without one the condition is false, so
// that `[!postgres] skip` skips the script; in CI it is an error instead.
func scriptCondition(cond string) (bool, error) {
	if cond != "postgres" {
		return false, fmt.Errorf("unknown condition %q", cond)
	}
	if _, err := pgtest.Shared(); err != nil {
		if pgtest.Required() {
			return false, fmt.Errorf("PostgreSQL is required here (CI) but cannot start: %v", err)
		}
		return false, nil
	}
	return true, nil
}

var scriptDatabases atomic.Int64

// cmdPGDB creates an empty database on the scripts' server and sets the
// environment variable VAR to its postgres:// URL: pgdb VAR. The database
// is dropped when the script ends.
func cmdPGDB(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: pgdb VAR")
	}
	srv, err := pgtest.Shared()
	if err != nil {
		ts.Fatalf("pgdb: no PostgreSQL server (guard the script with [!postgres] skip): %v", err)
	}
	name := fmt.Sprintf("script%d_%d", os.Getpid(), scriptDatabases.Add(1))
	admin, err := sql.Open("pgx", srv.URL("postgres"))
	ts.Check(err)
	defer admin.Close()
	_, err = admin.Exec("CREATE DATABASE " + name)
	ts.Check(err)
	ts.Defer(func() {
		admin, err := sql.Open("pgx", srv.URL("postgres"))
		if err != nil {
			return
		}
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	ts.Setenv(args[0], srv.URL(name))
}

// cmdPGCount runs a query that counts on a PostgreSQL database and checks
// the count: pgcount URL QUERY N.
func cmdPGCount(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: pgcount URL QUERY N")
	}
	db, err := sql.Open("pgx", args[0])
	ts.Check(err)
	defer db.Close()
	var n int
	ts.Check(db.QueryRow(args[1]).Scan(&n))
	if fmt.Sprint(n) != args[2] {
		ts.Fatalf("%s: %d, want %s", args[1], n, args[2])
	}
}

// cmdPGExec runs the SQL of a file on a PostgreSQL database, every
// statement of it in one simple query: pgexec URL FILE.
func cmdPGExec(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: pgexec URL FILE")
	}
	db, err := sql.Open("pgx", args[0])
	ts.Check(err)
	defer db.Close()
	_, err = db.Exec(ts.ReadFile(args[1]))
	ts.Check(err)
}
