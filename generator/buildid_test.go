package generator

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestBuildIDMatchesGoTool(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("go", "tool", "buildid", exe).Output()
	if err != nil {
		t.Skipf("go tool buildid: %v", err)
	}
	if got, want := buildID(), strings.TrimSpace(string(out)); got != want {
		t.Errorf("buildID() = %q, want %q", got, want)
	}
}
