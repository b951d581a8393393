package sqlcgen

import (
	"bytes"
	"strings"

	"github.com/dbgen-dev/dbgen/internal/sqllex"
)

// queryName is the name a `-- name:` line gives a query, and its line.
type queryName struct {
	Name string
	Line int
}

// sqlText is a file of SQL read the way SQLite tokenizes it: where its
// statements end and which lines name a query.
type sqlText struct {
	src   []byte
	ends  []int // offsets of the ';' that end statements
	last  int   // offset of the last token that is neither space nor comment, or -1
	names []nameLine
}

type nameLine struct {
	queryName
	offset int
}

// scanSQL finds statement ends and name lines, as SQLite's tokenizer sees
// them: string literals, quoted identifiers and comments hide both. A name
// line is a "--" comment starting a line with " name: " after the dashes,
// the form sqlc recognises.
func scanSQL(src []byte) sqlText {
	t := sqlText{src: src, last: -1}
	// A token left open runs to the end of the file; sqlc reports it.
	toks, _ := sqllex.Tokens(string(src))
	line := 1
	var c sqllex.Completer // where SQLite ends a statement, triggers included
	for _, tok := range toks {
		ends := c.Step(tok)
		switch {
		case ends:
			t.ends = append(t.ends, tok.Offset)
		case tok.Kind == sqllex.Comment && (tok.Offset == 0 || src[tok.Offset-1] == '\n'):
			if name, ok := parseNameLine(strings.TrimSuffix(tok.Text, "\n")); ok {
				t.names = append(t.names, nameLine{queryName{name, line}, tok.Offset})
			}
		}
		if tok.Kind != sqllex.Space && tok.Kind != sqllex.Comment {
			t.last = tok.Offset
		}
		line += strings.Count(tok.Text, "\n")
	}
	return t
}

// parseNameLine returns the query name of a "-- name: X :cmd" line.
func parseNameLine(line string) (string, bool) {
	rest, ok := strings.CutPrefix(strings.TrimRight(line, "\r"), "-- name: ")
	if !ok {
		return "", false
	}
	name, _, _ := strings.Cut(strings.TrimSpace(rest), " ")
	return name, name != ""
}

// pieces splits a queries file into one piece per query. A piece starts
// right after the ';' that ends the previous query, so each statement keeps
// the comments before it, as it would in the whole file. Where two name
// lines have no statement end between them, the file is not split there,
// and sqlc sees and reports the text as written.
func (t sqlText) pieces() [][]byte {
	var cuts []int
	for i := 1; i < len(t.names); i++ {
		end := -1
		for _, e := range t.ends {
			if e > t.names[i-1].offset && e < t.names[i].offset {
				end = e
			}
		}
		if end >= 0 {
			cuts = append(cuts, end+1)
		}
	}
	return t.split(cuts)
}

// statements splits a file into one piece per statement. What follows the
// last statement goes with it, as it holds no statement of its own.
func (t sqlText) statements() [][]byte {
	var cuts []int
	for _, e := range t.ends {
		if e < t.last {
			cuts = append(cuts, e+1)
		}
	}
	return t.split(cuts)
}

// firstToken is the offset of the first token of text that is neither
// space nor comment, or -1.
func firstToken(text []byte) int {
	toks, _ := sqllex.Tokens(string(text))
	for _, t := range toks {
		if t.Kind != sqllex.Space && t.Kind != sqllex.Comment {
			return t.Offset
		}
	}
	return -1
}

// split cuts the text at the given increasing offsets. Each piece is padded
// with the newlines and spaces of the text before it: sqlc's lines and
// columns in a piece are those of the original file.
func (t sqlText) split(cuts []int) [][]byte {
	var pieces [][]byte
	start := 0
	for _, end := range append(cuts, len(t.src)) {
		if end <= start && end < len(t.src) {
			continue
		}
		pieces = append(pieces, append(padding(t.src[:start]), t.src[start:end]...))
		start = end
	}
	return pieces
}

// padding is whitespace that puts the next character at the same line and
// column as it is after before. sqlc counts columns in runes, as ANTLR and
// sqllex.Position do.
func padding(before []byte) []byte {
	line, col := sqllex.Position(before, len(before))
	pad := make([]byte, 0, line-1+col-1)
	pad = append(pad, bytes.Repeat([]byte("\n"), line-1)...)
	return append(pad, bytes.Repeat([]byte(" "), col-1)...)
}
