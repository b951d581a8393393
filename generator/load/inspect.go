package load

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"

	"github.com/dbgen-dev/dbgen/generator/sqltext"
	dbrt "github.com/dbgen-dev/dbgen/runtime"
)

// Object is a table, virtual table or view to describe.
type Object struct {
	Name string
	Kind ObjectKind
}

// ObjectKind tells Inspect how to describe an object.
type ObjectKind int

const (
	TableObject ObjectKind = iota
	VirtualObject
	ViewObject
)

// inspect turns the loaded database into table metadata, in statement order.
func inspect(ctx context.Context, conn *sql.Conn, stmts []*Statement) ([]dbrt.Table, error) {
	var objects []Object
	for _, st := range stmts {
		switch st.Create.Kind {
		case sqltext.Table:
			objects = append(objects, Object{st.Create.Name, TableObject})
		case sqltext.VirtualTable:
			objects = append(objects, Object{st.Create.Name, VirtualObject})
		case sqltext.View:
			objects = append(objects, Object{st.Create.Name, ViewObject})
		}
	}
	return Inspect(ctx, conn, objects)
}

// Inspect describes the given objects of conn's main schema: Atlas inspects
// the tables; views, which Atlas's SQLite driver does not inspect, come from
// SQLite's own pragmas. The load stage and introspect (dbgen serve over any
// file) both describe a database this way.
func Inspect(ctx context.Context, conn *sql.Conn, objects []Object) ([]dbrt.Table, error) {
	drv, err := sqlite.Open(conn)
	if err != nil {
		return nil, err
	}
	s, err := drv.InspectSchema(ctx, "main", &schema.InspectOptions{Mode: schema.InspectTables})
	if err != nil {
		return nil, fmt.Errorf("inspect: %w", err)
	}
	tables := make([]dbrt.Table, 0, len(objects))
	for _, o := range objects {
		if o.Kind == ViewObject {
			v, err := inspectView(ctx, conn, o.Name)
			if err != nil {
				return nil, err
			}
			tables = append(tables, v)
			continue
		}
		t, ok := s.Table(o.Name)
		if !ok {
			return nil, fmt.Errorf("table %s is in the schema but Atlas did not inspect it", o.Name)
		}
		tables = append(tables, fromAtlas(t, o.Kind == VirtualObject))
	}
	// Atlas lists indexes in no fixed order; sort for stable output.
	for i := range tables {
		slices.SortFunc(tables[i].Indexes, func(a, b dbrt.Index) int { return strings.Compare(a.Name, b.Name) })
	}
	return tables, nil
}

// fromAtlas converts a table as Atlas inspected it into the runtime's
// metadata: keys, rowid aliasing, unique sets, indexes and foreign keys.
// virtual says whether it is a virtual table, which Atlas does not record.
// generator/introspect shares it, so generated packages and dbgen serve
// describe a table the same way.
func fromAtlas(t *schema.Table, virtual bool) dbrt.Table {
	out := dbrt.Table{Name: t.Name, Virtual: virtual}
	for _, a := range t.Attrs {
		switch a.(type) {
		case *sqlite.WithoutRowID:
			out.WithoutRowID = true
		case *sqlite.Strict:
			out.Strict = true
		}
	}
	pk := map[string]bool{}
	if t.PrimaryKey != nil {
		for _, p := range t.PrimaryKey.Parts {
			if p.C != nil {
				out.PrimaryKey = append(out.PrimaryKey, p.C.Name)
				pk[p.C.Name] = true
			}
		}
	}
	for _, c := range t.Columns {
		col := dbrt.Column{
			Name:       c.Name,
			SQLType:    c.Type.Raw,
			Nullable:   c.Type.Null && !pk[c.Name],
			PrimaryKey: pk[c.Name],
			Default:    defaultSQL(c.Default),
		}
		for _, a := range c.Attrs {
			switch a.(type) {
			case *sqlite.AutoIncrement:
				col.AutoIncr = true
			case *schema.GeneratedExpr:
				col.Generated = true
			}
		}
		// INTEGER PRIMARY KEY (exactly that type, in a rowid table) is an alias
		// of the rowid: SQLite assigns it, so it is never a required input.
		if len(out.PrimaryKey) == 1 && pk[c.Name] && !out.WithoutRowID && strings.EqualFold(c.Type.Raw, "INTEGER") {
			col.RowID = true
		}
		// A rowid-table key column that is not the rowid may still hold NULL
		// in SQLite (a historical quirk), unless declared NOT NULL.
		if pk[c.Name] && !col.RowID && !out.WithoutRowID && c.Type.Null {
			col.Nullable = true
		}
		out.Columns = append(out.Columns, col)
	}
	for _, idx := range t.Indexes {
		origin, where := "c", ""
		for _, a := range idx.Attrs {
			switch a := a.(type) {
			case *sqlite.IndexOrigin:
				origin = a.O
			case *sqlite.IndexPredicate:
				where = a.P
			}
		}
		var cols []string
		expr := false
		for _, p := range idx.Parts {
			switch {
			case p.C != nil:
				cols = append(cols, p.C.Name)
			case p.X != nil:
				expr = true
				if x, ok := p.X.(*schema.RawExpr); ok {
					cols = append(cols, x.X)
				}
			}
		}
		if idx.Unique && origin != "pk" && where == "" && !expr {
			out.Unique = append(out.Unique, cols)
		}
		if origin == "c" {
			out.Indexes = append(out.Indexes, dbrt.Index{Name: idx.Name, Unique: idx.Unique, Columns: cols, Where: where})
		}
	}
	for _, fk := range t.ForeignKeys {
		f := dbrt.ForeignKey{
			RefTable: fk.RefTable.Name,
			OnUpdate: action(fk.OnUpdate),
			OnDelete: action(fk.OnDelete),
		}
		for _, c := range fk.Columns {
			f.Columns = append(f.Columns, c.Name)
		}
		for _, c := range fk.RefColumns {
			f.RefColumns = append(f.RefColumns, c.Name)
		}
		out.ForeignKeys = append(out.ForeignKeys, f)
	}
	if len(out.PrimaryKey) == 0 && !virtual {
		out.PrimaryKey = []string{"rowid"}
	}
	return out
}

func action(o schema.ReferenceOption) string {
	if o == schema.NoAction {
		return ""
	}
	return string(o)
}

func defaultSQL(x schema.Expr) string {
	switch x := x.(type) {
	case *schema.Literal:
		return x.V
	case *schema.RawExpr:
		return x.X
	}
	return ""
}

// inspectView reads a view's columns, which Atlas's SQLite driver does not
// inspect. SQLite reports the declared type of the underlying column, or
// none for an expression.
func inspectView(ctx context.Context, conn *sql.Conn, name string) (dbrt.Table, error) {
	rows, err := conn.QueryContext(ctx, "SELECT name, type FROM pragma_table_xinfo(?) ORDER BY cid", name)
	if err != nil {
		return dbrt.Table{}, fmt.Errorf("inspect view %s: %w", name, err)
	}
	defer rows.Close()
	v := dbrt.Table{Name: name, View: true}
	for rows.Next() {
		var c dbrt.Column
		if err := rows.Scan(&c.Name, &c.SQLType); err != nil {
			return v, err
		}
		c.Nullable = true // SQLite does not track nullability through views
		v.Columns = append(v.Columns, c)
	}
	return v, rows.Err()
}
