package sqliteconn

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ncruces/go-sqlite3"
)

// construct is SQL that recurses n levels deep in SQLite.
type construct struct {
	name string
	sql  func(n int) []string // run in order
	// limit is the limit that refuses it, raised to SQLite's default for
	// the margin check, and refused the depth at which dbgen's value does.
	limit   sqlite3.LimitCategory
	refused int
	// safe is a depth at which it must not crash without the limit: twice
	// the deepest one dbgen lets through.
	safe int
}

func rep(s string, n int) string { return strings.Repeat(s, n) }

func one(f func(n int) string) func(n int) []string {
	return func(n int) []string { return []string{f(n)} }
}

func viewChain(n int, warm bool) []string {
	s := []string{"CREATE VIEW v0 AS SELECT 1 AS id"}
	for i := 1; i < n; i++ {
		s = append(s, fmt.Sprintf("CREATE VIEW v%d AS SELECT id FROM v%d", i, i-1))
		if warm {
			s = append(s, fmt.Sprintf("SELECT * FROM v%d", i))
		}
	}
	return append(s, fmt.Sprintf("SELECT * FROM v%d", n-1))
}

var constructs = []construct{
	{"1 + 1 + ...", one(func(n int) string { return "SELECT 1" + rep(" + 1", n) }), sqlite3.LIMIT_EXPR_DEPTH, 100, 200},
	{"abs(abs(...))", one(func(n int) string { return "SELECT " + rep("abs(", n) + "1" + rep(")", n) }), sqlite3.LIMIT_EXPR_DEPTH, 100, 200},
	{"CASE WHEN 1 THEN CASE ...", one(func(n int) string { return "SELECT " + rep("CASE WHEN 1 THEN ", n) + "1" + rep(" END", n) }), sqlite3.LIMIT_EXPR_DEPTH, 99, 200},
	{"FROM (SELECT * FROM (...))", one(func(n int) string { return rep("SELECT * FROM (", n) + "SELECT 1 AS id" + rep(")", n) }), sqlite3.LIMIT_PARSER_DEPTH, 82, 164},
	{"UNION ALL", one(func(n int) string { return "SELECT 1" + rep(" UNION ALL SELECT 1", n-1) }), sqlite3.LIMIT_COMPOUND_SELECT, CompoundSelect + 1, 2 * CompoundSelect},
	{"LIKE '%a%a...'", one(func(n int) string { return "SELECT '" + rep("a", n+5) + "' LIKE '" + rep("%a", n) + "%b'" }), sqlite3.LIMIT_LIKE_PATTERN_LENGTH, LikePatternLength / 2, LikePatternLength},
	// SQLite refuses views read cold at ExprDepth, but crashes at 198: the
	// generator's MaxViewDepth keeps the margin.
	{"views read cold", func(n int) []string { return viewChain(n, false) }, sqlite3.LIMIT_EXPR_DEPTH, ExprDepth, 2 * MaxViewDepth},
}

// run runs c at depth n on a fresh connection with dbgen's limits, and
// raise raised to SQLite's default: "ok", SQLite's error, or "crash".
func run(t *testing.T, c construct, n int, raise bool) (res string) {
	t.Helper()
	conn, err := sqlite3.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	if err := SetLimits(conn); err != nil {
		t.Fatal(err)
	}
	if raise {
		conn.Limit(c.limit, sqliteDefault[c.limit])
		if c.limit == sqlite3.LIMIT_EXPR_DEPTH {
			conn.Limit(sqlite3.LIMIT_PARSER_DEPTH, sqliteDefault[sqlite3.LIMIT_PARSER_DEPTH])
		}
	}
	defer func() {
		if r := recover(); r != nil {
			res = "crash"
			return // the connection is corrupt: leave it
		}
		conn.Close()
	}()
	for _, s := range c.sql(n) {
		if err := conn.Exec(s); err != nil {
			return err.Error()
		}
	}
	return "ok"
}

var sqliteDefault = map[sqlite3.LimitCategory]int{
	sqlite3.LIMIT_EXPR_DEPTH:          1000,
	sqlite3.LIMIT_PARSER_DEPTH:        2500,
	sqlite3.LIMIT_COMPOUND_SELECT:     500,
	sqlite3.LIMIT_LIKE_PATTERN_LENGTH: 50000,
}

// TestStackMargin: at the depth where dbgen's limits refuse each
// recursive construct, SQLite reports an error; at twice the depth they let
// through, with the limit back at SQLite's default, it still does not crash. A driver
// update that shrinks the stack, or grows SQLite's frames, fails here.
func TestStackMargin(t *testing.T) {
	for _, c := range constructs {
		t.Run(c.name, func(t *testing.T) {
			if got := run(t, c, c.refused-1, false); got != "ok" {
				t.Errorf("depth %d, just within the limit: %s", c.refused-1, got)
			}
			if got := run(t, c, c.refused, false); got == "ok" || got == "crash" {
				t.Errorf("depth %d: %s; want SQLite to refuse it", c.refused, got)
			}
			if got := run(t, c, c.safe, true); got == "crash" {
				t.Errorf("depth %d, twice what dbgen lets through, without the limit: %s; less than half the stack is left free", c.safe, got)
			}
		})
	}
	t.Run("views read warm", func(t *testing.T) {
		c := construct{sql: func(n int) []string { return viewChain(n, true) }}
		if got := run(t, c, 2*MaxViewDepth, false); got != "ok" {
			t.Errorf("a chain of %d views read as it grows: %s", 2*MaxViewDepth, got)
		}
	})
}
