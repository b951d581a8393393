package sqlcgen

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCleanStderr builds a program that links this package, as dbgen does,
// and checks that nothing reaches its stderr but what it writes itself: not
// the line go-sqlite3/embed prints at init (see internal/quietinit), not
// sqlc's output. It also runs Generate from a real executable.
func TestCleanStderr(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	bin := filepath.Join(t.TempDir(), "clean")
	if out, err := exec.Command(gotool, "build", "-o", bin, "./testdata/clean").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, strings.TrimSpace(string(out)))
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.Bytes())
	}
	if diff := cmp.Diff("stderr after generate\n", stderr.String()); diff != "" {
		t.Errorf("stderr (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff("[db.go models.go q.sql.go]\n", stdout.String()); diff != "" {
		t.Errorf("stdout (-want +got):\n%s", diff)
	}
}
