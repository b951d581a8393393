package generator

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestHostileQueryEndsInError: a module query nested 300 deep used to keep
// sqlc's parser busy for minutes, then hang in SQLite's crash. SQLite's
// limits must refuse it first, at its line in queries.sql.
func TestHostileQueryEndsInError(t *testing.T) {
	deepFrom := strings.Repeat("SELECT * FROM (", 300) + "SELECT id FROM t" + strings.Repeat(")", 300)
	deepScalar := "SELECT " + strings.Repeat("(SELECT ", 300) + "id" + strings.Repeat(" FROM t)", 300) + " AS x FROM t"
	deepSum := "SELECT id" + strings.Repeat(" + id", 400) + " AS x FROM t"
	// sqlc's own syntax, which SQLite cannot parse, before the nesting.
	deepArg := "SELECT sqlc.arg(tag) AS tag, id FROM (" + deepFrom + ")"
	tests := []struct {
		name, query, want string
	}{
		{"300 nested FROM subqueries", deepFrom, `^queries\.sql:4: query Deep: SQLite rejects it: Recursion limit: .*nested too deep`},
		{"300 nested scalar subqueries", deepScalar, `^queries\.sql:4: query Deep: SQLite rejects it: (Recursion limit|Expression tree is too large \(maximum depth 100\)): .*nested too deep`},
		{"300 nested FROM subqueries after sqlc.arg", deepArg, `^queries\.sql:4: query Deep: SQLite rejects it: Recursion limit: .*nested too deep`},
		{"an expression 400 terms deep", deepSum, `^queries\.sql:4: query Deep: SQLite rejects it: Expression tree is too large \(maximum depth 100\): .*nested too deep`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write := func(name, content string) {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			write("go.mod", "module example.com/app\n\ngo 1.26\n")
			write("schema.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);\n")
			write("queries.sql", "-- name: Fine :many\nSELECT id FROM t;\n\n-- name: Deep :many\n"+tt.query+";\n")
			done := make(chan error, 1)
			start := time.Now()
			go func() {
				_, err := MakePlan(context.Background(), Options{Root: dir, Force: true})
				done <- err
			}()
			var err error
			select {
			case err = <-done:
				t.Logf("planned in %v", time.Since(start).Round(time.Millisecond))
			case <-time.After(60 * time.Second):
				t.Fatal("generate still running after 60s: it hangs")
			}
			if err == nil {
				t.Fatal("generated without error")
			}
			if !regexp.MustCompile(tt.want).MatchString(err.Error()) {
				t.Errorf("error:\n%.600s\nwant it to match %s", err, tt.want)
			}
		})
	}
}
