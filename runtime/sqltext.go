package runtime

import (
	"strings"
)

// sqlText accumulates a statement and its bound arguments. Identifiers come
// only from a *Table and are always quoted; values are always bound.
type sqlText struct {
	strings.Builder
	args []any
	d    dialect // where conditions are written for
}

// ident writes a quoted identifier. Doubling the quote makes any name safe,
// even one that is a keyword or holds a quote.
func (s *sqlText) ident(name string) {
	s.WriteByte('"')
	s.WriteString(strings.ReplaceAll(name, `"`, `""`))
	s.WriteByte('"')
}

// identList writes "a", "b", "c".
func (s *sqlText) identList(names []string) {
	for i, n := range names {
		if i > 0 {
			s.WriteString(", ")
		}
		s.ident(n)
	}
}

// bind writes a placeholder for v.
func (s *sqlText) bind(v any) {
	s.WriteByte('?')
	s.args = append(s.args, v)
}

func columnNotFound(module string, t *Table, name string) *Error {
	return newError(CodeColumnNotFound, module,
		"no column "+name+" in "+t.Name, "table", t.Name, "column", name)
}
