package generator

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/dbgen-dev/dbgen/generator/load"
	dbrt "github.com/dbgen-dev/dbgen/runtime"
)

// The report of dbgen inspect: what discovery found and SQLite loaded, per
// database. Its JSON is `dbgen inspect --format json`.

// InspectDatabase is one database of the report.
type InspectDatabase struct {
	Name        string         `json:"name"`
	SchemaFiles []string       `json:"schema_files"`
	QueryFiles  []string       `json:"query_files"`
	Tables      []InspectTable `json:"tables"`
}

// InspectTable is a table, view or virtual table and its constraints.
type InspectTable struct {
	Name       string          `json:"name"`
	Kind       string          `json:"kind"` // table, view or virtual table
	PrimaryKey []string        `json:"primary_key,omitempty"`
	Columns    []InspectColumn `json:"columns"`
	// Unique are the UNIQUE constraints (a unique index is in Indexes).
	Unique      [][]string          `json:"unique,omitempty"`
	Checks      []string            `json:"checks,omitempty"` // table CHECK constraints; a column's are on the column
	ForeignKeys []InspectForeignKey `json:"foreign_keys,omitempty"`
	Indexes     []InspectIndex      `json:"indexes,omitempty"`
}

// InspectColumn is one column.
type InspectColumn struct {
	Name       string   `json:"name"`
	Type       string   `json:"type"`
	Nullable   bool     `json:"nullable"`
	Default    string   `json:"default,omitempty"`
	PrimaryKey bool     `json:"primary_key,omitempty"`
	Unique     bool     `json:"unique,omitempty"` // a UNIQUE constraint on this column alone
	Generated  bool     `json:"generated,omitempty"`
	Checks     []string `json:"checks,omitempty"`
}

// InspectForeignKey is one FOREIGN KEY constraint. RefColumns is empty
// when it references the other table's primary key without naming it;
// actions are SQL keywords, omitted for NO ACTION.
type InspectForeignKey struct {
	Columns    []string `json:"columns"`
	RefTable   string   `json:"references"`
	RefColumns []string `json:"ref_columns,omitempty"`
	OnDelete   string   `json:"on_delete,omitempty"`
	OnUpdate   string   `json:"on_update,omitempty"`
}

// InspectIndex is one CREATE INDEX: Columns holds an expression's SQL text
// where it indexes one, Where the condition of a partial index.
type InspectIndex struct {
	Name    string   `json:"name"`
	Unique  bool     `json:"unique,omitempty"`
	Columns []string `json:"columns"`
	Where   string   `json:"where,omitempty"`
}

// InspectReport discovers and loads the project and describes it.
func InspectReport(ctx context.Context, opts Options) ([]InspectDatabase, error) {
	dbs, err := Inspect(ctx, opts)
	if err != nil {
		return nil, err
	}
	return Report(dbs), nil
}

// Report describes loaded databases.
func Report(dbs []*load.Database) []InspectDatabase {
	out := []InspectDatabase{}
	for _, db := range dbs {
		r := InspectDatabase{Name: db.Name, SchemaFiles: []string{}, QueryFiles: []string{}, Tables: []InspectTable{}}
		for _, s := range db.Statements {
			if !slices.Contains(r.SchemaFiles, s.File.Path) {
				r.SchemaFiles = append(r.SchemaFiles, s.File.Path)
			}
		}
		for _, f := range db.Queries {
			r.QueryFiles = append(r.QueryFiles, f.Path)
		}
		for i := range db.Tables {
			r.Tables = append(r.Tables, reportTable(db, &db.Tables[i]))
		}
		out = append(out, r)
	}
	return out
}

func reportTable(db *load.Database, t *dbrt.Table) InspectTable {
	it := InspectTable{Name: t.Name, Kind: t.Kind(), Columns: []InspectColumn{}}
	if !t.View && !t.Virtual {
		it.PrimaryKey = t.PrimaryKey
	}
	// t.Unique holds the column sets of full unique indexes too: those are
	// shown as indexes.
	for _, u := range t.Unique {
		if !slices.ContainsFunc(t.Indexes, func(ix dbrt.Index) bool { return ix.Unique && ix.Where == "" && slices.Equal(ix.Columns, u) }) {
			it.Unique = append(it.Unique, u)
		}
	}
	columnChecks := map[string][]string{}
	for _, c := range db.Checks(t.Name) {
		if c.Column == "" {
			it.Checks = append(it.Checks, c.Expr)
		} else {
			key := strings.ToLower(c.Column)
			columnChecks[key] = append(columnChecks[key], c.Expr)
		}
	}
	for _, c := range t.Columns {
		ic := InspectColumn{
			Name: c.Name, Type: c.SQLType, Nullable: c.Nullable, Default: c.Default,
			PrimaryKey: c.PrimaryKey, Generated: c.Generated, Checks: columnChecks[strings.ToLower(c.Name)],
		}
		for _, u := range it.Unique {
			if len(u) == 1 && strings.EqualFold(u[0], c.Name) {
				ic.Unique = true
			}
		}
		it.Columns = append(it.Columns, ic)
	}
	for _, fk := range t.ForeignKeys {
		f := InspectForeignKey{Columns: fk.Columns, RefTable: fk.RefTable, OnDelete: fk.OnDelete, OnUpdate: fk.OnUpdate}
		if !slices.Contains(fk.RefColumns, "") {
			f.RefColumns = fk.RefColumns
		}
		it.ForeignKeys = append(it.ForeignKeys, f)
	}
	for _, ix := range t.Indexes {
		it.Indexes = append(it.Indexes, InspectIndex{Name: ix.Name, Unique: ix.Unique, Columns: ix.Columns, Where: ix.Where})
	}
	return it
}

// WriteInspectText writes the report as dbgen inspect prints it: a block
// per database, a line per column with its notes, then a line per
// multi-column UNIQUE, table CHECK, foreign key and index.
func WriteInspectText(w io.Writer, dbs []InspectDatabase) {
	for i, db := range dbs {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "database %s\n", db.Name)
		fmt.Fprintf(w, "  schema files: %s\n", strings.Join(db.SchemaFiles, ", "))
		if len(db.QueryFiles) > 0 {
			fmt.Fprintf(w, "  query files:  %s\n", strings.Join(db.QueryFiles, ", "))
		}
		for _, t := range db.Tables {
			writeTableText(w, t)
		}
	}
}

func writeTableText(w io.Writer, t InspectTable) {
	fmt.Fprintf(w, "  %s %s\n", t.Kind, t.Name)
	for _, c := range t.Columns {
		var notes []string
		if c.PrimaryKey {
			notes = append(notes, "primary key")
		}
		if !c.Nullable {
			notes = append(notes, "not null")
		}
		if c.Unique {
			notes = append(notes, "unique")
		}
		if c.Default != "" {
			notes = append(notes, "default "+c.Default)
		}
		if c.Generated {
			notes = append(notes, "generated")
		}
		for _, e := range c.Checks {
			notes = append(notes, "check ("+e+")")
		}
		typ := c.Type
		if typ == "" {
			typ = "(no type)"
		}
		line := fmt.Sprintf("    %-24s %s", c.Name, typ)
		if len(notes) > 0 {
			line += "  " + strings.Join(notes, ", ")
		}
		fmt.Fprintln(w, line)
	}
	if len(t.PrimaryKey) > 1 {
		fmt.Fprintf(w, "    primary key (%s)\n", strings.Join(t.PrimaryKey, ", "))
	}
	for _, u := range t.Unique {
		if len(u) > 1 {
			fmt.Fprintf(w, "    unique (%s)\n", strings.Join(u, ", "))
		}
	}
	for _, e := range t.Checks {
		fmt.Fprintf(w, "    check (%s)\n", e)
	}
	for _, fk := range t.ForeignKeys {
		line := fmt.Sprintf("    foreign key (%s) references %s", strings.Join(fk.Columns, ", "), fk.RefTable)
		if len(fk.RefColumns) > 0 {
			line += " (" + strings.Join(fk.RefColumns, ", ") + ")"
		}
		if fk.OnDelete != "" {
			line += " on delete " + strings.ToLower(fk.OnDelete)
		}
		if fk.OnUpdate != "" {
			line += " on update " + strings.ToLower(fk.OnUpdate)
		}
		fmt.Fprintln(w, line)
	}
	for _, ix := range t.Indexes {
		kind := "index"
		if ix.Unique {
			kind = "unique index"
		}
		line := fmt.Sprintf("    %s %s (%s)", kind, ix.Name, strings.Join(ix.Columns, ", "))
		if ix.Where != "" {
			line += " where " + ix.Where
		}
		fmt.Fprintln(w, line)
	}
}
