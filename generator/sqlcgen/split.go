package sqlcgen

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/dbgen-dev/dbgen/internal/sqllex"
)

// queryName is the name a `-- name:` line gives a query, and its line.
type queryName struct {
	Name string
	Line int
}

// sqlText is a file of SQL read the way SQLite tokenizes it: where its
// statements are and which lines name a query.
type sqlText struct {
	src      []byte
	ends     []int // offsets of the ';' that end statements
	last     int   // offset of the last token that is neither space nor comment, or -1
	names    []nameLine
	stmts    []stmtSpan
	nonASCII []int // offsets of non-ASCII characters in strings and the like
	// names (bare or quoted) holding a non-ASCII character
	nonASCIINames []sqllex.Token
	comments      [][2]int
}

type nameLine struct {
	queryName
	cmd    string
	offset int
	used   bool // a statement follows before the next name line
}

// stmtSpan is one statement: its first token, where it ends (its ';' or
// the end of its last token), and the name line it comes under (-1: none).
type stmtSpan struct {
	first, end, name int
}

// scanSQL finds statements, statement ends and name lines, as SQLite's
// tokenizer sees them: string literals, quoted identifiers and comments hide
// them. A name line is a "--" comment starting a line with " name: " after
// the dashes, the form sqlc recognises.
func scanSQL(src []byte) sqlText {
	t := sqlText{src: src, last: -1}
	// A token left open runs to the end of the file; sqlc reports it.
	toks, _ := sqllex.Tokens(string(src))
	line := 1
	var c sqllex.Completer // where SQLite ends a statement, triggers included
	first, lastEnd := -1, -1
	for _, tok := range toks {
		ends := c.Step(tok)
		switch {
		case ends:
			t.ends = append(t.ends, tok.Offset)
			if first >= 0 {
				t.stmts = append(t.stmts, t.span(first, tok.Offset))
			}
			first = -1
		case tok.Kind == sqllex.Comment:
			t.comments = append(t.comments, [2]int{tok.Offset, tok.Offset + len(tok.Text)})
			if tok.Offset == 0 || src[tok.Offset-1] == '\n' {
				if name, cmd, ok := parseNameLine(strings.TrimSuffix(tok.Text, "\n")); ok {
					t.names = append(t.names, nameLine{queryName: queryName{name, line}, cmd: cmd, offset: tok.Offset})
				}
			}
		case tok.Kind != sqllex.Space && first < 0:
			first = tok.Offset
		}
		if tok.Kind != sqllex.Space && tok.Kind != sqllex.Comment {
			t.last = tok.Offset
			lastEnd = tok.Offset + len(tok.Text)
			if tok.Kind == sqllex.Word || tok.Kind == sqllex.Quoted {
				// A name: one problem for the whole name.
				if strings.IndexFunc(tok.Text, func(r rune) bool { return r >= utf8.RuneSelf }) >= 0 {
					t.nonASCIINames = append(t.nonASCIINames, tok)
				}
			} else {
				for i, r := range tok.Text {
					if r >= utf8.RuneSelf {
						t.nonASCII = append(t.nonASCII, tok.Offset+i)
					}
				}
			}
		}
		line += strings.Count(tok.Text, "\n")
	}
	if first >= 0 {
		t.stmts = append(t.stmts, t.span(first, lastEnd))
	}
	return t
}

// span makes the statement from first to end and gives it the last name
// line since the previous statement.
func (t *sqlText) span(first, end int) stmtSpan {
	st := stmtSpan{first: first, end: end, name: -1}
	prev := -1
	if n := len(t.stmts); n > 0 {
		prev = t.stmts[n-1].end
	}
	for i := len(t.names) - 1; i >= 0 && t.names[i].offset > prev; i-- {
		if t.names[i].offset < first {
			st.name = i
			t.names[i].used = true
			break
		}
	}
	return st
}

// parseNameLine returns the query name and command of a "-- name: X :cmd"
// line, or of its block-comment form "/* name: X :cmd */", which sqlc
// reads too.
func parseNameLine(line string) (name, cmd string, ok bool) {
	line = strings.TrimRight(line, "\r")
	rest, ok := strings.CutPrefix(line, "-- name: ")
	if !ok {
		if rest, ok = strings.CutPrefix(line, "/* name: "); !ok {
			return "", "", false
		}
		rest = strings.TrimSuffix(strings.TrimSpace(rest), "*/")
	}
	fields := strings.Fields(rest)
	if len(fields) == 0 {
		return "", "", false
	}
	if len(fields) > 1 {
		cmd = fields[1]
	}
	return fields[0], cmd, true
}

// asciiComments is src with every non-ASCII character inside a comment
// replaced by one '_': sqlc's positions count characters, and its cuts
// count bytes (see ReadQueries), so only ASCII text keeps them in step.
func (t sqlText) asciiComments() []byte {
	var out []byte
	start := 0
	for _, c := range t.comments {
		seg := t.src[c[0]:c[1]]
		if !hasNonASCII(seg) {
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(t.src))
		}
		out = append(out, t.src[start:c[0]]...)
		for _, r := range string(seg) {
			if r >= utf8.RuneSelf {
				r = '_'
			}
			out = utf8.AppendRune(out, r)
		}
		start = c[1]
	}
	if out == nil {
		return t.src
	}
	return append(out, t.src[start:]...)
}

func hasNonASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// pieces splits a queries file into one piece per query. A piece starts
// right after the ';' that ends the previous query, so each statement keeps
// the comments before it, as it would in the whole file. Where two name
// lines have no statement end between them, the file is not split there,
// and sqlc sees and reports the text as written; so too where a statement
// starts after the last end before the next name line (";SELECT 1" under a
// name line: the ';' ends an empty statement, not the name's query).
//
// Names, ends and statements are in file order: one pass over each keeps a
// file of many queries linear (16 MiB of them took minutes).
func (t sqlText) pieces() [][]byte {
	var cuts []int
	e, s := 0, 0 // the next end and statement to look at
	for i := 1; i < len(t.names); i++ {
		prev, next := t.names[i-1].offset, t.names[i].offset
		end, lastFirst := -1, -1
		for ; e < len(t.ends) && t.ends[e] < next; e++ {
			if t.ends[e] > prev {
				end = t.ends[e]
			}
		}
		for ; s < len(t.stmts) && t.stmts[s].first < next; s++ {
			lastFirst = t.stmts[s].first
		}
		if end >= 0 && lastFirst < end { // else its name line is before the cut, it after
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

// maxPadding caps the padding of a file's pieces. It grows with the square
// of the file: 16 MiB of one-line queries would pad to hundreds of GB. Past
// the cap the file goes to sqlc whole, slower but the same.
const maxPadding = 64 << 20

// split cuts the text at the given increasing offsets. Each piece is padded
// with the newlines and spaces of the text before it: sqlc's lines and
// columns in a piece are those of the original file.
func (t sqlText) split(cuts []int) [][]byte {
	var pieces [][]byte
	lines := sqllex.NewLines(t.src)
	total := 0
	for _, c := range cuts {
		line, col := lines.Position(c)
		if total += line - 1 + col - 1; total > maxPadding {
			return [][]byte{t.src}
		}
	}
	start := 0
	for _, end := range append(cuts, len(t.src)) {
		if end <= start && end < len(t.src) {
			continue
		}
		pieces = append(pieces, append(padding(lines, start), t.src[start:end]...))
		start = end
	}
	return pieces
}

// padding is whitespace that puts the next character at the same line and
// column as the one at offset off of the text. sqlc counts columns in runes,
// as ANTLR and sqllex.Position do.
func padding(lines *sqllex.Lines, off int) []byte {
	line, col := lines.Position(off)
	pad := make([]byte, 0, line-1+col-1)
	pad = append(pad, bytes.Repeat([]byte("\n"), line-1)...)
	return append(pad, bytes.Repeat([]byte(" "), col-1)...)
}
