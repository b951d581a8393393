package load

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ncruces/go-sqlite3"

	"github.com/dbgen-dev/dbgen/generator/sqltext"
	"github.com/dbgen-dev/dbgen/internal/sqliteconn"
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

// inspectViews describes views, whose origins lie in tables.
func inspectViews(ctx context.Context, conn *sql.Conn, views []Object, tables []dbrt.Table) ([]dbrt.Table, error) {
	sqls, err := schemaSQL(ctx, conn)
	if err != nil {
		return nil, err
	}
	var out []dbrt.Table
	for _, o := range views {
		v, err := inspectView(ctx, conn, o.Name, sqls, tables)
		if err != nil {
			return nil, fmt.Errorf("inspect %s: %w", o.Name, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// Inspect describes the given objects of conn's main schema from SQLite's
// own pragmas: each table costs a few queries of its own, whatever the
// number of tables. (Atlas's SQLite inspection, which the migrate stage
// uses, joins every table's index list with all of sqlite_schema, which
// made a generate of 1000 tables take 20 seconds.) The load stage and
// introspect (dbgen serve over any file) both describe a database this way.
func Inspect(ctx context.Context, conn *sql.Conn, objects []Object) ([]dbrt.Table, error) {
	sqls, err := schemaSQL(ctx, conn)
	if err != nil {
		return nil, fmt.Errorf("inspect: %w", err)
	}
	// Tables first, so that every view finds the columns it comes from.
	tables := make([]dbrt.Table, len(objects))
	var described []dbrt.Table
	for i, o := range objects {
		if o.Kind == ViewObject {
			continue
		}
		t, err := inspectTable(ctx, conn, o.Name, o.Kind == VirtualObject, sqls)
		if err != nil {
			return nil, fmt.Errorf("inspect %s: %w", o.Name, err)
		}
		tables[i] = t
		described = append(described, t)
	}
	for i, o := range objects {
		if o.Kind != ViewObject {
			continue
		}
		v, err := inspectView(ctx, conn, o.Name, sqls, described)
		if err != nil {
			return nil, fmt.Errorf("inspect %s: %w", o.Name, err)
		}
		tables[i] = v
	}
	return tables, nil
}

// schemaSQL reads the SQL of every object, by type and name, in one query:
// looking each one up in sqlite_schema would scan it each time.
func schemaSQL(ctx context.Context, conn *sql.Conn) (map[string]string, error) {
	rows, err := conn.QueryContext(ctx, "SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var typ, name, text string
		if err := rows.Scan(&typ, &name, &text); err != nil {
			return nil, err
		}
		out[typ+":"+name] = text
	}
	return out, rows.Err()
}

// inspectTable describes one table: columns, keys and rowid aliasing,
// UNIQUE sets, explicit indexes and foreign keys.
func inspectTable(ctx context.Context, conn *sql.Conn, name string, virtual bool, sqls map[string]string) (dbrt.Table, error) {
	out := dbrt.Table{Name: name, Virtual: virtual}
	var wr, strict bool
	err := conn.QueryRowContext(ctx, `SELECT wr, strict FROM pragma_table_list(?) WHERE schema = 'main'`, name).Scan(&wr, &strict)
	if err != nil {
		return out, err
	}
	out.WithoutRowID, out.Strict = wr, strict
	autoincrement := false
	if toks, err := sqltext.Tokenize(sqls["table:"+name]); err == nil {
		for _, t := range toks {
			if t.Is("AUTOINCREMENT") {
				autoincrement = true
			}
		}
	}

	rows, err := conn.QueryContext(ctx, "SELECT name, type, `notnull`, dflt_value, pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid", name)
	if err != nil {
		return out, err
	}
	type keyPart struct {
		pos  int
		name string
	}
	var pk []keyPart
	for rows.Next() {
		var c dbrt.Column
		var notNull bool
		var def sql.NullString
		var pos, hidden int
		if err := rows.Scan(&c.Name, &c.SQLType, &notNull, &def, &pos, &hidden); err != nil {
			rows.Close()
			return out, err
		}
		if virtual && hidden == 1 {
			continue // a virtual table's hidden columns (FTS5's rank and its table name)
		}
		c.Nullable = !notNull
		c.Default = def.String
		c.Generated = hidden == 2 || hidden == 3
		if pos > 0 {
			c.PrimaryKey = true
			pk = append(pk, keyPart{pos, c.Name})
		}
		out.Columns = append(out.Columns, c)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return out, err
	}
	slices.SortFunc(pk, func(a, b keyPart) int { return a.pos - b.pos })
	for _, p := range pk {
		out.PrimaryKey = append(out.PrimaryKey, p.name)
	}
	for i := range out.Columns {
		c := &out.Columns[i]
		if !c.PrimaryKey {
			continue
		}
		// INTEGER PRIMARY KEY (exactly that type, in a rowid table) is an
		// alias of the rowid: SQLite assigns it, so it is never a required
		// input, and never NULL.
		if len(pk) == 1 && !out.WithoutRowID && strings.EqualFold(c.SQLType, "INTEGER") {
			c.RowID, c.Nullable, c.AutoIncr = true, false, autoincrement
		}
		// A WITHOUT ROWID key is NOT NULL; a rowid table's other key columns
		// may hold NULL (a historical quirk of SQLite) unless declared so.
		if out.WithoutRowID {
			c.Nullable = false
		}
	}

	if err := inspectIndexes(ctx, conn, &out, sqls); err != nil {
		return out, err
	}
	if err := inspectForeignKeys(ctx, conn, &out); err != nil {
		return out, err
	}
	if len(out.PrimaryKey) == 0 && !virtual {
		out.PrimaryKey = []string{out.RowIDName()}
	}
	return out, nil
}

// inspectIndexes adds t's UNIQUE sets (constraints and full unique indexes
// on columns) and its explicit indexes.
func inspectIndexes(ctx context.Context, conn *sql.Conn, t *dbrt.Table, sqls map[string]string) error {
	rows, err := conn.QueryContext(ctx, "SELECT name, `unique`, origin, partial FROM pragma_index_list(?) ORDER BY name", t.Name)
	if err != nil {
		return err
	}
	type index struct {
		name, origin, sql string
		unique, partial   bool
	}
	var list []index
	for rows.Next() {
		var ix index
		if err := rows.Scan(&ix.name, &ix.unique, &ix.origin, &ix.partial); err != nil {
			rows.Close()
			return err
		}
		ix.sql = sqls["index:"+ix.name]
		list = append(list, ix)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	for _, ix := range list {
		cols, err := indexColumns(ctx, conn, ix.name, ix.sql)
		if err != nil {
			return err
		}
		expr := slices.ContainsFunc(cols, func(c indexColumn) bool { return c.expr })
		var names []string
		for _, c := range cols {
			names = append(names, c.text)
		}
		if ix.unique && ix.origin != "pk" && !ix.partial && !expr {
			t.Unique = append(t.Unique, names)
		}
		if ix.origin == "c" {
			t.Indexes = append(t.Indexes, dbrt.Index{Name: ix.name, Unique: ix.unique, Columns: names, Where: indexWhere(ix.sql)})
		}
	}
	return nil
}

type indexColumn struct {
	text string // the column name, or the expression's SQL text
	expr bool
}

// indexColumns lists an index's key columns in order; an expression (cid
// -2) is given as its text in the CREATE INDEX statement.
func indexColumns(ctx context.Context, conn *sql.Conn, index, create string) ([]indexColumn, error) {
	rows, err := conn.QueryContext(ctx, "SELECT cid, name FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno", index)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []indexColumn
	var exprs []string
	for i := 0; rows.Next(); i++ {
		var cid int
		var name sql.NullString
		if err := rows.Scan(&cid, &name); err != nil {
			return nil, err
		}
		if cid != -2 {
			out = append(out, indexColumn{text: name.String})
			continue
		}
		if exprs == nil {
			exprs = indexTerms(create)
		}
		text := ""
		if i < len(exprs) {
			text = exprs[i]
		}
		out = append(out, indexColumn{text: text, expr: true})
	}
	return out, rows.Err()
}

// indexTerms are the terms of a CREATE INDEX statement's column list, as
// written, without ASC, DESC or COLLATE.
func indexTerms(create string) []string {
	toks, err := sqltext.Tokenize(create)
	if err != nil {
		return nil
	}
	var terms []string
	depth, start := 0, -1
	end := func(at int) {
		if start < 0 {
			return
		}
		last := at
		for j := at - 1; j > start; j-- {
			if toks[j].Is("ASC") || toks[j].Is("DESC") {
				last = j
				continue
			}
			break
		}
		for j := start; j < last; j++ {
			if toks[j].Is("COLLATE") && depth == 1 {
				last = j
				break
			}
		}
		terms = append(terms, strings.TrimSpace(create[toks[start].Offset:toks[last-1].Offset+len(toks[last-1].Text)]))
		start = -1
	}
	for i, t := range toks {
		switch {
		case t.Text == "(":
			depth++
			if depth == 1 {
				start = i + 1
				continue
			}
		case t.Text == ")":
			if depth == 1 {
				end(i)
				return terms
			}
			depth--
		case t.Text == "," && depth == 1:
			end(i)
			start = i + 1
		}
	}
	return terms
}

// indexWhere is the predicate of a partial index, as written.
func indexWhere(create string) string {
	toks, err := sqltext.Tokenize(create)
	if err != nil {
		return ""
	}
	depth := 0
	for _, t := range toks {
		switch {
		case t.Text == "(":
			depth++
		case t.Text == ")":
			depth--
		case depth == 0 && t.Is("WHERE"):
			return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(create[t.Offset+len(t.Text):]), ";"))
		}
	}
	return ""
}

// inspectForeignKeys adds t's FOREIGN KEY constraints, in declaration order.
func inspectForeignKeys(ctx context.Context, conn *sql.Conn, t *dbrt.Table) error {
	rows, err := conn.QueryContext(ctx, "SELECT id, `from`, `to`, `table`, on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq", t.Name)
	if err != nil {
		return err
	}
	defer rows.Close()
	byID := map[int]*dbrt.ForeignKey{}
	var order []int
	for rows.Next() {
		var id int
		var from, table, onUpdate, onDelete string
		var to sql.NullString
		if err := rows.Scan(&id, &from, &to, &table, &onUpdate, &onDelete); err != nil {
			return err
		}
		fk := byID[id]
		if fk == nil {
			fk = &dbrt.ForeignKey{RefTable: table, OnUpdate: action(onUpdate), OnDelete: action(onDelete)}
			byID[id] = fk
			order = append(order, id)
		}
		fk.Columns = append(fk.Columns, from)
		fk.RefColumns = append(fk.RefColumns, to.String)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	// SQLite numbers foreign keys from the last declared one.
	slices.Sort(order)
	for i := len(order) - 1; i >= 0; i-- {
		t.ForeignKeys = append(t.ForeignKeys, *byID[order[i]])
	}
	return nil
}

func action(a string) string {
	if strings.EqualFold(a, "NO ACTION") {
		return ""
	}
	return strings.ToUpper(a)
}

// inspectView reads a view's columns. SQLite reports the declared type of
// the column each comes from (none for an expression) and which table
// column that is: a view column is NOT NULL when that column is and the
// view has no outer join or compound select that could bring a NULL in.
//
// Since SQLite 3.41, pragma_table_xinfo names a view column that has no
// declared type after its affinity, and the affinity of a column declared
// without a type is BLOB: a view of such a column reads "BLOB" although it
// holds any storage class. A "BLOB" is kept only where the declared type
// of the column it comes from (sqlite3_column_decltype) is BLOB; otherwise
// the view column has no declared type, and its values pass as stored.
func inspectView(ctx context.Context, conn *sql.Conn, name string, sqls map[string]string, tables []dbrt.Table) (dbrt.Table, error) {
	v := dbrt.Table{Name: name, View: true}
	rows, err := conn.QueryContext(ctx, "SELECT name, type FROM pragma_table_xinfo(?) ORDER BY cid", name)
	if err != nil {
		return v, err
	}
	for rows.Next() {
		var c dbrt.Column
		if err := rows.Scan(&c.Name, &c.SQLType); err != nil {
			rows.Close()
			return v, err
		}
		c.Nullable = true
		v.Columns = append(v.Columns, c)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return v, err
	}
	origins, err := columnOrigins(conn, name)
	if err != nil || len(origins) != len(v.Columns) {
		origins = nil // no origins: every column stays nullable
	}
	for i := range v.Columns {
		c := &v.Columns[i]
		if strings.EqualFold(c.SQLType, "BLOB") && (origins == nil || !strings.EqualFold(origins[i].declType, "BLOB")) {
			c.SQLType = ""
		}
	}
	if origins == nil {
		return v, nil
	}
	toks, err := sqltext.Tokenize(sqls["view:"+name])
	if err != nil {
		return v, nil
	}
	for _, t := range toks {
		for _, w := range []string{"LEFT", "RIGHT", "FULL", "OUTER", "UNION", "EXCEPT", "INTERSECT"} {
			if t.Is(w) {
				return v, nil
			}
		}
	}
	for i, o := range origins {
		for j := range tables {
			if !strings.EqualFold(tables[j].Name, o.table) {
				continue
			}
			if c := tables[j].Column(o.column); c != nil && !c.Nullable {
				v.Columns[i].Nullable = false
			}
		}
	}
	return v, nil
}

// columnOrigin is where a column of a view comes from, as SQLite's column
// metadata gives it: the table and column ("" for an expression), and the
// type that column was declared with ("" for none, or an expression).
type columnOrigin struct {
	table, column, declType string
}

// columnOrigins are the origins of each column of a view.
func columnOrigins(conn *sql.Conn, view string) ([]columnOrigin, error) {
	var out []columnOrigin
	err := sqliteconn.Raw(conn, func(raw *sqlite3.Conn) error {
		stmt, _, err := raw.Prepare("SELECT * FROM " + quote(view))
		if err != nil {
			return err
		}
		defer stmt.Close()
		for i := range stmt.ColumnCount() {
			out = append(out, columnOrigin{stmt.ColumnTableName(i), stmt.ColumnOriginName(i), stmt.ColumnDeclType(i)})
		}
		return nil
	})
	return out, err
}
