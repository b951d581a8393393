package codegen

import (
	"fmt"
	"slices"
	"strings"

	dbrt "github.com/dbgen-dev/dbgen/runtime"
)

// The template data: a plain model of one generated package, built in Go so
// that templates/ only range over it.

type dbModel struct {
	Package string
	Name    string
	DDL     string
	Runtime string // import path of dbgen's runtime package
	Tables  []*tableModel
	Methods []*methodModel
	// Migrations is set when gen/<db>/migrations exists, to be embedded.
	Migrations bool
	// Imports of list.go and bulk.go beyond context and the runtime.
	ListImports, BulkImports []string
}

type tableModel struct {
	Meta    dbrt.Table
	Index   int    // position in Definition.Tables
	Struct  string // Go type of a row (sqlc's model struct)
	Plural  string
	Query   string // name of the query constructor, e.g. UserQuery
	List    string // name of the list method, e.g. ListUsers
	Scan    string // name of the unexported row scanner
	CRUD    []crudQuery
	Columns []columnModel
	Bulk    *bulkModel
}

type columnModel struct {
	Name   string // SQL name
	Field  string // Go field of the row struct
	GoType string // Go type of the field
	Value  string // Go type of values in conditions: the field type without its NULL wrapper
	Var    string // exported column handle, e.g. UserEmail
}

// bulkModel describes the CreateMany method of a table: it inserts the same
// columns as Create, taking the same parameters.
type bulkModel struct {
	Method  string // e.g. CreateUsers
	Param   string // element type: CreateUserParams, or the single column's type
	Columns []string
	Values  []string // Go expressions for one row r
	// Key is the primary key column returned for each row, and KeyType its
	// Go type; both empty for a composite key, which the caller already has.
	Key, KeyType string
}

type methodModel struct {
	*goMethod
	Write bool
	// Result is the non-error result type, "" when the query returns only an error.
	Result string
}

// needs reports whether the package has anything for a template to write:
// a package of views only has no bulk insert, one sqlc could not model no
// list.
func (m *dbModel) needs(template string) bool {
	switch template {
	case "list.go.tmpl":
		return slices.ContainsFunc(m.Tables, func(t *tableModel) bool { return len(t.Columns) > 0 })
	case "migrations.go.tmpl":
		return m.Migrations
	case "bulk.go.tmpl":
		return slices.ContainsFunc(m.Tables, func(t *tableModel) bool { return t.Bulk != nil })
	}
	return true
}

// valueType strips the NULL wrapper off a field type: conditions take plain
// values, and IsNull/NotNull test for NULL.
func valueType(goType string) string {
	if t, ok := strings.CutPrefix(goType, "*"); ok {
		return t
	}
	switch goType {
	case "sql.NullString":
		return "string"
	case "sql.NullInt64":
		return "int64"
	case "sql.NullInt32":
		return "int32"
	case "sql.NullInt16":
		return "int16"
	case "sql.NullFloat64":
		return "float64"
	case "sql.NullBool":
		return "bool"
	case "sql.NullTime":
		return "time.Time"
	case "sql.NullByte":
		return "byte"
	}
	if inner, ok := strings.CutPrefix(goType, "sql.Null["); ok {
		return strings.TrimSuffix(inner, "]")
	}
	return goType
}

// names hands out top-level Go identifiers of one package, so that what
// dbgen adds never collides with what sqlc wrote or with each other.
type names map[string]bool

func (n names) claim(want, suffix string) string {
	name := want
	for i := 2; n[name]; i++ {
		name = want + suffix
		if i > 2 {
			name = fmt.Sprintf("%s%s%d", want, suffix, i-1)
		}
	}
	n[name] = true
	return name
}
