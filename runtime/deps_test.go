package runtime

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestDependencies keeps the generator out of applications: runtime is all
// that they link of dbgen, so it must not pull in the generator, sqlc or cobra.
func TestDependencies(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	forbidden := []string{
		"github.com/dbgen-dev/dbgen/generator",
		"github.com/dbgen-dev/dbgen/cmd",
		"github.com/sqlc-dev/sqlc",
		"github.com/spf13/cobra",
		"github.com/ncruces/go-sqlite3/embed", // deprecated, prints to stderr
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, f := range forbidden {
			if pkg == f || strings.HasPrefix(pkg, f+"/") {
				t.Errorf("runtime depends on %s", pkg)
			}
		}
	}
}
