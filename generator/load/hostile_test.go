package load

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

// hangTimeout bounds a load that used to hang: a regression then fails
// instead of blocking the test binary. It is not a speed requirement.
const hangTimeout = 60 * time.Second

// loadWithin loads files and fails the test if that does not end in time.
func loadWithin(t *testing.T, files map[string]string) error {
	t.Helper()
	done := make(chan error, 1)
	start := time.Now()
	go func() {
		p, err := project(t, files)
		if err == nil {
			_, err = Run(context.Background(), p)
		}
		done <- err
	}()
	select {
	case err := <-done:
		t.Logf("loaded in %v", time.Since(start).Round(time.Millisecond))
		return err
	case <-time.After(hangTimeout):
		t.Fatalf("load still running after %v: it hangs", hangTimeout)
		return nil
	}
}

// viewChain is v0 on line first, then v1 over v0, v2 over v1, ... one a line.
func viewChain(n int, body func(i int) string) string {
	var b strings.Builder
	b.WriteString("CREATE VIEW v0 AS SELECT 1 AS id;\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "CREATE VIEW v%d AS %s;\n", i, body(i))
	}
	return b.String()
}

// TestHostileSchemaEndsInError: schemas that nest deeper than the embedded
// SQLite's stack survives used to hang load forever (SQLite panicked, and
// the deferred Close waited for the lock the failed query held). Each must
// end in one error at its file and line.
func TestHostileSchemaEndsInError(t *testing.T) {
	deepFrom := strings.Repeat("SELECT * FROM (", 300) + "SELECT id FROM t" + strings.Repeat(")", 300)
	deepScalar := strings.Repeat("SELECT (", 300) + "SELECT id FROM t" + strings.Repeat(")", 300)
	tests := []struct {
		name   string
		schema string
		want   string // a regexp of the whole error
	}{{
		name:   "chain of 300 views",
		schema: viewChain(300, func(i int) string { return fmt.Sprintf("SELECT id FROM v%d", i-1) }),
		want:   `^schema\.sql:65:13: view v64 is built on views 65 deep \(v64 → v63 → … → v0\); dbgen takes at most 64, so that the embedded SQLite's stack holds: define it from the tables of the views it reads$`,
	}, {
		name:   "300 nested FROM subqueries in a view",
		schema: "CREATE TABLE t (id INTEGER PRIMARY KEY);\n\nCREATE VIEW deep AS\n" + deepFrom + ";\n",
		want:   `^schema\.sql:3:1: Recursion limit: .*nested too deep.*$`,
	}, {
		name:   "300 nested scalar subqueries in a view",
		schema: "CREATE TABLE t (id INTEGER PRIMARY KEY);\n\nCREATE VIEW deep AS\n" + deepScalar + ";\n",
		want:   `^schema\.sql:3:1: (Recursion limit|Expression tree is too large \(maximum depth 100\)): .*nested too deep.*$`,
	}, {
		// Each view reads the one before through five subqueries: within
		// every limit, SQLite's stack runs out after about 45 views.
		name: "views that exhaust SQLite's stack within its limits",
		schema: viewChain(60, func(i int) string {
			return strings.Repeat("SELECT id FROM (", 5) + fmt.Sprintf("SELECT id FROM v%d", i-1) + strings.Repeat(")", 5)
		}),
		want: `^schema\.sql:\d+: view v\d+: the embedded SQLite ran out of stack: .*$`,
	}, {
		// Each view reads v0 and, in a subquery, the one before: SQLite's
		// work doubles with each, and its memory runs out at about 19.
		name: "views that exhaust SQLite's memory within its limits",
		schema: viewChain(40, func(i int) string {
			return fmt.Sprintf("SELECT id FROM v0 WHERE id IN (SELECT id FROM v%d)", i-1)
		}),
		want: `^schema\.sql:\d+: view v\d+: the embedded SQLite ran out of memory .*$`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := loadWithin(t, map[string]string{"schema.sql": tt.schema})
			if err == nil {
				t.Fatal("loaded without error")
			}
			t.Logf("error: %.300s", err)
			if !regexp.MustCompile(tt.want).MatchString(err.Error()) {
				t.Errorf("error:\n%.600s\nwant it to match %s", err, tt.want)
			}
		})
	}
}

// TestOversizedStatement: a statement longer than SQLite's SQL length
// limit is refused before SQLite copies it, at its line, with its size.
func TestOversizedStatement(t *testing.T) {
	big := strings.Repeat("x", 5<<20)
	err := loadWithin(t, map[string]string{"schema.sql": "CREATE TABLE a (id INTEGER PRIMARY KEY);\n\nCREATE TABLE t (\n  s TEXT DEFAULT '" + big + "'\n);\n"})
	if err == nil {
		t.Fatal("loaded without error")
	}
	want := "schema.sql:3: this statement is 5.0 MiB long; dbgen's SQLite takes statements of at most 4 MiB (SQLITE_LIMIT_SQL_LENGTH): split it, or move large values out of the SQL"
	if err.Error() != want {
		t.Errorf("error:\n%.300s\nwant:\n%s", err, want)
	}
}
