package sqlcgen

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// queryName is the name a `-- name:` line gives a query, and its line.
type queryName struct {
	Name string
	Line int
}

// sqlText is a queries file read the way SQLite tokenizes it: where its
// statements end and which lines name a query.
type sqlText struct {
	src   []byte
	ends  []int // offsets of the ';' that end statements
	names []nameLine
}

type nameLine struct {
	queryName
	offset int
}

// scanSQL finds statement ends and name lines, skipping string literals,
// quoted identifiers and comments. A name line is a "--" comment starting a
// line with " name: " after the dashes, the form sqlc recognises.
func scanSQL(src []byte) sqlText {
	t := sqlText{src: src}
	line := 1
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case c == '\n':
			line++
		case c == ';':
			t.ends = append(t.ends, i)
		case c == '\'' || c == '"' || c == '`' || c == '[':
			// A doubled quote inside is an escaped quote: it closes the
			// literal and opens the next one, which the loop handles.
			closer := c
			if c == '[' {
				closer = ']'
			}
			end := bytes.IndexByte(src[i+1:], closer)
			if end < 0 {
				return t // unterminated: sqlc reports it
			}
			line += bytes.Count(src[i+1:i+1+end], []byte("\n"))
			i += 1 + end
		case c == '-' && i+1 < len(src) && src[i+1] == '-':
			end := bytes.IndexByte(src[i:], '\n')
			if end < 0 {
				end = len(src) - i
			}
			if i == 0 || src[i-1] == '\n' {
				if n, ok := parseNameLine(string(src[i : i+end])); ok {
					t.names = append(t.names, nameLine{queryName{n, line}, i})
				}
			}
			i += end - 1 // the '\n' is counted by the next iteration
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := bytes.Index(src[i+2:], []byte("*/"))
			if end < 0 {
				return t
			}
			line += bytes.Count(src[i:i+2+end], []byte("\n"))
			i += 2 + end + 1
		}
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

// pieces splits the file into one piece per query. A piece starts right
// after the ';' that ends the previous query, so each statement keeps the
// comments before it, as it would in the whole file. Each piece is padded
// with the newlines and spaces of the text before it: sqlc's lines and
// columns in a piece are those of the original file.
//
// Where two name lines have no statement end between them, the file is not
// split there, and sqlc sees and reports the text as written.
func (t sqlText) pieces() [][]byte {
	var starts []int
	start := 0
	for i := 1; i < len(t.names); i++ {
		end := -1
		for _, e := range t.ends {
			if e > t.names[i-1].offset && e < t.names[i].offset {
				end = e
			}
		}
		if end >= 0 && end+1 > start {
			starts = append(starts, start)
			start = end + 1
		}
	}
	starts = append(starts, start)

	pieces := make([][]byte, len(starts))
	for i, s := range starts {
		e := len(t.src)
		if i+1 < len(starts) {
			e = starts[i+1]
		}
		pieces[i] = append(padding(t.src[:s]), t.src[s:e]...)
	}
	return pieces
}

// padding is whitespace that puts the next character at the same line and
// column as it is after before. sqlc counts columns in runes, as ANTLR does.
func padding(before []byte) []byte {
	lines := bytes.Count(before, []byte("\n"))
	col := utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:])
	pad := make([]byte, 0, lines+col)
	pad = append(pad, bytes.Repeat([]byte("\n"), lines)...)
	return append(pad, bytes.Repeat([]byte(" "), col)...)
}
