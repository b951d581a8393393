package runtime

import "io/fs"

// Definition is everything a generated package knows about its database: the
// generator fills one per package and applications hand them to Open or to a
// Manager. Only these names ever reach SQL text built at run time.
type Definition struct {
	Name       string  // database name; the file is <Name>.db
	DDL        string  // the desired schema, as the schema files declare it
	Tables     []Table // tables and views, in schema order
	Migrations fs.FS   // the embedded migrations folder, nil when there is none
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
