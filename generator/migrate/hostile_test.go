package migrate

import (
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMigrationFileMustBeRegular: a FIFO among the migrations used to block
// Verify forever in Atlas's reader.
func TestMigrationFileMustBeRegular(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "20250102150505_init.sql"), usersV1+"\n")
	path := filepath.Join(dir, "20250102150605_email.sql")
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := Verify(context.Background(), dir, usersV1)
		done <- err
	}()
	var err error
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Verify still running after 30s: it blocks")
	}
	if err == nil || !strings.Contains(err.Error(), path+": is a named pipe (FIFO)") {
		t.Errorf("error = %v, want one naming %s as a FIFO", err, path)
	}
}

// TestDevDatabaseLimits: the dev databases migrations replay in have the
// same SQLite limits as every other connection of dbgen.
func TestDevDatabaseLimits(t *testing.T) {
	ctx := context.Background()
	dev, err := openDev(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	err = dev.exec(ctx, "m.sql", "CREATE TABLE t (x);\nCREATE VIEW v AS SELECT x"+strings.Repeat(" + x", 200)+" AS y FROM t;\n")
	if err == nil || !strings.Contains(err.Error(), "m.sql:2: ") || !strings.Contains(err.Error(), "Expression tree is too large (maximum depth 100)") {
		t.Errorf("error = %v, want SQLite's expression depth limit of 100 at m.sql:2", err)
	}
}

// TestDevDatabaseOversizedFile: a migration file over the size limit is an
// error naming it, not read whole.
func TestDevDatabaseOversizedFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "20250102150505_init.sql")
	writeFile(t, path, usersV1+"\n-- "+strings.Repeat("x", 17<<20)+"\n")
	_, err := Verify(context.Background(), dir, usersV1)
	if err == nil || !strings.Contains(err.Error(), path+": the file is 17.0 MiB; dbgen reads files of at most 16 MiB") {
		t.Errorf("error = %v, want one naming the size of %s", err, path)
	}
}
