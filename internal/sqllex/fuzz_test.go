package sqllex

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSplit: any migration file splits into statements or fails with a
// *SyntaxError inside the file, never a panic; the statements are the
// file's own text, in order, and what lies between them is only space,
// comments and the semicolons that end them; each statement splits back
// into itself; and the statements end where SQLite's sqlite3_complete
// says they do (sqliteEnds, a port of complete.c).
func FuzzSplit(f *testing.F) {
	for _, s := range []string{
		"",
		";",
		"CREATE TABLE t (a);\nINSERT INTO t VALUES (1)",
		"-- c\n/* ; */\nSELECT 'x;''y', \"a;b\", `c;`, [d;] -- e;\n;",
		"CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET b = CASE WHEN 1 THEN 2 END; DELETE FROM u; END; SELECT 2;",
		"CREATE TEMP TRIGGER IF NOT EXISTS t2 BEFORE DELETE ON t BEGIN SELECT 1; END;;",
		"CREATE TEMPORARY TRIGGER x INSTEAD OF INSERT ON v BEGIN SELECT :end; SELECT @end; END",
		"EXPLAIN CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; END; SELECT 2;",
		"EXPLAIN:CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; END; SELECT 2;",
		"BEGIN; CREATE TABLE trigger_log (a); END;",
		"SELECT 'open",
		"SELECT 1; /* open",
		"SELECT [open;",
		"SELECT 1 AS x\u00a0;\nSELECT 2 AS y\u2028",
		"/* 漢字 */ SELECT '😀' -- —\n;",
		"\r\n\f\t;\x00;",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		stmts, err := Split(src)
		toks, tokErr := Tokens(src)
		if (err == nil) != (tokErr == nil) {
			t.Fatalf("Split error %v, Tokens error %v: they must agree", err, tokErr)
		}
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %T %v, want a *SyntaxError", err, err)
			}
			checkPlace(t, src, se.Line, se.Col)
			if stmts != nil {
				t.Fatalf("statements %+v with an error", stmts)
			}
		}
		var joined strings.Builder
		for _, tok := range toks {
			joined.WriteString(tok.Text)
		}
		if joined.String() != src {
			t.Fatalf("tokens join to %q, want the script", joined.String())
		}
		if err != nil {
			return
		}

		prevEnd := 0
		for i, s := range stmts {
			end := s.Offset + len(s.Text)
			switch {
			case s.Text == "":
				t.Fatalf("statement %d is empty", i)
			case s.Offset < prevEnd || end > len(src):
				t.Fatalf("statement %d [%d,%d) overlaps the one before (ending at %d) or leaves the script", i, s.Offset, end, prevEnd)
			case src[s.Offset:end] != s.Text:
				t.Fatalf("statement %d %q is not the script's text at %d", i, s.Text, s.Offset)
			case s.Line != LineAt(src, s.Offset):
				t.Fatalf("statement %d at offset %d says line %d, want %d", i, s.Offset, s.Line, LineAt(src, s.Offset))
			}
			again, err := Split(s.Text)
			if err != nil || len(again) != 1 || again[0].Text != s.Text {
				t.Fatalf("statement %d %q splits again into %+v (%v), want itself", i, s.Text, again, err)
			}
			prevEnd = end
		}

		// Every token outside the statements is space, a comment or a ';'
		// that ends a statement; no token straddles a statement's edge.
		var c Completer
		var ends []int
		si := 0
		for _, tok := range toks {
			stepEnds := c.Step(tok)
			if stepEnds {
				ends = append(ends, tok.Offset)
			}
			for si < len(stmts) && stmts[si].Offset+len(stmts[si].Text) <= tok.Offset {
				si++
			}
			end := tok.Offset + len(tok.Text)
			inside := si < len(stmts) && stmts[si].Offset <= tok.Offset && end <= stmts[si].Offset+len(stmts[si].Text)
			if inside {
				if stepEnds {
					t.Fatalf("the ';' at %d ends a statement but lies inside %q", tok.Offset, stmts[si].Text)
				}
				continue
			}
			if si < len(stmts) && tok.Offset < stmts[si].Offset+len(stmts[si].Text) && end > stmts[si].Offset {
				// A statement's last line comment keeps its text, not its newline.
				if tok.Kind == Comment && stmts[si].Offset+len(stmts[si].Text) == tok.Offset+len(strings.TrimRight(tok.Text, spaces)) {
					continue
				}
				t.Fatalf("token %q at %d straddles the edge of statement %q", tok.Text, tok.Offset, stmts[si].Text)
			}
			if tok.Kind != Space && tok.Kind != Comment && !stepEnds {
				t.Fatalf("token %q at %d is in no statement", tok.Text, tok.Offset)
			}
		}

		if strings.IndexByte(src, 0) >= 0 {
			return // sqlite3_complete reads a C string: it stops at NUL
		}
		want, complete := sqliteEnds(src)
		if !equalInts(ends, want) {
			t.Fatalf("statements end at %v, sqlite3_complete ends them at %v", ends, want)
		}
		if got := c.state == stStart && tokErr == nil; got != complete {
			t.Fatalf("complete = %v, sqlite3_complete says %v", got, complete)
		}
	})
}

// checkPlace fails unless line and col are a place in src: col counts
// runes from 1 and may be one past the line's last character.
func checkPlace(t *testing.T, src string, line, col int) {
	t.Helper()
	lines := strings.Split(src, "\n")
	if line < 1 || line > len(lines) {
		t.Fatalf("line %d is outside the script's %d lines", line, len(lines))
	}
	if n := utf8.RuneCountInString(lines[line-1]); col < 1 || col > n+1 {
		t.Fatalf("line %d col %d is outside the line's %d characters", line, col, n)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// sqliteEnds is SQLite's sqlite3_complete (src/complete.c), ported byte for
// byte and sharing nothing with Tokens: it returns the offsets of the ';'
// after which the state machine is back at START, each the end of a
// statement, and what sqlite3_complete returns for the whole of src.
func sqliteEnds(z string) (ends []int, complete bool) {
	state := uint8(0)
	at := func(i int) byte {
		if i < len(z) {
			return z[i]
		}
		return 0
	}
	for i := 0; i < len(z); i++ {
		var token int
		switch z[i] {
		case ';':
			token = tkSemi
		case ' ', '\r', '\t', '\n', '\f':
			token = tkWS
		case '/':
			if at(i+1) != '*' {
				token = tkOther
				break
			}
			i += 2
			for i < len(z) && (z[i] != '*' || at(i+1) != '/') {
				i++
			}
			if i >= len(z) {
				return ends, false
			}
			i++
			token = tkWS
		case '-':
			if at(i+1) != '-' {
				token = tkOther
				break
			}
			for i < len(z) && z[i] != '\n' {
				i++
			}
			if i >= len(z) {
				return ends, state == stStart
			}
			token = tkWS
		case '[':
			i++
			for i < len(z) && z[i] != ']' {
				i++
			}
			if i >= len(z) {
				return ends, false
			}
			token = tkOther
		case '`', '"', '\'':
			q := z[i]
			i++
			for i < len(z) && z[i] != q {
				i++
			}
			if i >= len(z) {
				return ends, false
			}
			token = tkOther
		default:
			if !sqliteIDChar(z[i]) {
				token = tkOther
				break
			}
			n := 1
			for sqliteIDChar(at(i + n)) {
				n++
			}
			switch asciiLower(z[i : i+n]) {
			case "create":
				token = tkCreate
			case "trigger":
				token = tkTrigger
			case "temp", "temporary":
				token = tkTemp
			case "end":
				token = tkEnd
			case "explain":
				token = tkExplain
			default:
				token = tkOther
			}
			i += n - 1
		}
		state = completeTrans[state][token]
		if token == tkSemi && state == stStart {
			ends = append(ends, i)
		}
	}
	return ends, state == stStart
}

// asciiLower folds ASCII letters only, as sqlite3StrNICmp compares.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// sqliteIDChar is SQLite's IdChar: letters, digits, '_', '$' and every
// byte of a multi-byte character.
func sqliteIDChar(c byte) bool {
	return c == '_' || c == '$' || c >= 0x80 ||
		'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}
