package migrate_test

import (
	"context"
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
	if diff := cmp.Diff([]string{"fill", "last", "log"}, rows(t, db, `SELECT migration FROM log ORDER BY migration`)); diff != "" {
		t.Errorf("migrations applied (-want once each +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"200000"}, rows(t, db, `SELECT count(*) FROM numbers`)); diff != "" {
		t.Errorf("rows of the slow migration (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"3"}, rows(t, db, `SELECT count(*) FROM dbgen_revisions`)); diff != "" {
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
