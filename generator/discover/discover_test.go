package discover

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dbgen-dev/dbgen/generator/config"
)

// runWithin discovers dir and fails the test if that does not end in time:
// a FIFO used to block discovery forever.
func runWithin(t *testing.T, dir string) (*Project, error) {
	t.Helper()
	type result struct {
		p   *Project
		err error
	}
	done := make(chan result, 1)
	go func() {
		p, err := Run(dir, config.Default())
		done <- result{p, err}
	}()
	select {
	case r := <-done:
		return r.p, r.err
	case <-time.After(30 * time.Second):
		t.Fatal("discovery still running after 30s: it blocks")
		return nil, nil
	}
}

func module(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "go.mod"), "module example.com/app\n")
	return dir
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestOnlyRegularFiles: a schema or queries file that is a FIFO, a device,
// a socket or a folder is an error naming it and what it is; reading one
// used to block forever (a FIFO) or fill memory (/dev/zero).
func TestOnlyRegularFiles(t *testing.T) {
	tests := []struct {
		name string
		make func(t *testing.T, path string)
		want string
	}{{
		name: "FIFO",
		make: func(t *testing.T, path string) {
			if err := syscall.Mkfifo(path, 0o644); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
		},
		want: "is a named pipe (FIFO)",
	}, {
		name: "symlink to /dev/zero",
		make: func(t *testing.T, path string) {
			if err := os.Symlink("/dev/zero", path); err != nil {
				t.Skip(err)
			}
		},
		want: "is a link to /dev/zero, a device",
	}, {
		name: "symlink to a folder",
		make: func(t *testing.T, path string) {
			if err := os.Mkdir(path+".d", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(filepath.Base(path)+".d", path); err != nil {
				t.Skip(err)
			}
		},
		want: "is a link to %DIR%/db/%NAME%.d, a folder",
	}, {
		// It used to be walked into, and the database it named was left
		// out with exit 0.
		name: "folder",
		make: func(t *testing.T, path string) {
			if err := os.Mkdir(path, 0o755); err != nil {
				t.Fatal(err)
			}
		},
		want: "is a folder",
	}, {
		name: "socket",
		make: func(t *testing.T, path string) {
			l, err := net.Listen("unix", path)
			if err != nil {
				t.Skip(err)
			}
			t.Cleanup(func() { l.Close() })
		},
		want: "is a socket",
	}}
	for _, tt := range tests {
		for _, name := range []string{"schema.sql", "queries.sql"} {
			t.Run(tt.name+"/"+name, func(t *testing.T) {
				dir := module(t)
				writeFile(t, filepath.Join(dir, "db", "schema.sql"), "CREATE TABLE t (id INTEGER PRIMARY KEY);\n")
				path := filepath.Join(dir, "db", name)
				os.Remove(path)
				tt.make(t, path)
				_, err := runWithin(t, dir)
				if err == nil {
					t.Fatal("discovered without error")
				}
				want := "db/" + name + ": " + strings.NewReplacer("%DIR%", dir, "%NAME%", name).Replace(tt.want) + "; dbgen reads only regular files, or links to them"
				if got := err.Error(); got != want {
					t.Errorf("error:\n%s\nwant:\n%s", got, want)
				}
			})
		}
	}
}

// TestSymlinkToRegularFile: a link to a regular file is read as the file.
func TestSymlinkToRegularFile(t *testing.T) {
	dir := module(t)
	writeFile(t, filepath.Join(dir, "shared", "tables.sql"), "CREATE TABLE t (id INTEGER PRIMARY KEY);\n")
	if err := os.MkdirAll(filepath.Join(dir, "db"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../shared/tables.sql", filepath.Join(dir, "db", "schema.sql")); err != nil {
		t.Skip(err)
	}
	p, err := runWithin(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(p.Databases[0].Schemas[0].Data); !strings.Contains(got, "CREATE TABLE t") {
		t.Errorf("read %q", got)
	}
}

// TestOversizedFile: a file over the size limit is refused before it is
// read whole, or passed to SQLite (a 50 MB DEFAULT used to panic it).
func TestOversizedFile(t *testing.T) {
	dir := module(t)
	big := "CREATE TABLE t (s TEXT DEFAULT '" + strings.Repeat("x", 50<<20) + "');\n"
	writeFile(t, filepath.Join(dir, "schema.sql"), big)
	_, err := runWithin(t, dir)
	if err == nil {
		t.Fatal("discovered without error")
	}
	want := "schema.sql: the file is 50.0 MiB; dbgen reads schema and queries files of at most 16 MiB: split it into several *.schema.sql files"
	if got := err.Error(); got != want {
		t.Errorf("error:\n%s\nwant:\n%s", got, want)
	}
}

// TestGoModMustBeRegular: go.mod is read too, on the way up to the module.
func TestGoModMustBeRegular(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "go.mod"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	writeFile(t, filepath.Join(dir, "schema.sql"), "CREATE TABLE t (id INTEGER PRIMARY KEY);\n")
	_, err := runWithin(t, dir)
	if err == nil || !strings.Contains(err.Error(), "go.mod: is a named pipe (FIFO)") {
		t.Errorf("error = %v, want one naming go.mod as a FIFO", err)
	}
}
