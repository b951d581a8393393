package migrate_test

import (
	"github.com/dbgen-dev/dbgen/internal/sqlitetest"

	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dbgen-dev/dbgen/runtime/migrate"
)

// childEnv makes the test binary, run by TestConcurrentProcesses, a process
// that opens a database and migrates it: "<db path>|<migrations dir>|<id>".
const childEnv = "DBGEN_MIGRATE_TEST_CHILD"

// TestConcurrentProcesses starts processes that open the same new database
// file and migrate it at the same moment: each migration must be applied
// exactly once, whichever process applies it.
func TestConcurrentProcesses(t *testing.T) {
	const processes = 3
	work := t.TempDir()
	dir := writeDir(t, map[string]string{
		"20250101000000_log.sql": "CREATE TABLE log (migration TEXT NOT NULL);\nINSERT INTO log VALUES ('log');\n",
		// Slow enough that the other processes queue on the write lock.
		"20250102000000_fill.sql": `CREATE TABLE numbers (n INTEGER PRIMARY KEY);
INSERT INTO numbers WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 200000) SELECT n FROM c;
INSERT INTO log VALUES ('fill');
`,
		"20250103000000_last.sql": "INSERT INTO log VALUES ('last');\n",
	})
	dbPath := filepath.Join(work, "app.db")
	children := make([]*exec.Cmd, processes)
	outputs := make([]*strings.Builder, processes)
	for i := range children {
		cmd := exec.Command(os.Args[0], "-test.run=^TestChildProcess$", "-test.v")
		cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s|%s|%d", childEnv, dbPath, dir, i))
		outputs[i] = &strings.Builder{}
		cmd.Stdout, cmd.Stderr = outputs[i], outputs[i]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		children[i] = cmd
	}
	// Release them together once all are ready.
	waitForFiles(t, work, "ready-", processes)
	writeFile(t, filepath.Join(work, "go"), "")
	for i, cmd := range children {
		if err := cmd.Wait(); err != nil {
			t.Errorf("process %d: %v\n%s", i, err, outputs[i])
		}
	}
	db := openDB(t, dbPath)
	if diff := cmp.Diff([]string{"fill", "last", "log"}, sqlitetest.Rows(t, db, `SELECT migration FROM log ORDER BY migration`)); diff != "" {
		t.Errorf("migrations applied (-want once each +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"200000"}, sqlitetest.Rows(t, db, `SELECT count(*) FROM numbers`)); diff != "" {
		t.Errorf("rows of the slow migration (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"3"}, sqlitetest.Rows(t, db, `SELECT count(*) FROM dbgen_revisions`)); diff != "" {
		t.Errorf("revisions (-want +got):\n%s", diff)
	}
}

// TestChildProcess is the process that TestConcurrentProcesses starts.
func TestChildProcess(t *testing.T) {
	spec := os.Getenv(childEnv)
	if spec == "" {
		t.Skip("started by TestConcurrentProcesses")
	}
	parts := strings.Split(spec, "|")
	dbPath, dir, id := parts[0], parts[1], parts[2]
	work := filepath.Dir(dbPath)
	db := openDB(t, dbPath)
	writeFile(t, filepath.Join(work, "ready-"+id), "")
	waitForFiles(t, work, "go", 1)
	if err := migrate.Up(context.Background(), db, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
}

// holderEnv makes the test binary, run by TestWaitForOtherProcess, a
// process that holds the write lock of a database: "<db path>|<duration>".
const holderEnv = "DBGEN_MIGRATE_TEST_HOLDER"

// TestWaitForOtherProcess checks that Up waits for another process's write
// transaction however long it runs, not only for the connection's
// busy_timeout: a second instance of an application that starts while the
// first one migrates must not fail to open.
func TestWaitForOtherProcess(t *testing.T) {
	const hold = time.Second
	work := t.TempDir()
	dbPath := filepath.Join(work, "app.db")
	db := openDBWaiting(t, dbPath, 50*time.Millisecond)
	if err := db.Ping(); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHolderProcess$", "-test.v")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s|%s", holderEnv, dbPath, hold))
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitForFiles(t, work, "locked", 1)
	start := time.Now()
	dir := os.DirFS(writeDir(t, threeMigrations()))
	short, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := migrate.Up(short, db, dir); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Up with a context that ends while it waits = %v, want context.DeadlineExceeded", err)
	}
	err := migrate.Up(context.Background(), db, dir)
	if werr := cmd.Wait(); werr != nil {
		t.Errorf("holder process: %v\n%s", werr, &out)
	}
	if err != nil {
		t.Fatalf("Up while another process held the write lock: %v", err)
	}
	if waited := time.Since(start); waited < hold/2 {
		t.Errorf("Up returned after %v, before the other process let go of the lock", waited)
	}
	if got, _ := migrate.Version(context.Background(), db); got != v3 {
		t.Errorf("Version = %q, want %s", got, v3)
	}
}

// TestHolderProcess is the process that TestWaitForOtherProcess starts.
func TestHolderProcess(t *testing.T) {
	spec := os.Getenv(holderEnv)
	if spec == "" {
		t.Skip("started by TestWaitForOtherProcess")
	}
	dbPath, holdText, _ := strings.Cut(spec, "|")
	hold, err := time.ParseDuration(holdText)
	if err != nil {
		t.Fatal(err)
	}
	db := openDB(t, dbPath)
	ctx := context.Background()
	c, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(filepath.Dir(dbPath), "locked"), "")
	time.Sleep(hold)
	if _, err := c.ExecContext(ctx, "COMMIT"); err != nil {
		t.Fatal(err)
	}
}

// waitForFiles waits until dir has n files whose names start with prefix.
func waitForFiles(t *testing.T, dir, prefix string, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		matches, err := filepath.Glob(filepath.Join(dir, prefix+"*"))
		if err != nil {
			t.Fatal(err)
		}
		if len(matches) >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited 30s for %d %s* files in %s, found %d", n, prefix, dir, len(matches))
		}
		time.Sleep(5 * time.Millisecond)
	}
}
