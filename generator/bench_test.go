package generator

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dbgen-dev/dbgen/generator/sqlcgen"
)

// writeSyntheticProject lays out a module with dbs databases of tables
// tables each: a mix of types, keys, unique columns, indexes and foreign
// keys; each database has queries queries of its own (0: no queries file).
func writeSyntheticProject(tb testing.TB, dir string, dbs, tables, queries int) {
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
			fmt.Fprintf(&b, "\nCREATE TABLE item%04d (\n", t)
			b.WriteString("    id INTEGER PRIMARY KEY,\n")
			b.WriteString("    code TEXT NOT NULL UNIQUE,\n")
			b.WriteString("    title TEXT NOT NULL,\n    note TEXT,\n    amount REAL NOT NULL DEFAULT 0,\n")
			b.WriteString("    active BOOLEAN NOT NULL DEFAULT 1,\n    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP")
			if t > 0 {
				fmt.Fprintf(&b, ",\n    parent_id INTEGER REFERENCES item%04d (id) ON DELETE CASCADE", t-1)
			}
			b.WriteString("\n);\n")
			fmt.Fprintf(&b, "CREATE INDEX item%04d_by_title ON item%04d (title, created_at);\n", t, t)
		}
		folder := filepath.Join(dir, fmt.Sprintf("module%02d", d))
		must(os.MkdirAll(folder, 0o755))
		must(os.WriteFile(filepath.Join(folder, "schema.sql"), []byte(b.String()), 0o644))
		if queries > 0 {
			must(os.WriteFile(filepath.Join(folder, "queries.sql"), []byte(syntheticQueries(tables, queries)), 0o644))
		}
	}
}

// syntheticQueries writes n module queries over the tables, of every kind:
// a join, a filter, an update, an aggregate.
func syntheticQueries(tables, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		t := i % tables
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "-- name: ByCode%d :one\nSELECT * FROM item%04d WHERE code = ?;\n\n", i, t)
		case 1:
			fmt.Fprintf(&b, "-- name: Active%d :many\nSELECT id, title, created_at FROM item%04d WHERE active AND created_at >= ? ORDER BY created_at;\n\n", i, t)
		case 2:
			fmt.Fprintf(&b, "-- name: Retitle%d :execrows\nUPDATE item%04d SET title = ?, note = ? WHERE id = ?;\n\n", i, t)
		case 3:
			fmt.Fprintf(&b, "-- name: Total%d :one\nSELECT count(*) AS n, sum(amount) AS total FROM item%04d WHERE active = ?;\n\n", i, t)
		}
	}
	return b.String()
}

// plainSqlc runs sqlc alone over the project's schema files and queries,
// each file read whole as sqlc's own command reads it, with one query for a
// database that has none: the baseline dbgen is measured against.
func plainSqlc(tb testing.TB, ctx context.Context, opts Options) time.Duration {
	tb.Helper()
	p, err := Project(opts)
	if err != nil {
		tb.Fatal(err)
	}
	var jobs []sqlcgen.Job
	for _, db := range p.Databases {
		job := sqlcgen.Job{Package: db.Name}
		for _, f := range db.Schemas {
			job.Schema += string(f.Data) + "\n"
		}
		for _, f := range db.Queries {
			job.Queries = append(job.Queries, sqlcgen.QueryFile{Path: f.Path, SQL: f.Data})
		}
		if len(job.Queries) == 0 {
			job.Queries = []sqlcgen.QueryFile{{Path: "one.sql", SQL: []byte("-- name: CountItems :one\nSELECT count(*) FROM item0000;\n")}}
		}
		jobs = append(jobs, job)
	}
	start := time.Now()
	if _, err := sqlcgen.GenerateWhole(ctx, jobs); err != nil {
		tb.Fatal(err)
	}
	return time.Since(start)
}

// generateTimed runs a full generate (no manifest, nothing on disk) and a
// no-op one after it, and checks what they did.
func generateTimed(b *testing.B, ctx context.Context, opts Options, tables int) (full, noop time.Duration) {
	b.Helper()
	if err := os.RemoveAll(filepath.Join(opts.Root, "gen")); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	res, err := Generate(ctx, opts)
	if err != nil {
		b.Fatal(err)
	}
	full = time.Since(start)
	if res.Tables != tables {
		b.Fatalf("generated %d tables, want %d", res.Tables, tables)
	}
	start = time.Now()
	res, err = Generate(ctx, opts)
	if err != nil {
		b.Fatal(err)
	}
	noop = time.Since(start)
	if len(res.Written)+len(res.Removed) != 0 {
		b.Fatalf("no-op run changed %v %v", res.Written, res.Removed)
	}
	return full, noop
}

// BenchmarkGenerate50x20 measures a full generate of 50 databases × 20
// tables (no module queries: sqlc does not run), a no-op run over the
// result, and plain sqlc over the same schemas with one query each, in the
// same iteration. Targets: full ≤ 1.5 s, no-op ≤ 0.3 s.
func BenchmarkGenerate50x20(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	writeSyntheticProject(b, dir, 50, 20, 0)
	opts := Options{Root: dir}
	var full, noop, plain time.Duration
	for i := 0; i < b.N; i++ {
		f, n := generateTimed(b, ctx, opts, 50*20)
		full, noop = full+f, noop+n
		plain += plainSqlc(b, ctx, opts)
	}
	n := float64(b.N)
	b.ReportMetric(full.Seconds()/n, "full-s")
	b.ReportMetric(noop.Seconds()/n, "noop-s")
	b.ReportMetric(plain.Seconds()/n, "sqlc-s")
	b.ReportMetric(full.Seconds()/plain.Seconds(), "full/sqlc")
}

// BenchmarkGenerateTables measures one database of 1000 and of 2000 tables
// of 7 columns, without module queries, against plain sqlc over the same
// schema and one query, in the same run. Targets: 1000 tables ≤ 0.5× sqlc;
// 2000 tables ≤ 2.5× 1000 tables (linear).
func BenchmarkGenerateTables(b *testing.B) {
	ctx := context.Background()
	var full1k, full2k, plain1k time.Duration
	dirs := map[int]string{1000: b.TempDir(), 2000: b.TempDir()}
	for size, dir := range dirs {
		writeSyntheticProject(b, dir, 1, size, 0)
	}
	for i := 0; i < b.N; i++ {
		f, _ := generateTimed(b, ctx, Options{Root: dirs[1000]}, 1000)
		full1k += f
		f, _ = generateTimed(b, ctx, Options{Root: dirs[2000]}, 2000)
		full2k += f
		plain1k += plainSqlc(b, ctx, Options{Root: dirs[1000]})
	}
	n := float64(b.N)
	b.ReportMetric(full1k.Seconds()/n, "1000-s")
	b.ReportMetric(full2k.Seconds()/n, "2000-s")
	b.ReportMetric(plain1k.Seconds()/n, "sqlc1000-s")
	b.ReportMetric(full1k.Seconds()/plain1k.Seconds(), "1000/sqlc")
	b.ReportMetric(full2k.Seconds()/full1k.Seconds(), "2000/1000")
}

// BenchmarkGenerateQueries measures a database with module queries (50
// tables, 400 queries), where dbgen runs sqlc on them, against plain sqlc
// over the same schema and queries. Target: ≤ 1.2× sqlc.
func BenchmarkGenerateQueries(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	writeSyntheticProject(b, dir, 1, 50, 400)
	opts := Options{Root: dir}
	var full, plain time.Duration
	for i := 0; i < b.N; i++ {
		f, _ := generateTimed(b, ctx, opts, 50)
		full += f
		plain += plainSqlc(b, ctx, opts)
	}
	n := float64(b.N)
	b.ReportMetric(full.Seconds()/n, "full-s")
	b.ReportMetric(plain.Seconds()/n, "sqlc-s")
	b.ReportMetric(full.Seconds()/plain.Seconds(), "full/sqlc")
}
