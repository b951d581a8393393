//go:build linux || darwin

package generator

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

	"github.com/dbgen-dev/dbgen/generator/output"
	"github.com/dbgen-dev/dbgen/generator/userfile"
)

// TestOutputFilesAreUserFiles: generate reads gen/dbgen.sum and the files
// it owns under gen/ to decide what to write; a repository may have put
// anything there. A FIFO, a link to /dev/zero or to a FIFO, or a file
// larger than dbgen ever writes is an error naming it, within seconds,
// never a hang or a read of gigabytes, and it is left as it is.
func TestOutputFilesAreUserFiles(t *testing.T) {
	fifo := func(t *testing.T, path string) {
		if err := syscall.Mkfifo(path, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, file string
		make       func(t *testing.T, path string)
		want       string
	}{
		{"manifest FIFO", "gen/dbgen.sum", fifo,
			`gen/dbgen.sum: is a named pipe \(FIFO\); dbgen reads only regular files, or links to them; remove it`},
		{"manifest link to /dev/zero", "gen/dbgen.sum", func(t *testing.T, path string) {
			if err := os.Symlink("/dev/zero", path); err != nil {
				t.Fatal(err)
			}
		}, `gen/dbgen.sum: is a link to /dev/zero, a device; dbgen reads only regular files`},
		{"manifest too large", "gen/dbgen.sum", func(t *testing.T, path string) {
			if err := os.Truncate(path, output.MaxFileSize+1); err != nil {
				t.Fatal(err)
			}
		}, `gen/dbgen.sum: the file is 64.0 MiB; dbgen reads files of at most 64 MiB`},
		{"owned file FIFO", "gen/shop/dbgen.go", fifo,
			`^gen/shop/dbgen.go: a folder or special file where generate writes a file: move it out of gen/shop$`},
		{"owned file link to a FIFO", "gen/shop/dbgen.go", func(t *testing.T, path string) {
			fifo(t, filepath.Join(filepath.Dir(path), "..", "..", "pipe"))
			if err := os.Symlink("../../pipe", path); err != nil {
				t.Fatal(err)
			}
		}, `^gen/shop/dbgen.go: is a link to .*/pipe, a named pipe \(FIFO\), where generate writes a file: move it out of gen/shop$`},
		{"owned file link to /dev/zero", "gen/shop/dbgen.go", func(t *testing.T, path string) {
			if err := os.Symlink("/dev/zero", path); err != nil {
				t.Fatal(err)
			}
		}, `^gen/shop/dbgen.go: a symbolic link to /dev/zero, outside the module`},
		{"owned file too large", "gen/shop/dbgen.go", func(t *testing.T, path string) {
			// Sparse: 4 GiB that the generator used to read whole, twice.
			if err := os.Truncate(path, 4<<30); err != nil {
				t.Fatal(err)
			}
		}, `^gen/shop/dbgen.go: the file is 4096.0 MiB; dbgen reads files of at most 64 MiB; dbgen writes no file that large: delete it or move it out of gen/shop$`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write := func(name, content string) {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			write("go.mod", "module example.com/app\n\ngo 1.26\n")
			write("schema.sql", "-- DATABASE_NAME: shop\nCREATE TABLE t (id INTEGER PRIMARY KEY);\n")
			ctx := context.Background()
			if _, err := Generate(ctx, Options{Root: dir}); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, filepath.FromSlash(tt.file))
			if tt.name != "manifest too large" && tt.name != "owned file too large" {
				if err := os.Remove(path); err != nil {
					t.Fatal(err)
				}
			}
			tt.make(t, path)
			before, err := os.Lstat(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, force := range []bool{false, true} {
				done := make(chan error, 1)
				go func() {
					_, err := Generate(ctx, Options{Root: dir, Force: force})
					done <- err
				}()
				select {
				case err = <-done:
				case <-time.After(20 * time.Second):
					t.Fatalf("generate (force %v) still running after 20s: it hangs on %s", force, tt.file)
				}
				if err == nil {
					t.Fatalf("generate (force %v): no error", force)
				}
				if !regexp.MustCompile(tt.want).MatchString(err.Error()) {
					t.Errorf("generate (force %v):\n%s\nwant it to match %s", force, err, tt.want)
				}
			}
			after, err := os.Lstat(path)
			if err != nil || after.Mode() != before.Mode() || after.Size() != before.Size() {
				t.Errorf("%s changed: %v %v, was %v %v", tt.file, after.Mode(), after.Size(), before.Mode(), before.Size())
			}
		})
	}
}

// TestLargeGeneratedFilesReadBack: dbgen.go holds a database's DDL twice,
// so it may be larger than any input file may be (userfile.MaxSize). A
// second run reads it back and writes nothing.
func TestLargeGeneratedFilesReadBack(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 20 MiB of code")
	}
	dir := t.TempDir()
	schema := "-- DATABASE_NAME: shop\n"
	for i := range 3 {
		schema += fmt.Sprintf("CREATE TABLE t%d (id INTEGER PRIMARY KEY, note TEXT NOT NULL DEFAULT '%s');\n", i, strings.Repeat("x", 3<<20))
	}
	for name, content := range map[string]string{"go.mod": "module example.com/app\n\ngo 1.26\n", "schema.sql": schema} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	if _, err := Generate(ctx, Options{Root: dir}); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(filepath.Join(dir, "gen", "shop", "dbgen.go"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Size() <= userfile.MaxSize {
		t.Fatalf("dbgen.go is %d bytes: the test wants one larger than userfile.MaxSize", info.Size())
	}
	for _, force := range []bool{false, true} {
		res, err := Generate(ctx, Options{Root: dir, Force: force})
		if err != nil {
			t.Fatalf("second run (force %v): %v", force, err)
		}
		if len(res.Written) != 0 || len(res.Removed) != 0 {
			t.Errorf("second run (force %v) wrote %v, removed %v", force, res.Written, res.Removed)
		}
	}
}
