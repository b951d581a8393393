package generator

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dbgen-dev/dbgen/generator/codegen"
	"github.com/dbgen-dev/dbgen/generator/load"
	"github.com/dbgen-dev/dbgen/generator/sqlcgen"
)

// writeSyntheticProject lays out a module with dbs databases of tables
// tables each: a mix of types, keys, unique columns, indexes and foreign keys.
func writeSyntheticProject(tb testing.TB, dir string, dbs, tables int) {
	tb.Helper()
	must := func(err error) {
		if err != nil {
			tb.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/bench\n"), 0o644))
	for d := 0; d < dbs; d++ {
		var b strings.Builder
		fmt.Fprintf(&b, "-- DATABASE_NAME: module%02d\n", d)
		for t := 0; t < tables; t++ {
			fmt.Fprintf(&b, "\nCREATE TABLE item%02d (\n", t)
			b.WriteString("    id INTEGER PRIMARY KEY,\n")
			fmt.Fprintf(&b, "    code TEXT NOT NULL UNIQUE,\n")
			b.WriteString("    title TEXT NOT NULL,\n    note TEXT,\n    amount REAL NOT NULL DEFAULT 0,\n")
			b.WriteString("    active BOOLEAN NOT NULL DEFAULT 1,\n    payload BLOB,\n    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP")
			if t > 0 {
				fmt.Fprintf(&b, ",\n    parent_id INTEGER REFERENCES item%02d (id) ON DELETE CASCADE", t-1)
			}
			b.WriteString("\n);\n")
			fmt.Fprintf(&b, "CREATE INDEX item%02d_by_title ON item%02d (title, created_at);\n", t, t)
		}
		path := filepath.Join(dir, fmt.Sprintf("module%02d", d), "schema.sql")
		must(os.MkdirAll(filepath.Dir(path), 0o755))
		must(os.WriteFile(path, []byte(b.String()), 0o644))
	}
}

// BenchmarkGenerate50x20 measures a full generate of 50 databases × 20 tables,
// a no-op run over the result, and plain sqlc over the same queries, in the
// same iteration, and reports the ratios. Targets: full ≤ 3 s, no-op ≤ 0.3 s.
func BenchmarkGenerate50x20(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	writeSyntheticProject(b, dir, 50, 20)
	opts := Options{Root: dir}
	var full, noop, plain time.Duration
	for i := 0; i < b.N; i++ {
		if err := os.RemoveAll(filepath.Join(dir, "gen")); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		res, err := Generate(ctx, opts)
		if err != nil {
			b.Fatal(err)
		}
		full += time.Since(start)
		if res.Tables != 50*20 {
			b.Fatalf("generated %d tables, want 1000", res.Tables)
		}

		start = time.Now()
		res, err = Generate(ctx, opts)
		if err != nil {
			b.Fatal(err)
		}
		noop += time.Since(start)
		if len(res.Written)+len(res.Removed) != 0 {
			b.Fatalf("no-op run changed %v %v", res.Written, res.Removed)
		}

		// The baseline: plain sqlc over the same schema and CRUD queries,
		// each queries file read whole as sqlc's own CLI does.
		p, err := Project(opts)
		if err != nil {
			b.Fatal(err)
		}
		loaded, err := load.Run(ctx, p)
		if err != nil {
			b.Fatal(err)
		}
		jobs := codegen.SqlcJobs(p.Config, loaded)
		start = time.Now()
		if _, err := sqlcgen.GenerateWhole(ctx, jobs); err != nil {
			b.Fatal(err)
		}
		plain += time.Since(start)
	}
	n := float64(b.N)
	b.ReportMetric(full.Seconds()/n, "full-s")
	b.ReportMetric(noop.Seconds()/n, "noop-s")
	b.ReportMetric(plain.Seconds()/n, "sqlc-s")
	b.ReportMetric(full.Seconds()/plain.Seconds(), "full/sqlc")
	b.ReportMetric(noop.Seconds()/plain.Seconds(), "noop/sqlc")
}
