// Package diag carries the problems dbgen finds in a user's files, each at a
// file and line, so that every stage reports them the same way:
// "path:line:col: what is wrong".
package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/dbgen-dev/dbgen/internal/sqllex"
)

// Diagnostic is one problem at a place in a user's file.
type Diagnostic struct {
	Path string // slash path relative to the project root
	Line int    // 1-based; 0 when the problem is about the whole file
	Col  int    // 1-based, in runes (Position); 0 when unknown
	Msg  string
}

func (d Diagnostic) String() string {
	switch {
	case d.Line > 0 && d.Col > 0:
		return fmt.Sprintf("%s:%d:%d: %s", d.Path, d.Line, d.Col, d.Msg)
	case d.Line > 0:
		return fmt.Sprintf("%s:%d: %s", d.Path, d.Line, d.Msg)
	default:
		return fmt.Sprintf("%s: %s", d.Path, d.Msg)
	}
}

// List is an error made of one or more diagnostics.
type List []Diagnostic

func (l List) Error() string {
	lines := make([]string, len(l))
	for i, d := range l {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}

// Sort orders diagnostics by file, line and column so output is stable.
func (l List) Sort() {
	slices.SortStableFunc(l, func(a, b Diagnostic) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
}

// Err returns l as an error, or nil when it is empty.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	l.Sort()
	return l
}

// Errorf makes a diagnostic.
func Errorf(path string, line int, format string, args ...any) Diagnostic {
	return Diagnostic{Path: path, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// Position converts a byte offset in text into a 1-based line and column,
// the column counted in runes: the rule of every position dbgen reports,
// kept in one place (sqllex.Position) for the generator and the runtime.
func Position(text []byte, offset int) (line, col int) {
	return sqllex.Position(text, offset)
}
