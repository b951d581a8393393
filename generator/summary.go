package generator

import (
	"fmt"

	"github.com/dbgen-dev/dbgen/generator/load"
	"github.com/dbgen-dev/dbgen/generator/output"
	"github.com/dbgen-dev/dbgen/generator/sqlcgen"
)

// Summary is the line generate prints: the databases, their tables and
// views counted apart (virtual tables are tables), the module queries when
// there are any, and what changed in the output folder, e.g.
//
//	3 databases, 12 tables, 2 views, 4 queries in gen/: 5 files written
func (r *Result) Summary() string {
	s := fmt.Sprintf("%d %s, %d %s, %d %s", r.Databases, plural(r.Databases, "database"),
		r.Tables, plural(r.Tables, "table"), r.Views, plural(r.Views, "view"))
	if r.Queries > 0 {
		s += fmt.Sprintf(", %d %s", r.Queries, plural(r.Queries, "query"))
	}
	s += fmt.Sprintf(" in %s/: ", r.Out)
	if len(r.Written)+len(r.Removed) == 0 {
		return s + "0 files changed"
	}
	s += fmt.Sprintf("%d %s written", len(r.Written), plural(len(r.Written), "file"))
	if len(r.Removed) > 0 {
		s += fmt.Sprintf(", %d removed", len(r.Removed))
	}
	return s
}

// count adds a database's entry to the totals.
func (r *Result) count(e *output.Entry) {
	r.Tables += e.Tables
	r.Views += e.Views
	r.Queries += e.Queries
}

// countObjects records in a database's manifest entry what it holds, for
// the summary of this run and of later runs that skip it.
func countObjects(e *output.Entry, db *load.Database) {
	e.Tables, e.Views, e.Queries = 0, 0, 0
	for _, t := range db.Tables {
		if t.View {
			e.Views++
		} else {
			e.Tables++
		}
	}
	for _, f := range db.Queries {
		// Already read (and refused if wrong) by codegen: only the count
		// is wanted here.
		qs, _ := sqlcgen.ReadQueries(f.Path, f.Data)
		e.Queries += len(qs)
	}
}

func plural(n int, word string) string {
	switch {
	case n == 1:
		return word
	case word == "query":
		return "queries"
	}
	return word + "s"
}
