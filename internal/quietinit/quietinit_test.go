package quietinit_test

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// embedLine is what github.com/ncruces/go-sqlite3/embed prints at init.
const embedLine = "If you're reading this, you're unnecessarily importing github.com/ncruces/go-sqlite3/embed.\n"

func TestInitOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries")
	}
	tests := []struct {
		cmd        string
		wantStderr string
	}{
		// The control: without quietinit the line is there, so the test
		// below would see it if quietinit stopped working.
		{cmd: "loud", wantStderr: embedLine + "stderr after init\n"},
		{cmd: "quiet", wantStderr: quietStderr()},
	}
	for _, tt := range tests {
		t.Run(tt.cmd, func(t *testing.T) {
			t.Parallel()
			bin := build(t, tt.cmd)
			var stdout, stderr bytes.Buffer
			cmd := exec.Command(bin)
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("run %s: %v\n%s", tt.cmd, err, stderr.Bytes())
			}
			if diff := cmp.Diff(tt.wantStderr, stderr.String()); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff("stdout after init\n", stdout.String()); diff != "" {
				t.Errorf("stdout (-want +got):\n%s", diff)
			}
		})
	}
}

// quietStderr is what the quiet command prints: on the platforms where
// quietinit works, only what main writes.
func quietStderr() string {
	if runtime.GOOS == "linux" && (runtime.GOARCH == "amd64" || runtime.GOARCH == "arm64") {
		return "stderr after init\n"
	}
	return embedLine + "stderr after init\n"
}

func build(t *testing.T, name string) string {
	t.Helper()
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	bin := filepath.Join(t.TempDir(), name)
	out, err := exec.Command(gotool, "build", "-o", bin, "./testdata/"+name).CombinedOutput()
	if err != nil {
		t.Fatalf("go build %s: %v\n%s", name, err, strings.TrimSpace(string(out)))
	}
	return bin
}
