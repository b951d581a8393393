package runtime

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The child process of the migration tests: it Opens the database at
// the URL in pgKillChildEnv with killDef and exits.
const (
	pgKillChildEnv = "DBGEN_PGKILL_CHILD_URL"
	pgKillSleepEnv = "DBGEN_PGKILL_SLEEP"
)

// killDef is a database with four PostgreSQL migrations, the third slow:
// it sleeps sleep seconds after its first statements. Each records its
// number in steps, so that one applied twice, or half, shows.
func killDef(t testing.TB, sleep string) *Definition {
	t.Helper()
	dir := migrationsDir(t, map[string]string{
		"20260101000000_steps.sql": "CREATE TABLE steps (n bigint NOT NULL UNIQUE);\nINSERT INTO steps VALUES (1);\n",
		"20260102000000_b.sql":     "CREATE TABLE b (x bigint);\nINSERT INTO steps VALUES (2);\n",
		"20260103000000_slow.sql": "CREATE TABLE slow (x bigint);\nINSERT INTO steps VALUES (3);\nSELECT pg_sleep(" + sleep + ");\n" +
			"INSERT INTO slow VALUES (3);\n",
		"20260104000000_d.sql": "CREATE TABLE d (x bigint);\nINSERT INTO steps VALUES (4);\n",
	})
	table := func(name, col string) Table {
		return Table{Name: name, Columns: []Column{{Name: col, SQLType: "INTEGER", GoType: "int64"}}}
	}
	return &Definition{
		Name:     "kills",
		Postgres: &PostgresSchema{Schema: "kills", Migrations: dir},
		Tables:   []Table{table("steps", "n"), table("b", "x"), table("slow", "x"), table("d", "x")},
	}
}

// pgKillChild is the child's side: Open, then exit 0; any error exits 1.
func pgKillChild(t *testing.T, url string) {
	db, err := Open(context.Background(), url, killDef(t, os.Getenv(pgKillSleepEnv)))
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(1)
	}
	db.Close()
	os.Exit(0)
}

// startKillChild runs this test binary again as a child that Opens url.
func startKillChild(t *testing.T, url, sleep string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), pgKillChildEnv+"="+url, pgKillSleepEnv+"="+sleep)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// pgState is what the migrations left in the kills schema: the versions
// recorded, the tables, and steps' rows.
type pgState struct {
	Versions []string
	Tables   []string
	Steps    []string
}

func readKillState(t *testing.T, url string) pgState {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	col := func(query string) []string {
		rows, err := db.Query(query)
		if err != nil {
			if strings.Contains(err.Error(), "does not exist") {
				return nil
			}
			t.Fatalf("%s: %v", query, err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		return out
	}
	return pgState{
		Versions: col(`SELECT version FROM kills.dbgen_revisions ORDER BY version`),
		Tables:   col(`SELECT tablename FROM pg_tables WHERE schemaname = 'kills' AND tablename <> 'dbgen_revisions' ORDER BY 1`),
		Steps:    col(`SELECT n::text FROM kills.steps ORDER BY n`),
	}
}

// TestPostgresMigrationKilled SIGKILLs a process while it applies the
// slow third of four migrations at Open: the database is left at the
// second, recorded, with nothing of the third (its transaction never
// commits), and the next Open waits for the killed process's server
// session to go, then applies the third and fourth, once each.
func TestPostgresMigrationKilled(t *testing.T) {
	if url := os.Getenv(pgKillChildEnv); url != "" {
		pgKillChild(t, url)
		return
	}
	if testing.Short() {
		t.Skip("spawns processes")
	}
	url := postgresEngine.location(t)
	admin, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()

	child := startKillChild(t, url, "2")
	// Wait for the slow migration to be running: its pg_sleep, seen from
	// another session, after the first two files committed.
	for i := 0; ; i++ {
		var n int
		if err := admin.QueryRow(`SELECT count(*) FROM pg_stat_activity
  WHERE datname = current_database() AND state = 'active' AND query LIKE 'SELECT pg_sleep%'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			break
		}
		if i == 3000 {
			child.Process.Kill()
			t.Fatal("the slow migration never started")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := child.Wait(); err == nil {
		t.Fatal("the child finished its Open before the kill")
	}

	killed := readKillState(t, url)
	want := pgState{
		Versions: []string{"20260101000000", "20260102000000"},
		Tables:   []string{"b", "steps"},
		Steps:    []string{"1", "2"},
	}
	if diff := cmp.Diff(want, killed); diff != "" {
		t.Errorf("after the kill (-want +got):\n%s", diff)
	}

	db, err := Open(context.Background(), url, killDef(t, "0"))
	if err != nil {
		t.Fatalf("Open after the kill: %v", err)
	}
	defer db.Close()
	v, err := migrationVersion(context.Background(), db)
	if err != nil || v != "20260104000000" {
		t.Errorf("version after the second Open = %q, %v; want 20260104000000", v, err)
	}
	head := pgState{
		Versions: []string{"20260101000000", "20260102000000", "20260103000000", "20260104000000"},
		Tables:   []string{"b", "d", "slow", "steps"},
		Steps:    []string{"1", "2", "3", "4"},
	}
	if diff := cmp.Diff(head, readKillState(t, url)); diff != "" {
		t.Errorf("after the second Open (-want +got):\n%s", diff)
	}
}

// TestPostgresConcurrentOpens starts three processes that Open a new
// database at once: they take turns on the schema's advisory lock, every
// one succeeds, and each migration is applied once (steps.n is UNIQUE:
// a second application would fail, or show).
func TestPostgresConcurrentOpens(t *testing.T) {
	if url := os.Getenv(pgKillChildEnv); url != "" {
		pgKillChild(t, url)
		return
	}
	if testing.Short() {
		t.Skip("spawns processes")
	}
	url := postgresEngine.location(t)
	const n = 3
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		cmd := startKillChild(t, url, "0.5")
		wg.Go(func() { errs[i] = cmd.Wait() })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("child %d: %v", i, err)
		}
	}
	head := pgState{
		Versions: []string{"20260101000000", "20260102000000", "20260103000000", "20260104000000"},
		Tables:   []string{"b", "d", "slow", "steps"},
		Steps:    []string{"1", "2", "3", "4"},
	}
	if diff := cmp.Diff(head, readKillState(t, url)); diff != "" {
		t.Errorf("after %d concurrent Opens (-want +got):\n%s", n, diff)
	}
	var applied int
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRow(`SELECT count(*) FROM kills.slow`).Scan(&applied); err != nil || applied != 1 {
		t.Errorf("the slow migration's row: %d, %v; want 1", applied, err)
	}
}

// TestPostgresMigrationsShortOfSchema: a package whose PostgreSQL
// migrations do not create a table of its Definition fails to open with
// MIGRATION_FAILED naming the table and the version reached, judged under
// the migrations' lock (another process may be migrating at that moment),
// and the lock is free afterwards.
func TestPostgresMigrationsShortOfSchema(t *testing.T) {
	url := postgresEngine.location(t)
	def := killDef(t, "0")
	def.Tables = append(def.Tables, Table{Name: "e", Columns: []Column{{Name: "x", SQLType: "INTEGER", GoType: "int64"}}})
	_, err := Open(context.Background(), url, def)
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeMigrationFailed ||
		!strings.Contains(e.Message, "the PostgreSQL migrations applied, up to 20260104000000, do not reach the package's schema: schema kills lacks table e") {
		t.Fatalf("Open = %v, want MIGRATION_FAILED naming table e and version 20260104000000", err)
	}
	// The check released the lock: the package that matches opens.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	db, err := Open(ctx, url, killDef(t, "0"))
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
}
