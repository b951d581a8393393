package runtime

import (
	"io/fs"
	"strings"
)

// Definition is everything a generated package knows about its database: the
// generator fills one per package and applications hand them to Open or to a
// Manager. Only these names ever reach SQL text built at run time.
type Definition struct {
	Name       string  // database name; the file is <Name>.db
	DDL        string  // the desired schema, as the schema files declare it
	Tables     []Table // tables and views, in schema order
	Migrations fs.FS   // the embedded migrations folder, nil when there is none
	// Postgres is the database on PostgreSQL, when dbgen's postgres target
	// is on; Open then also takes a postgres:// URL. nil otherwise.
	Postgres *PostgresSchema
}

// PostgresSchema is what a generated package knows of its database on
// PostgreSQL, where each database of an application is a schema (a
// namespace) of one PostgreSQL database. The tables, columns and keys are
// those of Definition.Tables: only the DDL differs.
type PostgresSchema struct {
	Schema     string // the PostgreSQL schema: the database's name
	DDL        string // the schema as dbgen derived it, for a database without migrations
	Migrations fs.FS  // migrations/postgres, embedded; nil when there are none
}

// Table returns the table or view called name, or nil.
func (d *Definition) Table(name string) *Table {
	for i := range d.Tables {
		if d.Tables[i].Name == name {
			return &d.Tables[i]
		}
	}
	return nil
}

// Table describes one table or view.
type Table struct {
	Name         string
	View         bool // read-only: no create, update or delete
	Virtual      bool // a virtual table (fts5, ...): no generated CRUD
	Strict       bool
	WithoutRowID bool
	Columns      []Column
	PrimaryKey   []string   // key columns in key order; rowid-only tables name "rowid"
	Unique       [][]string // column sets of each UNIQUE constraint or unique index
	ForeignKeys  []ForeignKey
	Indexes      []Index
}

// The row-identity rules: what identifies a row of a table, what a row is
// read as, and which columns may be written. Generated code, generic CRUD
// and the admin API all ask the Table.

// Kind is what the table is: "table", "view" or "virtual table".
func (t *Table) Kind() string {
	switch {
	case t.View:
		return "view"
	case t.Virtual:
		return "virtual table"
	}
	return "table"
}

// HasRowID reports whether the table's rows have SQLite's implicit rowid:
// every table and virtual table except WITHOUT ROWID ones; views have none.
func (t *Table) HasRowID() bool { return !t.View && !t.WithoutRowID }

// RowIDName is the name under which the implicit rowid can be read: rowid,
// unless a declared column takes that name, then _rowid_ or oid; "" when
// the table has no rowid or every alias is taken.
func (t *Table) RowIDName() string {
	if !t.HasRowID() {
		return ""
	}
	for _, alias := range []string{"rowid", "_rowid_", "oid"} {
		if t.Column(alias) == nil {
			return alias
		}
	}
	return ""
}

// Key is what identifies one row: the primary key, in key order (for a
// table without one, the generator names its rowid there); nil for a view.
func (t *Table) Key() []string {
	if t.View {
		return nil
	}
	return t.PrimaryKey
}

// RowIDKeyed reports whether rows are identified by the implicit rowid
// rather than by declared columns: such rows are read with it first.
func (t *Table) RowIDKeyed() bool {
	return t.HasRowID() && len(t.PrimaryKey) == 1 && t.Column(t.PrimaryKey[0]) == nil
}

// RecordColumns are the columns a row is read as, in order: the rowid when
// it is what identifies the row, then every declared column.
func (t *Table) RecordColumns() []string {
	cols := make([]string, 0, len(t.Columns)+1)
	if t.RowIDKeyed() {
		cols = append(cols, t.PrimaryKey[0])
	}
	for i := range t.Columns {
		cols = append(cols, t.Columns[i].Name)
	}
	return cols
}

// Lookup reports whether name is a column of the table, the implicit rowid
// included, and whether it can hold NULL.
func (t *Table) Lookup(name string) (found, nullable bool) {
	if c := t.Column(name); c != nil {
		return true, c.Nullable
	}
	if t.HasRowID() && (strings.EqualFold(name, "rowid") || strings.EqualFold(name, "_rowid_") || strings.EqualFold(name, "oid")) {
		return true, false
	}
	return false, false
}

// Column returns the column called name, or nil.
func (t *Table) Column(name string) *Column {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i]
		}
	}
	return nil
}

// Column describes one column of a table or view.
type Column struct {
	Name       string
	SQLType    string // declared type as written, "" when none
	GoType     string // Go type of the generated field, e.g. "sql.NullString"
	GoField    string // name of the generated struct field
	Nullable   bool
	Default    string // default expression as SQL text, "" when none
	PrimaryKey bool
	RowID      bool // an INTEGER PRIMARY KEY: SQLite assigns it on insert
	AutoIncr   bool // declared AUTOINCREMENT
	Generated  bool // GENERATED ALWAYS AS (...): never written
}

// Writable reports whether inserts and updates may set the column.
func (c *Column) Writable() bool { return !c.Generated }

// Family is the kind of value the column holds, from its declared type.
func (c *Column) Family() Family { return FamilyOf(c.SQLType) }

// ForeignKey is one FOREIGN KEY constraint.
type ForeignKey struct {
	Columns    []string
	RefTable   string
	RefColumns []string
	OnUpdate   string // SQL action, "" for NO ACTION
	OnDelete   string
}

// Index is one explicit index (CREATE INDEX), partial when Where is set.
type Index struct {
	Name    string
	Unique  bool
	Columns []string // column names; expressions appear as their SQL text
	Where   string
}
