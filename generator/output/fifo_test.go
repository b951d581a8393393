//go:build linux || darwin

package output

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestAFIFOIsNotRead: a FIFO where dbgen reads its manifest or a file it
// would write is refused; reading it would block forever.
func TestAFIFOIsNotRead(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{ManifestName, "registry.go"} {
		if err := syscall.Mkfifo(filepath.Join(dir, name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, err := ReadManifest(dir); err == nil || !strings.Contains(err.Error(), "is a named pipe (FIFO); dbgen reads only regular files") {
			t.Errorf("ReadManifest: %v, want a named pipe refused", err)
		}
		c, err := Diff(dir, map[string][]byte{"registry.go": []byte("x")}, &Manifest{}, nil)
		if err != nil || len(c.Foreign) != 1 {
			t.Errorf("Diff: %v, %+v; want registry.go in the way", err, c)
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("blocked on a FIFO")
	}
}

// TestDiffRefusesOversizedOutput: dbgen never writes a file it would
// refuse to read back (MaxFileSize).
func TestDiffRefusesOversizedOutput(t *testing.T) {
	dir := t.TempDir()
	_, err := Diff(dir, map[string][]byte{"shop/dbgen.go": make([]byte, MaxFileSize+1)}, &Manifest{}, nil)
	if err == nil || !strings.Contains(err.Error(), "shop/dbgen.go would be 64.0 MiB; dbgen writes files of at most 64 MiB") {
		t.Errorf("Diff: %v", err)
	}
}
