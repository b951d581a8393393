package generator

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGolden generates each project in testdata/golden/<case>/ (schema
// files under in/, an optional dbgen.yaml) into want/ in memory and compares
// every output file with want/, byte for byte.
// Adding a case is adding a folder; -update writes want/.
func TestGolden(t *testing.T) {
	cases, err := filepath.Glob("testdata/golden/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range cases {
		if info, err := os.Stat(dir); err != nil || !info.IsDir() {
			continue // the module's go.mod and go.sum
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			want := filepath.Join(dir, "want")
			plan, err := MakePlan(context.Background(), Options{Root: dir, Out: "want", Force: true})
			if err != nil {
				t.Fatal(err)
			}
			if *update {
				if err := plan.Change.Apply(plan.OutDir); err != nil {
					t.Fatal(err)
				}
				return
			}
			write, remove := plan.Stale()
			for _, name := range write {
				data := plan.Change.Write[name]
				old, err := os.ReadFile(filepath.Join(want, name))
				if err != nil {
					t.Errorf("%s: not in want/ (run go test -update): %v", name, err)
					continue
				}
				if diff := cmp.Diff(string(old), string(data)); diff != "" {
					t.Errorf("%s (-want +got):\n%s", name, diff)
				}
			}
			for _, name := range remove {
				t.Errorf("%s: in want/ but no longer generated", name)
			}
		})
	}
}

// TestGoldenCompiles vets the golden outputs as one module (testdata/golden
// has a go.mod pointing at this checkout): names from reserved words and Go
// keywords, overrides and pointers must all build.
func TestGoldenCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet")
	}
	cmd := exec.Command("go", "vet", "./...")
	cmd.Dir = "testdata/golden"
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go vet of the golden packages: %v\n%s", err, out)
	}
}
