package sqlcgen

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"github.com/dbgen-dev/dbgen/generator/diag"
	"github.com/dbgen-dev/dbgen/internal/sqllex"
)

// FuzzReadQueries: any queries file is read into queries and diagnostics
// without a panic. Every line and column reported is a place in the file;
// each query's SQL is the file's text; the pieces sqlc is given (pieces,
// and statements for schemas) are the file cut in order, each padded to
// keep its places, and no cut goes through a statement or between a name
// line and its statement; making comments ASCII keeps every statement at
// its line and column.
func FuzzReadQueries(f *testing.F) {
	for _, s := range []string{
		"",
		"-- name: GetUser :one\nSELECT * FROM users WHERE id = ?;\n",
		"-- header\n-- name: A :one\nSELECT 1;\n-- about B\n-- name: B :many\nSELECT ';'; -- trailing\n-- name: C :exec\nDELETE FROM t\n",
		"-- name: A :one\nSELECT 1\n-- name: B :one\nSELECT 2;\n",
		"-- name: A :one\nSELECT '\n-- name: X :one\n', \"\n-- name: Y :one\n\", [\n-- name: Z :one\n] /*\n-- name: W :one\n*/;\n",
		"/* name: Block :exec */\nUPDATE t SET a = 1;\r\n-- name: Crlf :execrows\r\nDELETE FROM t;\r\n",
		"-- name: Lower :one\nSELECT 1; SELECT 2;\n-- name: Orphan :one\n",
		"-- name: Trig :exec\nCREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END;\n-- name: After :one\nSELECT 2;",
		"-- name: Uni :one\n-- über — 漢字\nSELECT 'é' /* 😀 */;\n",
		"-- name: Open :one\nSELECT 'unterminated;\n",
		"-- name: Bad\xff :one\nSELECT \xfe;\x00",
		"-- name: type :one\nSELECT 1;\n-- name: WithTx :exec\nSELECT 2;\n-- name:\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		const path = "q/queries.sql"
		lines := bytes.Split(src, []byte("\n"))
		inFile := func(what string, line, col int, lineOptional bool) {
			t.Helper()
			if line == 0 && lineOptional && col == 0 {
				return
			}
			if line < 1 || line > len(lines) {
				t.Fatalf("%s: line %d is outside the file's %d lines", what, line, len(lines))
			}
			if n := utf8.RuneCount(lines[line-1]); col < 0 || col > n+1 {
				t.Fatalf("%s: line %d col %d is outside the line's %d characters", what, line, col, n)
			}
		}

		qs, problems := ReadQueries(path, src)
		for _, d := range problems {
			if d.Path != path {
				t.Fatalf("diagnostic %q names another file", d)
			}
			inFile(d.String(), d.Line, d.Col, true)
		}
		for _, q := range qs {
			switch {
			case q.Path != path || q.Name == "":
				t.Fatalf("query %+v: wrong path or no name", q)
			case !bytes.Contains(src, []byte(q.SQL)) || q.SQL == "":
				t.Fatalf("query %s: SQL %q is not text of the file", q.Name, q.SQL)
			case q.StmtLine < q.Line:
				t.Fatalf("query %s: statement at line %d before its name line %d", q.Name, q.StmtLine, q.Line)
			}
			inFile("query "+q.Name+" name line", q.Line, 1, false)
			inFile("query "+q.Name+" statement", q.StmtLine, 1, false)
		}

		text := scanSQL(src)
		checkPieces(t, "pieces", src, text.pieces(), text, true)
		checkPieces(t, "statements", src, text.statements(), text, false)

		ascii := scanSQL(text.asciiComments())
		if len(ascii.stmts) != len(text.stmts) || len(ascii.names) != len(text.names) {
			t.Fatalf("with ASCII comments: %d statements and %d names, want %d and %d",
				len(ascii.stmts), len(ascii.names), len(text.stmts), len(text.names))
		}
		for i, st := range text.stmts {
			l1, c1 := diag.Position(src, st.first)
			l2, c2 := diag.Position(ascii.src, ascii.stmts[i].first)
			if l1 != l2 || c1 != c2 {
				t.Fatalf("with ASCII comments statement %d moves from %d:%d to %d:%d", i, l1, c1, l2, c2)
			}
		}
	})
}

// checkPieces fails unless pieces are src cut in order, each starting with
// the padding for its offset, and each statement (with its name line, when
// named is set) falls in one piece.
func checkPieces(t *testing.T, what string, src []byte, pieces [][]byte, text sqlText, named bool) {
	t.Helper()
	lines := sqllex.NewLines(src)
	var starts []int
	offset := 0
	for i, p := range pieces {
		pad := padding(lines, offset)
		if !bytes.HasPrefix(p, pad) {
			t.Fatalf("%s: piece %d %q does not start with the padding for offset %d", what, i, p, offset)
		}
		body := p[len(pad):]
		if !bytes.HasPrefix(src[offset:], body) {
			t.Fatalf("%s: piece %d %q is not the file's text at %d", what, i, body, offset)
		}
		starts = append(starts, offset)
		offset += len(body)
	}
	if offset != len(src) {
		t.Fatalf("%s: pieces cover %d of the file's %d bytes", what, offset, len(src))
	}
	pieceOf := func(off int) int {
		i := 0
		for i+1 < len(starts) && starts[i+1] <= off {
			i++
		}
		return i
	}
	for _, st := range text.stmts {
		first, last := pieceOf(st.first), pieceOf(max(st.end-1, st.first))
		if first != last {
			t.Fatalf("%s: statement %q is cut between pieces %d and %d", what, src[st.first:st.end], first, last)
		}
		if named && st.name >= 0 && pieceOf(text.names[st.name].offset) != first {
			t.Fatalf("%s: statement %q is not in the piece of its name line", what, src[st.first:st.end])
		}
	}
}
