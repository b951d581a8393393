package generator

import (
	"context"
	"testing"
)

// TestExampleUpToDate fails when gen/ does not match what `dbgen generate`
// writes for schemas/: run `go run ./cmd/dbgen generate` and commit.
func TestExampleUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs sqlc over the example schemas")
	}
	plan, err := MakePlan(context.Background(), Options{Root: "..", Force: true})
	if err != nil {
		t.Fatal(err)
	}
	write, remove := plan.Stale()
	for _, name := range write {
		t.Errorf("gen/%s is stale", name)
	}
	for _, name := range remove {
		t.Errorf("gen/%s should have been removed", name)
	}
	if t.Failed() {
		t.Log("run `go run ./cmd/dbgen generate` and commit gen/")
	}
}
