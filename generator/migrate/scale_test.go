package migrate

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPlanManyTables: the first migration of a 300-table schema is planned
// and linted in seconds. Lint inspected and diffed the whole schema after
// each statement, cubic in the tables: 300 took 76 s, 1000 most of an hour.
func TestPlanManyTables(t *testing.T) {
	if testing.Short() {
		t.Skip("plans 300 tables")
	}
	var ddl strings.Builder
	for i := range 300 {
		fmt.Fprintf(&ddl, "CREATE TABLE t%d (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, ref INTEGER REFERENCES t%d (id));\n", i, max(i-1, 0))
		fmt.Fprintf(&ddl, "CREATE INDEX t%d_ref ON t%d (ref);\n", i, i)
	}
	dir := filepath.Join(t.TempDir(), "migrations")
	start := time.Now()
	res, err := Plan(context.Background(), PlanInput{Database: "big", DesiredDDL: ddl.String(), Dir: dir, Name: "initial"})
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	t.Logf("planned 300 tables in %v", took.Round(time.Millisecond))
	if took > 45*time.Second {
		t.Errorf("planning 300 tables took %v", took)
	}
	if res.Version == "" || len(res.Findings) != 0 {
		t.Errorf("version %q, findings %v", res.Version, res.Findings)
	}
}
