package migrate_test

import (
	"errors"
	"strings"
	"testing"

	pganalyze "github.com/pganalyze/pg_query_go/v6"
	pgquery "github.com/wasilibs/go-pgquery"

	"github.com/dbgen-dev/dbgen/internal/sqllex"
	"github.com/dbgen-dev/dbgen/runtime/migrate"
)

// FuzzSplitPostgres: any PostgreSQL migration file splits into statements
// or fails with a *sqllex.SyntaxError at a line of the file, never a panic;
// the statements are the file's own text, in order, each splits back into
// itself, and what lies between them is only space, comments and ';'.
// PostgreSQL's own scanner (libpg_query's, through go-pgquery) is the
// judge of where a ';' is a token: every ';' that ends a statement is one,
// every one outside a BEGIN ATOMIC body ends a statement, and a file the
// splitter refuses as unterminated, PostgreSQL refuses too.
func FuzzSplitPostgres(f *testing.F) {
	for _, s := range []string{
		"",
		";;",
		"CREATE TABLE a (s text DEFAULT 'x;y', \"we;ird\" int);\nINSERT INTO a VALUES (E'it\\'s; fine', 1) /* a /* nested; */ comment */;",
		"CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$\nBEGIN\n  RETURN 1; -- inside\nEND;\n$body$;\nSELECT 1",
		"CREATE FUNCTION g(x int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT CASE WHEN x > 0 THEN 1 ELSE 2 END;\n  SELECT $$;$$::text = ';' AND x = $1;\nEND;\n;;\nSELECT 1",
		"SELECT $1, $a$;$a$, $$$$, a$b, 1.5e3, B'10', X'ff', U&'d\\0061t', U&\"x;\" UESCAPE '!';",
		"SELECT 'a' 'b';SELECT E'\\\\';SELECT e'\\'';",
		"SELECT 1*--x;\n2; SELECT 3/*/**/;*/;",
		"SELECT 'open", "SELECT $x$ open", "/* open", "SELECT \"open", "SELECT E'\\'",
		"DO $$ BEGIN RAISE NOTICE ';'; END $$;",
		"CREATE TABLE \"漢字\" (\"é;\" text); -- ü",
	} {
		f.Add(s)
	}
	if !testing.Short() {
		// Compile libpg_query once, before fuzzing starts: the first Scan
		// takes seconds, which the fuzzing engine would take for a worker
		// that hung on its first input.
		if _, err := pgquery.Scan("SELECT 1"); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		stmts, err := migrate.SplitPostgres(src)
		var pgToks []*pganalyze.ScanToken
		var pgErr error
		// libpg_query reads a C string; compiling it takes seconds, too many for -short.
		oracle := !testing.Short() && strings.IndexByte(src, 0) < 0
		if oracle {
			res, err := pgquery.Scan(src)
			if pgErr = err; err == nil {
				pgToks = res.Tokens
			}
		}
		if err != nil {
			var se *sqllex.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %T %v, want a *sqllex.SyntaxError", err, err)
			}
			if n := strings.Count(src, "\n") + 1; se.Line < 1 || se.Line > n {
				t.Fatalf("error at line %d of a %d-line file: %v", se.Line, n, err)
			}
			if oracle && pgErr == nil {
				t.Fatalf("split refuses the file (%v), PostgreSQL's scanner reads it", err)
			}
			return
		}
		if oracle && pgErr != nil && strings.Contains(pgErr.Error(), "unterminated") {
			t.Fatalf("PostgreSQL refuses the file (%v), the split reads it into %d statements", pgErr, len(stmts))
		}

		// covered[i]: byte i belongs to a statement.
		covered := make([]bool, len(src))
		prevEnd := 0
		for i, s := range stmts {
			end := s.Offset + len(s.Text)
			switch {
			case s.Text == "" || strings.TrimLeft(s.Text, " \t\n\r\f\v") != s.Text:
				t.Fatalf("statement %d %q is empty or starts with space", i, s.Text)
			case s.Offset < prevEnd || end > len(src):
				t.Fatalf("statement %d [%d,%d) overlaps the one before (ending at %d) or leaves the file", i, s.Offset, end, prevEnd)
			case src[s.Offset:end] != s.Text:
				t.Fatalf("statement %d %q is not the file's text at %d", i, s.Text, s.Offset)
			case s.Line != sqllex.LineAt(src, s.Offset):
				t.Fatalf("statement %d says line %d, want %d", i, s.Line, sqllex.LineAt(src, s.Offset))
			}
			again, err := migrate.SplitPostgres(s.Text)
			if err != nil || len(again) != 1 || again[0].Text != s.Text {
				t.Fatalf("statement %d %q splits again into %+v (%v), want itself", i, s.Text, again, err)
			}
			for j := s.Offset; j < end; j++ {
				covered[j] = true
			}
			prevEnd = end
		}
		if !oracle || pgErr != nil {
			return
		}
		atomic := strings.Contains(strings.ToUpper(src), "ATOMIC")
		pgSemi, comment := map[int]bool{}, make([]bool, len(src))
		for _, tok := range pgToks {
			start, end := int(tok.Start), int(tok.End)
			if start < 0 || end > len(src) || start > end {
				t.Fatalf("PostgreSQL token [%d,%d) outside the file", start, end)
			}
			switch {
			case tok.Token == pganalyze.Token_ASCII_59:
				pgSemi[start] = true
				if covered[start] && !atomic {
					t.Fatalf("the ';' at %d is a statement end to PostgreSQL, but inside statement %q", start, enclosing(stmts, start))
				}
			case tok.Token == pganalyze.Token_SQL_COMMENT || tok.Token == pganalyze.Token_C_COMMENT:
				for j := start; j < end; j++ {
					comment[j] = true
				}
			default:
				for j := start; j < end; j++ {
					if !covered[j] {
						t.Fatalf("PostgreSQL's token %q at %d is in no statement", src[start:end], start)
					}
				}
			}
		}
		for i := range src {
			if !covered[i] && !comment[i] && src[i] == ';' && !pgSemi[i] {
				t.Fatalf("the split ends a statement at %d, where PostgreSQL's scanner has no ';' token", i)
			}
		}
	})
}

func enclosing(stmts []sqllex.Statement, off int) string {
	for _, s := range stmts {
		if s.Offset <= off && off < s.Offset+len(s.Text) {
			return s.Text
		}
	}
	return ""
}
