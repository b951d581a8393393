package codegen

import (
	"fmt"
	"strings"

	dbrt "github.com/dbgen-dev/dbgen/runtime"
)

// crudQuery is one query dbgen writes for a table, as sqlc-annotated SQL.
type crudQuery struct {
	Name  string
	Doc   string // the method's doc comment, after its name
	Cmd   string // sqlc command: :one, :many, :exec, :execrows
	SQL   string
	Write bool
}

// crudQueries returns the CRUD queries of a table: Create (returning the
// row), Get by primary key and by each UNIQUE set, Update of every writable
// column by key, Delete by key and Count. Views and virtual tables are read
// through Count and the dynamic list only.
func crudQueries(t *tableModel, n namer, id idents) []crudQuery {
	tbl := id.sql(t.Meta.Name)
	// Columns are listed, never *: sqlc would expand * itself and parse the
	// query a second time, which is a third of its time on a large schema.
	var all []string
	for _, c := range t.Meta.Columns {
		all = append(all, id.sql(c.Name))
	}
	cols := strings.Join(all, ", ")
	qs := []crudQuery{{
		Name: "Count" + t.Plural, Cmd: ":one", Doc: "returns the number of rows in " + t.Meta.Name + ".",
		SQL: fmt.Sprintf("SELECT count(*) FROM %s", tbl),
	}}
	if t.Meta.View || t.Meta.Virtual {
		return qs
	}
	var insert []string
	for _, c := range createColumns(&t.Meta) {
		insert = append(insert, id.sql(c.Name))
	}
	create := fmt.Sprintf("INSERT INTO %s DEFAULT VALUES\nRETURNING %s", tbl, cols)
	if len(insert) > 0 {
		create = fmt.Sprintf("INSERT INTO %s (%s)\nVALUES (%s)\nRETURNING %s", tbl, strings.Join(insert, ", "), placeholders(len(insert)), cols)
	}
	qs = append(qs, crudQuery{Name: "Create" + t.Struct, Cmd: ":one", SQL: create, Write: true,
		Doc: "inserts a row into " + t.Meta.Name + " and returns it as stored; columns with a DEFAULT get it."})

	key := t.Meta.PrimaryKey
	if !hasKey(&t.Meta) {
		return qs
	}
	where := keyWhere(id, key)
	qs = append(qs, crudQuery{
		Name: "Get" + t.Struct, Cmd: ":one", Doc: "returns the row of " + t.Meta.Name + " with the given primary key.",
		SQL: fmt.Sprintf("SELECT %s\nFROM %s\nWHERE %s", cols, tbl, where),
	})
	for _, set := range t.Meta.Unique {
		if sameColumns(set, key) {
			continue
		}
		qs = append(qs, crudQuery{
			Name: "Get" + t.Struct + "By" + joinNames(n, set), Cmd: ":one",
			Doc: "returns the row of " + t.Meta.Name + " with the given " + strings.Join(set, ", ") + ".",
			SQL: fmt.Sprintf("SELECT %s\nFROM %s\nWHERE %s", cols, tbl, keyWhere(id, set)),
		})
	}
	var set []string
	for _, c := range t.Meta.Columns {
		if c.Writable() && !c.PrimaryKey {
			set = append(set, id.sql(c.Name)+" = ?")
		}
	}
	if len(set) > 0 {
		qs = append(qs, crudQuery{
			Name: "Update" + t.Struct, Cmd: ":one", Write: true,
			Doc: "sets every writable column of the row of " + t.Meta.Name + " with the given key and returns it.",
			SQL: fmt.Sprintf("UPDATE %s\nSET %s\nWHERE %s\nRETURNING %s", tbl, strings.Join(set, ",\n    "), where, cols),
		})
	}
	qs = append(qs, crudQuery{
		Name: "Delete" + t.Struct, Cmd: ":execrows", Write: true,
		Doc: "deletes the row of " + t.Meta.Name + " with the given key and returns how many rows it deleted.",
		SQL: fmt.Sprintf("DELETE FROM %s\nWHERE %s", tbl, where),
	})
	return qs
}

// createColumns are the columns Create takes: every writable column except
// the rowid (SQLite assigns it) and those with a DEFAULT, which SQLite fills
// in; sqlc cannot type an optional parameter, and a zero Go value silently
// replacing a default (a year-one created_at) would be worse. Set such
// columns with Update, in the same WriteTx when it matters.
func createColumns(t *dbrt.Table) []dbrt.Column {
	var cols []dbrt.Column
	for _, c := range t.Columns {
		if c.Writable() && !c.RowID && c.Default == "" {
			cols = append(cols, c)
		}
	}
	return cols
}

// hasKey reports whether rows can be addressed by declared key columns;
// tables keyed only by the implicit rowid get no Get, Update or Delete,
// since sqlc cannot type the hidden rowid column.
func hasKey(t *dbrt.Table) bool {
	return len(t.PrimaryKey) > 0 && !(len(t.PrimaryKey) == 1 && t.PrimaryKey[0] == "rowid" && t.Column("rowid") == nil)
}

func keyWhere(id idents, cols []string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = id.sql(c) + " = ?"
	}
	return strings.Join(parts, " AND ")
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func sameColumns(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !strings.EqualFold(a[i], b[i]) {
			return false
		}
	}
	return true
}

// idents writes identifiers into dbgen's queries the way sqlc will match
// them: quoted, so reserved words and odd names work, except a mixed-case
// name the schema wrote bare, which sqlc's catalog folds to lower case and
// which only a bare name finds again.
type idents struct {
	quotedInSchema map[string]bool // names that appear quoted in the schema
}

func (id idents) sql(name string) string {
	if strings.ToLower(name) != name && !id.quotedInSchema[name] {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// crudFile renders the queries of all tables as one sqlc queries file.
func crudFile(tables []*tableModel) []byte {
	var b strings.Builder
	for _, t := range tables {
		for _, q := range t.CRUD {
			fmt.Fprintf(&b, "-- name: %s %s\n-- %s %s\n%s;\n\n", q.Name, q.Cmd, q.Name, q.Doc, q.SQL)
		}
	}
	return []byte(b.String())
}

// joinNames names a column set for a getter: GetUserByOrgIDAndEmail.
func joinNames(n namer, cols []string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = n.goName(c)
	}
	return strings.Join(parts, "And")
}
