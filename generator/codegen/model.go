package codegen

import (
	"github.com/dbgen-dev/dbgen/generator/diag"
	dbrt "github.com/dbgen-dev/dbgen/runtime"
)

// The template data: a plain model of one generated package, built in Go
// from the load stage's metadata, so that templates/ only range over it.

type dbModel struct {
	// Notes are warnings about the package, at their file and line (a
	// module query that replaces a generated method).
	Notes   diag.List
	Package string
	Name    string
	DDL     string
	Runtime string // import path of dbgen's runtime package
	Tables  []*tableModel
	Queries []*queryModel // the module's own queries, compiled by sqlc
	// Migrations is set when gen/<db>/migrations exists, to be embedded.
	Migrations bool
	// Postgres is the database on PostgreSQL, nil unless the postgres
	// target is on.
	Postgres  *pgModel
	pgQueries []PostgresQuery
	// Imports are the import lines of each template's file beyond the ones
	// it always has, by template name.
	Imports map[string][]string
	// sqlcImports are the packages sqlc's files import, by name: the types
	// of the module queries' methods come from them.
	sqlcImports map[string]string
	// ascii is set when every Go name of the package is ASCII (see align).
	ascii bool
}

// tableModel is one table, view or virtual table.
type tableModel struct {
	Meta       dbrt.Table // rendered into Definition
	Index      int        // position in Definition.Tables
	Struct     string     // Go type of a row, e.g. Product
	Plural     string     // e.g. Products
	ReadOnly   bool       // a view or a virtual table: Count and List only
	RowIDKeyed bool       // rows are identified by the implicit rowid
	Fields     []*fieldModel
	Var        string // the runtime.TypedTable, e.g. tableProduct
	Scan       string // the row scanner, e.g. scanProduct
	Query      string // the query constructor, e.g. ProductQuery
	Cols       []*colModel
	// Only for tables that can be written:
	Create  *paramsModel // Create<Struct>Params
	Set     *paramsModel // <Struct>Set
	Key     *keyModel
	Uniques []*uniqueModel
	M       methodNames
}

// fieldModel is one field of a row struct.
type fieldModel struct {
	Name   string // Go field
	Column string // SQL name
	Type   string // Go type
	Value  string // the type of its values in conditions and keys: Type without a NULL wrapper
	Tag    string // the struct tag, a Go string literal
	// NameCol and TypeCol are Name and Type padded to their columns.
	NameCol, TypeCol string
	// sqlc and nullable say how sqlc's copy of the schema declares the
	// column (see sqlcschema.go).
	sqlc     goType
	nullable bool
}

// colModel is the exported handle of one column, for conditions and sorts.
type colModel struct {
	Var    string // e.g. ProductSku
	VarCol string // Var padded to its column
	Column string
	Value  string
}

// paramsModel is a struct of values to write: Create<Struct>Params or
// <Struct>Set.
type paramsModel struct {
	Type   string
	Fields []*paramField
}

type paramField struct {
	Name    string
	NameCol string // Name padded to its column
	Type    string // as declared: dbrt.Opt[T] when Opt
	Opt     bool
	Index   int // the column's position in Meta.Columns
}

// keyModel is how a table's methods take the key of one row.
type keyModel struct {
	Type     string        // <Struct>Key for a composite key, "" otherwise
	Fields   []*fieldModel // the fields of that struct
	Params   string        // "id int64" or "key ProductKey"
	Args     string        // "id" or "key.ProductID, key.Currency"
	Result   string        // the Go type of one key, what bulk insert returns
	Scan     string        // the key scanner of bulk insert
	ScanDest string        // "&k" or "&k.ProductID, &k.Currency"
}

// uniqueModel is one UNIQUE set of a table, other than its primary key.
type uniqueModel struct {
	Index   int // in Meta.Unique
	Columns []string
	Get     string // e.g. GetProductBySku
	Upsert  string // e.g. UpsertProductBySku
	Params  string
	Args    string
}

// methodNames are the names of a table's methods; "" where it has none.
type methodNames struct {
	Create, Get, Update, Upsert, Delete string
	UpdateWhere, DeleteWhere            string
	Count, List, Bulk                   string
}

// queryModel is one of the module's own queries: a method on the handle
// that runs sqlc's method through the runtime.
type queryModel struct {
	Name     string
	Var      string // its runtime.ModuleQuery
	Doc      []string
	Write    bool
	Params   string // the method's parameters, as sqlc wrote them
	Args     string // sqlc's method's arguments
	Result   string // "" when the query returns only an error
	Families []string
	Postgres string // its text on PostgreSQL, "" unless the postgres target is on
}
