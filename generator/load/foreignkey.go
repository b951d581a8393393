package load

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dbgen-dev/dbgen/generator/diag"
	"github.com/dbgen-dev/dbgen/generator/sqltext"
	dbrt "github.com/dbgen-dev/dbgen/runtime"
)

// checkForeignKeys validates what SQLite only checks when rows are written:
// the parent table exists in the same database (a foreign key cannot cross
// database files) and the parent columns are its key or a unique set.
func checkForeignKeys(dbs []*Database) diag.List {
	owner := map[string]string{} // lower-case table name -> database
	for _, db := range dbs {
		for _, t := range db.Tables {
			owner[strings.ToLower(t.Name)] = db.Name
		}
	}
	var problems diag.List
	for _, db := range dbs {
		for _, t := range db.Tables {
			st := db.Statement(t.Name)
			for _, fk := range t.ForeignKeys {
				d := st.referencePosition(fk.RefTable)
				parent := db.Table(fk.RefTable)
				switch {
				case parent == nil && owner[strings.ToLower(fk.RefTable)] != "":
					d.Msg = fmt.Sprintf("foreign key of %s(%s) references table %s of database %s; SQLite cannot enforce a foreign key across database files — keep both tables in one database or store the key without REFERENCES",
						t.Name, strings.Join(fk.Columns, ", "), fk.RefTable, owner[strings.ToLower(fk.RefTable)])
				case parent == nil:
					d.Msg = fmt.Sprintf("foreign key of %s(%s) references table %s, which no schema file of database %s defines", t.Name, strings.Join(fk.Columns, ", "), fk.RefTable, db.Name)
				case !referencesKey(parent, fk.RefColumns):
					d.Msg = fmt.Sprintf("foreign key of %s(%s) references %s(%s), which is neither its primary key nor UNIQUE; SQLite would fail every write with \"foreign key mismatch\"",
						t.Name, strings.Join(fk.Columns, ", "), parent.Name, strings.Join(fk.RefColumns, ", "))
				default:
					continue
				}
				problems = append(problems, d)
			}
		}
	}
	return problems
}

func referencesKey(parent *dbrt.Table, cols []string) bool {
	// "REFERENCES parent" without columns names its primary key; SQLite's
	// pragma reports those columns as NULL.
	if len(cols) == 0 || slices.Contains(cols, "") {
		return len(parent.PrimaryKey) > 0 && parent.PrimaryKey[0] != "rowid"
	}
	same := func(set []string) bool {
		if len(set) != len(cols) {
			return false
		}
		for _, c := range cols {
			if !slices.ContainsFunc(set, func(s string) bool { return strings.EqualFold(s, c) }) {
				return false
			}
		}
		return true
	}
	return same(parent.PrimaryKey) || slices.ContainsFunc(parent.Unique, same)
}

// Table returns the table or view called name, compared as SQLite compares
// names (ASCII case folded), or nil.
func (d *Database) Table(name string) *dbrt.Table {
	for i := range d.Tables {
		if strings.EqualFold(d.Tables[i].Name, name) {
			return &d.Tables[i]
		}
	}
	return nil
}

// referencePosition points at "REFERENCES <table>" in the statement.
func (s *Statement) referencePosition(table string) diag.Diagnostic {
	d := diag.Diagnostic{Path: s.File.Path, Line: s.Line}
	for i, t := range s.Tokens {
		if t.Is("REFERENCES") && i+1 < len(s.Tokens) && strings.EqualFold(sqltext.Name(s.Tokens[i+1]), table) {
			d.Line, d.Col = diag.Position(s.File.Data, s.Tokens[i+1].Offset)
			break
		}
	}
	return d
}
