package load

import (
	"fmt"
	"strings"

	"github.com/dbgen-dev/dbgen/generator/diag"
	"github.com/dbgen-dev/dbgen/generator/sqltext"
)

// runOn explains a syntax error SQLite reports at a CREATE inside a
// statement: the statement before it has no ";" (or an open parenthesis),
// so the splitter, as SQLite, read both as one. All SQLite says is
// `near "CREATE": syntax error`, at the second. A missing ";" is reported
// where it belongs, at the end of the statement that lacks it.
//
// offset is where SQLite stopped, msg its message; ok is false when the
// error is not one of these.
func runOn(s *Statement, offset int, msg string) (_ diag.Diagnostic, ok bool) {
	if !strings.HasPrefix(msg, `near "`) || !strings.HasSuffix(msg, `": syntax error`) {
		return diag.Diagnostic{}, false
	}
	at := -1
	for i, t := range s.Tokens {
		if t.Offset == offset {
			at = i
			break
		}
	}
	// A CREATE that starts a statement: CREATE TABLE, CREATE UNIQUE INDEX,
	// ...; a column named create is something else.
	if at <= 0 || !s.Tokens[at].Is("CREATE") || at+1 >= len(s.Tokens) || !startsObject(s.Tokens[at+1]) {
		return diag.Diagnostic{}, false
	}
	data := s.File.Data
	createLine, createCol := diag.Position(data, offset)
	depth, open := 0, []sqltext.Token{}
	for _, t := range s.Tokens[:at] {
		switch t.Text {
		case "(":
			depth++
			open = append(open, t)
		case ")":
			if depth > 0 {
				depth--
				open = open[:len(open)-1]
			}
		}
	}
	if depth > 0 {
		// On a line of its own, it is the next statement; inside a line it
		// may be anything SQLite refuses.
		if lineStart := strings.LastIndexByte(string(data[:offset]), '\n') + 1; strings.TrimSpace(string(data[lineStart:offset])) != "" {
			return diag.Diagnostic{}, false
		}
		parenLine, _ := diag.Position(data, open[0].Offset)
		return diag.Diagnostic{Path: s.File.Path, Line: createLine, Col: createCol,
			Msg: fmt.Sprintf(`%s: the "(" at line %d is not closed, so SQLite read on into this CREATE; close it with ")" and end the statement with ";"`, msg, parenLine)}, true
	}
	prev := s.Tokens[at-1]
	line, col := diag.Position(data, prev.Offset+len(prev.Text))
	return diag.Diagnostic{Path: s.File.Path, Line: line, Col: col,
		Msg: fmt.Sprintf(`missing ";" at the end of the statement that starts at line %d: SQLite read on into the CREATE at line %d (%s); end the statement with ";"`,
			s.Line, createLine, msg)}, true
}

// startsObject reports whether a word after CREATE makes it the start of a
// statement.
func startsObject(t sqltext.Token) bool {
	for _, w := range []string{"TABLE", "INDEX", "UNIQUE", "VIEW", "TRIGGER", "VIRTUAL", "TEMP", "TEMPORARY"} {
		if t.Is(w) {
			return true
		}
	}
	return false
}
