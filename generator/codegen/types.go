package codegen

import (
	"strings"

	"github.com/dbgen-dev/dbgen/generator/config"
	dbrt "github.com/dbgen-dev/dbgen/runtime"
)

// goType is the Go type of a column's values.
type goType struct {
	Expr  string // as generated code writes it: "sql.NullString", "dbrt.JSON"
	Value string // the type without its NULL wrapper
	// Sqlc is the declared type sqlc's copy of the schema gives the column,
	// one whose Go type in sqlc is exactly Expr (see sqlcschema.go).
	Sqlc string
	// Override is the go_type sqlc must be told for Sqlc, "" for a type
	// sqlc maps on its own.
	Override string
}

// typeMapper chooses each column's Go type: the family of its declared
// type (the rules sqlc's SQLite engine has, with JSON as runtime.JSON),
// NULL as sql.Null* or a pointer, or an override from dbgen.yaml.
type typeMapper struct {
	pointers  bool
	overrides []override
	known     map[string]string // package name -> import path of every type
}

type override struct {
	config.Override
	typ config.GoType
}

func newTypeMapper(cfg config.Config) *typeMapper {
	m := &typeMapper{pointers: cfg.NullStyle == "pointer", known: map[string]string{
		"context": "context", "sql": "database/sql", "time": "time", "json": "encoding/json", "dbrt": RuntimeImport,
	}}
	for _, o := range cfg.Overrides {
		t, err := config.ParseGoType(o.GoType)
		if err != nil {
			continue // config.Load refused it already
		}
		m.overrides = append(m.overrides, override{o, t})
		if t.Import != "" {
			m.known[t.Package] = t.Import
		}
	}
	return m
}

// base is the Go type of a family, NOT NULL and nullable, as sqlc writes it
// (with runtime.JSON for JSON), and the declared type that gives it in sqlc.
var base = map[dbrt.Family]struct{ notNull, null, ptr, sqlc string }{
	dbrt.FamilyInteger:  {"int64", "sql.NullInt64", "*int64", "INTEGER"},
	dbrt.FamilyReal:     {"float64", "sql.NullFloat64", "*float64", "REAL"},
	dbrt.FamilyNumeric:  {"float64", "sql.NullFloat64", "*float64", "REAL"},
	dbrt.FamilyText:     {"string", "sql.NullString", "*string", "TEXT"},
	dbrt.FamilyBlob:     {"[]byte", "[]byte", "[]byte", "BLOB"},
	dbrt.FamilyBool:     {"bool", "sql.NullBool", "*bool", "BOOLEAN"},
	dbrt.FamilyDate:     {"time.Time", "sql.NullTime", "*time.Time", "DATETIME"},
	dbrt.FamilyDateTime: {"time.Time", "sql.NullTime", "*time.Time", "DATETIME"},
	dbrt.FamilyJSON:     {"dbrt.JSON", "dbrt.JSON", "dbrt.JSON", "JSON"},
	dbrt.FamilyUntyped:  {"any", "any", "any", "ANY"},
}

// jsonGoType is runtime.JSON as sqlc's overrides name it.
const jsonGoType = RuntimeImport + ".JSON"

// column returns the Go type of column c of table.
func (m *typeMapper) column(table string, t *dbrt.Table, c *dbrt.Column) goType {
	for _, o := range m.overrides {
		if o.Column == "" {
			continue
		}
		tbl, col, _ := strings.Cut(o.Column, ".")
		if strings.EqualFold(tbl, table) && strings.EqualFold(col, c.Name) {
			return m.overridden(o)
		}
	}
	for _, o := range m.overrides {
		if o.DBType != "" && o.Nullable == c.Nullable && strings.EqualFold(strings.TrimSpace(o.DBType), strings.TrimSpace(c.SQLType)) {
			return m.overridden(o)
		}
	}
	f := c.Family()
	if t.Virtual && c.SQLType == "" {
		f = dbrt.FamilyText // an FTS5 column: text, or NULL
	}
	b := base[f]
	g := goType{Expr: b.notNull, Value: b.notNull, Sqlc: b.sqlc}
	if c.Nullable {
		g.Expr = b.null
		if m.pointers {
			g.Expr = b.ptr
		}
	}
	if f == dbrt.FamilyJSON {
		g.Override = jsonGoType
	}
	return g
}

func (m *typeMapper) overridden(o override) goType {
	expr := o.typ.Expr()
	return goType{Expr: expr, Value: strings.TrimPrefix(expr, "*"), Override: o.GoType}
}
