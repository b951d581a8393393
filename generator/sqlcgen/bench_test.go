package sqlcgen

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// BenchmarkGenerate is a full run at the size dbgen targets: 50 databases
// of 20 tables, each table with the CRUD queries dbgen writes (create, get
// by key and by a unique column, update, delete, count) and a list query.
// "whole" is the same run without splitting the queries files. cpu-s/op is
// the CPU time of the sqlc child: with cores shared, the steadier figure.
func BenchmarkGenerate(b *testing.B) {
	jobs := benchJobs(50, 20)
	for _, bc := range []struct {
		name  string
		split bool
	}{{"split", true}, {"whole", false}} {
		b.Run(bc.name, func(b *testing.B) {
			cpu := childCPU()
			for b.Loop() {
				if _, err := generate(context.Background(), jobs, bc.split); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric((childCPU()-cpu).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}

func benchJobs(databases, tables int) []Job {
	jobs := make([]Job, databases)
	for d := range jobs {
		var schema, crud strings.Builder
		for t := range tables {
			name := fmt.Sprintf("table_%02d", t)
			fmt.Fprintf(&schema, `CREATE TABLE %[1]q (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  age INTEGER,
  score REAL,
  active BOOLEAN NOT NULL DEFAULT 1,
  avatar BLOB,
  settings JSON,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME
);
`, name)
			cols := `"email", "name", "age", "score", "active", "avatar", "settings", "created_at", "updated_at"`
			set := `"email" = ?, "name" = ?, "age" = ?, "score" = ?, "active" = ?, "avatar" = ?, "settings" = ?, "created_at" = ?, "updated_at" = ?`
			fmt.Fprintf(&crud, `-- name: CreateT%[2]d :one
INSERT INTO %[1]q (%[3]s)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
RETURNING *;

-- name: GetT%[2]d :one
SELECT * FROM %[1]q
WHERE "id" = ?;

-- name: GetT%[2]dByEmail :one
SELECT * FROM %[1]q
WHERE "email" = ?;

-- name: UpdateT%[2]d :one
UPDATE %[1]q
SET %[4]s
WHERE "id" = ?
RETURNING *;

-- name: DeleteT%[2]d :execrows
DELETE FROM %[1]q
WHERE "id" = ?;

-- name: CountT%[2]d :one
SELECT count(*) FROM %[1]q;

-- name: ListT%[2]d :many
SELECT * FROM %[1]q
ORDER BY "id" LIMIT ? OFFSET ?;

`, name, t, cols, set)
		}
		jobs[d] = Job{
			Package: fmt.Sprintf("db%02d", d),
			Schema:  schema.String(),
			Queries: []QueryFile{{Path: "<crud>", SQL: []byte(crud.String())}},
		}
	}
	return jobs
}
