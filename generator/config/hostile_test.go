package config

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestConfigMustBeRegular: dbgen.yaml is read like the schema files: a FIFO
// used to block Load forever, and a link to /dev/zero to fill memory.
func TestConfigMustBeRegular(t *testing.T) {
	tests := []struct {
		name string
		make func(t *testing.T, path string)
		want string
	}{
		{"FIFO", func(t *testing.T, path string) {
			if err := syscall.Mkfifo(path, 0o644); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
		}, "dbgen.yaml: is a named pipe (FIFO); dbgen reads only regular files, or links to them"},
		{"symlink to /dev/zero", func(t *testing.T, path string) {
			if err := os.Symlink("/dev/zero", path); err != nil {
				t.Skip(err)
			}
		}, "dbgen.yaml: is a link to /dev/zero, a device; dbgen reads only regular files, or links to them"},
		{"oversized", func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte("roots: [.]\n#"+strings.Repeat("x", 16<<20)+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, "dbgen.yaml: the file is 16.0 MiB; dbgen reads files of at most 16 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.make(t, filepath.Join(dir, FileName))
			done := make(chan error, 1)
			go func() {
				_, err := Load(dir, "")
				done <- err
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(30 * time.Second):
				t.Fatal("Load still running after 30s: it blocks")
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}
