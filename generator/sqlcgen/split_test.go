package sqlcgen

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/dbgen-dev/dbgen/internal/sqllex"
)

func TestScanSQLNames(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []queryName
	}{{
		name: "two queries",
		src:  "-- name: A :one\nSELECT 1;\n\n-- name: B :many\nSELECT 2;\n",
		want: []queryName{{"A", 1}, {"B", 4}},
	}, {
		name: "not at line start",
		src:  "SELECT 1; -- name: A :one\n  -- name: B :one\n",
	}, {
		name: "inside literals and comments",
		src:  "-- name: A :one\nSELECT '\n-- name: X :one\n', \"\n-- name: Y :one\n\", [\n-- name: Z :one\n] /*\n-- name: W :one\n*/;\n-- name: B :exec\nDELETE FROM t;\n",
		want: []queryName{{"A", 1}, {"B", 11}},
	}, {
		name: "doubled quotes",
		src:  "-- name: A :one\nSELECT 'it''s;';\n-- name: B :one\nSELECT 1;\n",
		want: []queryName{{"A", 1}, {"B", 3}},
	}, {
		name: "crlf",
		src:  "-- name: A :one\r\nSELECT 1;\r\n-- name: B :one\r\nSELECT 2;\r\n",
		want: []queryName{{"A", 1}, {"B", 3}},
	}, {
		name: "not sqlc's form",
		src:  "--name: A :one\n-- name:B :one\n--  name: C :one\n",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []queryName
			for _, n := range scanSQL([]byte(tt.src)).names {
				got = append(got, n.queryName)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPieces(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // pieces without their padding
	}{{
		name: "one per query, comments go with the next",
		src:  "-- header\n-- name: A :one\nSELECT 1;\n-- about B\n-- name: B :one\nSELECT ';'; -- trailing\n-- name: C :exec\nDELETE FROM t\n",
		want: []string{
			"-- header\n-- name: A :one\nSELECT 1;",
			"\n-- about B\n-- name: B :one\nSELECT ';';",
			" -- trailing\n-- name: C :exec\nDELETE FROM t\n",
		},
	}, {
		name: "no statement end between names: not split",
		src:  "-- name: A :one\nSELECT 1\n-- name: B :one\nSELECT 2;\n",
		want: []string{"-- name: A :one\nSELECT 1\n-- name: B :one\nSELECT 2;\n"},
	}, {
		// The only end between the names is an empty statement's: cut
		// there, A's name line and its statement would be in two pieces.
		name: "empty statement before a name's query: not split",
		src:  "-- name: A :one\n;SELECT 1\n-- name: B :one\nSELECT 2;\n",
		want: []string{"-- name: A :one\n;SELECT 1\n-- name: B :one\nSELECT 2;\n"},
	}, {
		name: "no queries",
		src:  "-- nothing here\n",
		want: []string{"-- nothing here\n"},
	}, {
		name: "empty",
		src:  "",
		want: []string{""},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Each piece is the padding that stands for the text before it,
			// then its own text.
			var got []string
			offset := 0
			for _, p := range scanSQL([]byte(tt.src)).pieces() {
				pad := padding(sqllex.NewLines(tt.src), offset)
				if !bytes.HasPrefix(p, pad) || len(bytes.Trim(pad, " \n")) > 0 {
					t.Fatalf("piece %q does not start with the padding for offset %d", p, offset)
				}
				got = append(got, string(p[len(pad):]))
				offset += len(p) - len(pad)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("pieces (-want +got):\n%s", diff)
			}
			if joined := strings.Join(got, ""); joined != tt.src {
				t.Errorf("pieces join to %q, want the file %q", joined, tt.src)
			}
		})
	}
}

// lineCol is the 1-based line and rune column of offset in s, as sqlc
// counts them.
func lineCol(s string, offset int) [2]int {
	before := s[:offset]
	return [2]int{strings.Count(before, "\n") + 1, utf8.RuneCountInString(before[strings.LastIndexByte(before, '\n')+1:]) + 1}
}

func TestPaddingKeepsPosition(t *testing.T) {
	before := "-- ünïcode\nSELECT 'é'; "
	pad := padding(sqllex.NewLines(before), len(before))
	if got, want := lineCol(string(pad)+"x", len(pad)), lineCol(before+"x", len(before)); got != want {
		t.Errorf("after padding x is at %v, want %v", got, want)
	}
}

// TestPiecesOfAHugeFile: padding grows with the square of a file, so a
// file of many queries goes to sqlc whole instead (16 MiB of them used to
// pad to hundreds of GB, and take minutes to cut).
func TestPiecesOfAHugeFile(t *testing.T) {
	src := []byte(strings.Repeat("-- name: A :one\nSELECT 1;\n", 10000))
	pieces := scanSQL(src).pieces()
	if len(pieces) != 1 || !bytes.Equal(pieces[0], src) {
		t.Errorf("got %d pieces, want the file whole", len(pieces))
	}
	if n := len(scanSQL(src[:26*100]).pieces()); n != 100 {
		t.Errorf("100 queries: got %d pieces, want 100", n)
	}
}

func TestStatements(t *testing.T) {
	src := "CREATE TABLE t (a TEXT DEFAULT ';');\n" +
		"CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN\n  UPDATE t SET a = 'x;';\n  SELECT 1; END;\n" +
		"/* ; */ CREATE VIEW v AS SELECT a FROM t; -- done;\n"
	want := []string{
		"CREATE TABLE t (a TEXT DEFAULT ';');",
		"\nCREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN\n  UPDATE t SET a = 'x;';\n  SELECT 1; END;",
		"\n/* ; */ CREATE VIEW v AS SELECT a FROM t; -- done;\n",
	}
	var got []string
	offset := 0
	for _, p := range scanSQL([]byte(src)).statements() {
		pad := padding(sqllex.NewLines(src), offset)
		got = append(got, string(p[len(pad):]))
		offset += len(p) - len(pad)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statements (-want +got):\n%s", diff)
	}
}
