package runtime

import (
	"strings"
)

// sqlText accumulates a statement and its bound arguments. Identifiers come
// only from a *Table and are always quoted; values are always bound.
type sqlText struct {
	strings.Builder
	args []any
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

// hasRowID reports whether the table has SQLite's implicit rowid column.
func hasRowID(t *Table) bool { return !t.View && !t.WithoutRowID }

// columnNames lists the table's columns in table order.
func columnNames(t *Table) []string {
	names := make([]string, len(t.Columns))
	for i := range t.Columns {
		names[i] = t.Columns[i].Name
	}
	return names
}

// lookupColumn returns the column called name, which may also be the
// implicit rowid of a rowid table; nil when there is none. The bool says
// whether the column can hold NULL.
func lookupColumn(t *Table, name string) (found bool, nullable bool) {
	if c := t.Column(name); c != nil {
		return true, c.Nullable
	}
	if strings.EqualFold(name, "rowid") && hasRowID(t) {
		return true, false
	}
	return false, false
}

func columnNotFound(module string, t *Table, name string) *Error {
	return newError(CodeColumnNotFound, module,
		"no column "+name+" in "+t.Name, "table", t.Name, "column", name)
}

// keyColumns is what identifies a row: the primary key, the rowid of a table
// without one, or for a view (which has neither) all of its columns.
func keyColumns(t *Table) []string {
	switch {
	case len(t.PrimaryKey) > 0:
		return t.PrimaryKey
	case hasRowID(t):
		return []string{"rowid"}
	}
	return columnNames(t)
}

// rowIDKeyed reports whether rows of t are addressed by the implicit rowid,
// which then has to be read along with the declared columns.
func rowIDKeyed(t *Table) bool {
	return hasRowID(t) && (len(t.PrimaryKey) == 0 ||
		len(t.PrimaryKey) == 1 && strings.EqualFold(t.PrimaryKey[0], "rowid") && t.Column(t.PrimaryKey[0]) == nil)
}
