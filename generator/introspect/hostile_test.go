package introspect

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestHostileFile: dbgen serve --dir introspects files it did not make. A
// chain of 300 views used to hang File forever (SQLite panicked inside
// the raw connection, and the pool's Close then waited on its lock).
func TestHostileFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "evil.db")
	var b strings.Builder
	b.WriteString("CREATE TABLE t (id INTEGER PRIMARY KEY);\nCREATE VIEW v0 AS SELECT id FROM t;\n")
	for i := 1; i < 300; i++ {
		fmt.Fprintf(&b, "CREATE VIEW v%d AS SELECT id FROM v%d;\n", i, i-1)
	}
	mustExec(t, path, b.String())
	done := make(chan error, 1)
	go func() {
		_, err := File(context.Background(), path)
		done <- err
	}()
	var err error
	select {
	case err = <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("File still running after 60s: it hangs")
	}
	if err == nil || !regexp.MustCompile("nested too deep|ran out of stack").MatchString(err.Error()) {
		t.Errorf("File: %v; want an error for views nested too deep", err)
	}
}

// TestDirSkipsIrregularFiles: a *.db that is a FIFO used to block Dir
// (and dbgen serve --dir) forever, SQLite waiting for a writer to open it.
func TestDirSkipsIrregularFiles(t *testing.T) {
	dir := t.TempDir()
	mustExec(t, filepath.Join(dir, "shop.db"), `CREATE TABLE items (id INTEGER PRIMARY KEY)`)
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.db"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.db")); err != nil {
		t.Skip(err)
	}
	type result struct {
		names   []string
		skipped []Skipped
		err     error
	}
	done := make(chan result, 1)
	go func() {
		reg, skipped, err := Dir(context.Background(), dir)
		var names []string
		for _, d := range reg {
			names = append(names, d.Name)
		}
		done <- result{names, skipped, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Dir still running after 30s: it blocks")
	}
	if r.err != nil {
		t.Fatal(r.err)
	}
	want := []Skipped{
		{File: "pipe.db", Reason: "is a named pipe (FIFO), not a database file"},
		{File: "zero.db", Reason: "is a link to /dev/zero, a device, not a database file"},
	}
	if diff := cmp.Diff(want, r.skipped); diff != "" || strings.Join(r.names, ",") != "shop" {
		t.Errorf("served %v; skipped (-want +got):\n%s", r.names, diff)
	}
}
