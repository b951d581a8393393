package load

import (
	"strings"

	"github.com/dbgen-dev/dbgen/generator/diag"
	"github.com/dbgen-dev/dbgen/generator/sqltext"
)

// Check is one CHECK constraint of a table, as its CREATE TABLE writes it.
// SQLite's pragmas do not report CHECK constraints, so they are read from
// the statement, which SQLite has accepted.
type Check struct {
	Column string // the column it is declared on; "" for a table constraint
	Expr   string // the expression between the parentheses, as written
	Line   int    // where the expression starts in its schema file
}

// Checks returns the CHECK constraints of a table, those declared on a
// column first (in column order), then the table's; none for a view, a
// virtual table or a CREATE TABLE ... AS SELECT.
func (d *Database) Checks(table string) []Check {
	st := d.Statement(table)
	if st == nil || st.Create == nil || st.Create.Kind != sqltext.Table {
		return nil
	}
	body := sqltext.ParseTable(st.Statement)
	if body == nil {
		return nil
	}
	var out []Check
	add := func(column string, e sqltext.Expr) {
		line, _ := diag.Position(st.File.Data, e.Offset)
		out = append(out, Check{Column: column, Expr: strings.TrimSpace(e.Text), Line: line})
	}
	for _, c := range body.Columns {
		for _, e := range c.Checks {
			add(c.Name, e)
		}
	}
	for _, e := range body.Checks {
		add("", e)
	}
	return out
}
