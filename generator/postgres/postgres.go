// Package postgres derives a database's PostgreSQL schema from what the load
// stage read of its SQLite schema, for dbgen's postgres target. The SQLite
// schema files stay the one source: types, keys, UNIQUE, CHECK, DEFAULT,
// foreign keys and their actions, partial and expression indexes, generated
// columns, COLLATE NOCASE and views are carried over. What only SQLite
// understands (its own functions in an expression, triggers, virtual
// tables) is an error at its file and line.
//
// Each database of an application is a schema (a namespace) of one
// PostgreSQL database: the statements here are unqualified, for a
// connection whose search_path is that schema.
package postgres

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/dbgen-dev/dbgen/generator/diag"
	"github.com/dbgen-dev/dbgen/generator/discover"
	"github.com/dbgen-dev/dbgen/generator/load"
	"github.com/dbgen-dev/dbgen/generator/sqltext"
	dbrt "github.com/dbgen-dev/dbgen/runtime"
)

// Schema is a database on PostgreSQL.
type Schema struct {
	Name       string // the PostgreSQL schema: the database's name
	Statements []Statement
}

// Statement is one statement of the derived schema.
type Statement struct {
	Kind   string // "extension", "table", "foreign key", "index" or "view"
	Name   string
	SQL    string
	Source *load.Statement // the SQLite statement it comes from; nil for an extension or an override
	// Override is the statement of an override file it is, nil for a
	// derived one.
	Override *Override
}

// DDL is the schema as one script.
func (s *Schema) DDL() string {
	var b strings.Builder
	for _, st := range s.Statements {
		b.WriteString(st.SQL)
		b.WriteString(";\n\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// deriver carries one database's derivation.
type deriver struct {
	db        *load.Database
	overrides map[string]*Override // by kind and lower-case name
	out       *Schema
	diags     diag.List
	citext    bool
	created   map[string]bool // lower-case names of the tables written so far
}

// Derive derives the PostgreSQL schema of db, with the statements of its
// override files in place of what they give, or reports at their file and
// line what cannot be carried over.
func Derive(db *load.Database, overrides []Override) (*Schema, diag.List) {
	d := &deriver{db: db, out: &Schema{Name: db.Name}, created: map[string]bool{},
		overrides: map[string]*Override{}}
	for i := range overrides {
		o := &overrides[i]
		if o.Kind != "" && o.Name != "" {
			d.overrides[o.Kind+":"+strings.ToLower(o.Name)] = o
		}
	}
	var tables, views []*dbrt.Table
	for i := range db.Tables {
		t := &db.Tables[i]
		switch {
		case d.override("table", t.Name) || d.override("view", t.Name):
		case t.View:
			views = append(views, t)
		case t.Virtual:
			d.at(t.Name, "virtual table %s: PostgreSQL has no virtual tables (%s is SQLite's); %s", t.Name,
				virtualModule(db.Statement(t.Name)), d.hint("table", t.Name))
		default:
			tables = append(tables, t)
		}
	}
	for _, st := range db.Statements {
		if st.Create.Kind == sqltext.Trigger && !d.override("trigger", st.Create.Name) {
			d.atStatement(st, "trigger %s: a PostgreSQL trigger runs a function in PL/pgSQL, which dbgen does not derive from SQLite's; %s",
				st.Create.Name, d.hint("trigger", st.Create.Name))
		}
	}
	var fks []Statement
	for _, t := range order(tables) {
		st, later := d.table(t)
		if st.SQL != "" {
			d.out.Statements = append(d.out.Statements, st)
		}
		fks = append(fks, later...)
	}
	d.out.Statements = append(d.out.Statements, fks...)
	for _, t := range tables {
		d.indexes(t)
	}
	for _, v := range views {
		d.view(v)
	}
	// What the override files give, in their order: objects in place of
	// the ones they replace, and every other statement.
	for i := range overrides {
		o := &overrides[i]
		d.out.Statements = append(d.out.Statements, Statement{Kind: o.Kind, Name: o.Name, SQL: o.SQL, Override: o})
	}
	// citext goes into public, which every database's connections have on
	// their search_path after their own schema: created in the first
	// database's schema, the other databases would not see it.
	if d.citext {
		d.out.Statements = append([]Statement{{Kind: "extension", Name: "citext", SQL: "CREATE EXTENSION IF NOT EXISTS citext SCHEMA public"}}, d.out.Statements...)
	}
	if len(d.diags) > 0 {
		return nil, d.diags
	}
	return d.out, nil
}

func virtualModule(st *load.Statement) string {
	for i, t := range st.Tokens {
		if t.Is("USING") && i+1 < len(st.Tokens) {
			return st.Tokens[i+1].Text
		}
	}
	return "a module"
}

// override reports whether an override file gives object of kind.
func (d *deriver) override(kind, name string) bool {
	return d.overrides[kind+":"+strings.ToLower(name)] != nil
}

// hint says how to give the PostgreSQL text of an object: in the override
// file of the schema file that declares it.
func (d *deriver) hint(kind, name string) string {
	file := "the override file next to its schema file (schema.postgres.sql for schema.sql)"
	if st := d.db.Statement(name); st != nil {
		file = discover.PostgresPath(st.File.Path)
	}
	what := fmt.Sprintf("%s %s", kind, name)
	if kind == "trigger" {
		what += " (a CREATE FUNCTION ... RETURNS trigger and the CREATE TRIGGER that runs it)"
	}
	return fmt.Sprintf("give the PostgreSQL text of %s in %s", what, file)
}

// at reports a problem at the statement that creates object.
func (d *deriver) at(object, format string, args ...any) {
	d.atStatement(d.db.Statement(object), format, args...)
}

func (d *deriver) atStatement(st *load.Statement, format string, args ...any) {
	if st == nil {
		d.diags = append(d.diags, diag.Errorf("", 0, format, args...))
		return
	}
	d.diags = append(d.diags, diag.Errorf(st.File.Path, st.Line, format, args...))
}

// atOffset reports a problem at a byte offset of the statement's file.
func (d *deriver) atOffset(st *load.Statement, offset int, format string, args ...any) {
	line, col := diag.Position(st.File.Data, offset)
	d.diags = append(d.diags, diag.Diagnostic{Path: st.File.Path, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
}

// table writes CREATE TABLE, and the foreign keys that must wait for a
// table created after it.
func (d *deriver) table(t *dbrt.Table) (Statement, []Statement) {
	st := d.db.Statement(t.Name)
	body := sqltext.ParseTable(st.Statement)
	defs := map[string]sqltext.ColumnDef{}
	if body != nil {
		for _, c := range body.Columns {
			defs[strings.ToLower(c.Name)] = c
		}
	}
	var lines []string
	if t.RowIDKeyed() {
		// PostgreSQL has no rowid: the table gets one, as its key.
		lines = append(lines, quote(t.PrimaryKey[0])+" bigint GENERATED BY DEFAULT AS IDENTITY")
	}
	for i := range t.Columns {
		c := &t.Columns[i]
		def := defs[strings.ToLower(c.Name)]
		line, ok := d.column(t, c, def, st)
		if ok {
			lines = append(lines, line)
		}
	}
	lines = append(lines, "PRIMARY KEY ("+quoteList(t.Key())+")")
	for _, u := range t.Unique {
		if !sameSet(u, t.Key()) && !d.uniqueIndex(t, u) {
			lines = append(lines, "UNIQUE ("+quoteList(u)+")")
		}
	}
	if body != nil {
		for _, c := range body.Checks {
			if e, ok := d.expr(st, t, c); ok {
				lines = append(lines, "CHECK ("+e+")")
			}
		}
	}
	var later []Statement
	for _, fk := range t.ForeignKeys {
		ref := d.db.Table(fk.RefTable)
		refCols := fk.RefColumns
		if ref != nil && (len(refCols) == 0 || refCols[0] == "") {
			refCols = ref.Key()
		}
		name := fk.RefTable
		if ref != nil {
			name = ref.Name
		}
		clause := "FOREIGN KEY (" + quoteList(fk.Columns) + ") REFERENCES " + quote(name) + " (" + quoteList(refCols) + ")"
		if fk.OnUpdate != "" {
			clause += " ON UPDATE " + fk.OnUpdate
		}
		if fk.OnDelete != "" {
			clause += " ON DELETE " + fk.OnDelete
		}
		if strings.EqualFold(name, t.Name) || d.created[strings.ToLower(name)] {
			lines = append(lines, clause)
			continue
		}
		// A cycle of foreign keys: this one waits until both tables exist.
		later = append(later, Statement{Kind: "foreign key", Name: t.Name,
			SQL: "ALTER TABLE " + quote(t.Name) + " ADD " + clause, Source: st})
	}
	d.created[strings.ToLower(t.Name)] = true
	sql := "CREATE TABLE " + quote(t.Name) + " (\n    " + strings.Join(lines, ",\n    ") + "\n)"
	return Statement{Kind: "table", Name: t.Name, SQL: sql, Source: st}, later
}

// uniqueIndex reports whether a UNIQUE set is an explicit unique index,
// which indexes writes as such.
func (d *deriver) uniqueIndex(t *dbrt.Table, set []string) bool {
	return slices.ContainsFunc(t.Indexes, func(ix dbrt.Index) bool {
		return ix.Unique && ix.Where == "" && slices.Equal(ix.Columns, set)
	})
}

// column writes one column definition.
func (d *deriver) column(t *dbrt.Table, c *dbrt.Column, def sqltext.ColumnDef, st *load.Statement) (string, bool) {
	typ, ok := d.columnType(t, c, def, st)
	if !ok {
		return "", false
	}
	line := quote(c.Name) + " " + typ
	if def.Generated != nil {
		e, ok := d.expr(st, t, *def.Generated)
		if !ok {
			return "", false
		}
		// PostgreSQL 15 has stored generated columns only; a VIRTUAL one
		// becomes STORED, which reads the same.
		return line + " GENERATED ALWAYS AS (" + e + ") STORED", true
	}
	if !c.Nullable && !c.RowID {
		line += " NOT NULL"
	}
	if c.Default != "" && !c.RowID {
		dflt, ok := d.defaultValue(t, c, st)
		if !ok {
			return "", false
		}
		if dflt != "" {
			line += " DEFAULT " + dflt
		}
	}
	for _, chk := range def.Checks {
		if e, ok := d.expr(st, t, chk); ok {
			line += " CHECK (" + e + ")"
		}
	}
	return line, true
}

// columnType is the PostgreSQL type of a column, by its family.
func (d *deriver) columnType(t *dbrt.Table, c *dbrt.Column, def sqltext.ColumnDef, st *load.Statement) (string, bool) {
	if c.RowID {
		return "bigint GENERATED BY DEFAULT AS IDENTITY", true
	}
	switch c.Family() {
	case dbrt.FamilyInteger:
		return "bigint", true
	case dbrt.FamilyReal:
		return "double precision", true
	case dbrt.FamilyNumeric:
		// SQLite keeps every digit whatever the declared precision; numeric
		// without one does too.
		return "numeric", true
	case dbrt.FamilyText:
		if strings.EqualFold(def.Collate, "NOCASE") {
			d.citext = true
			return "citext", true
		}
		return "text", true
	case dbrt.FamilyBlob:
		return "bytea", true
	case dbrt.FamilyBool:
		return "boolean", true
	case dbrt.FamilyDate:
		return "date", true
	case dbrt.FamilyDateTime:
		return "timestamptz", true
	case dbrt.FamilyJSON:
		return "jsonb", true
	}
	declared := c.SQLType
	if declared == "" {
		declared = "none"
	}
	d.atColumn(st, c.Name, "column %s of %s has no type PostgreSQL can take (declared: %s); declare INTEGER, REAL, NUMERIC, TEXT, BLOB, BOOLEAN, DATE, DATETIME or JSON", c.Name, t.Name, declared)
	return "", false
}

// atColumn reports a problem at a column's name in its statement.
func (d *deriver) atColumn(st *load.Statement, column, format string, args ...any) {
	if tok, ok := sqltext.FindWord(st.Tokens, column, st.Offset); ok {
		d.atOffset(st, tok.Offset, format, args...)
		return
	}
	d.atStatement(st, format, args...)
}

// defaultValue is a column's DEFAULT on PostgreSQL; "" when none is needed.
func (d *deriver) defaultValue(t *dbrt.Table, c *dbrt.Column, st *load.Statement) (string, bool) {
	v := strings.TrimSpace(c.Default)
	toks, err := sqltext.Tokenize(v)
	if err != nil || len(toks) == 0 {
		return "", true
	}
	f := c.Family()
	_, numErr := strconv.ParseFloat(v, 64)
	switch {
	case v == "NULL" || strings.EqualFold(v, "null"):
		return "", true
	case numErr == nil:
		if f == dbrt.FamilyBool {
			switch v {
			case "0":
				return "false", true
			case "1":
				return "true", true
			}
		}
		return v, true
	case len(toks) == 1 && (toks[0].Is("TRUE") || toks[0].Is("FALSE")):
		return strings.ToLower(v), true
	case len(toks) == 1 && toks[0].Kind == sqltext.String:
		switch f {
		case dbrt.FamilyJSON:
			return v + "::jsonb", true
		case dbrt.FamilyBool:
			return v + "::boolean", true
		}
		return v, true
	case isBlobLiteral(v):
		return blobLiteral(v), true
	case len(toks) == 1 && (toks[0].Is("CURRENT_TIMESTAMP") || toks[0].Is("CURRENT_DATE") || toks[0].Is("CURRENT_TIME")):
		if f == dbrt.FamilyText {
			// SQLite writes these as text: keep its form in a text column.
			layout := map[string]string{"CURRENT_TIMESTAMP": "YYYY-MM-DD HH24:MI:SS", "CURRENT_DATE": "YYYY-MM-DD", "CURRENT_TIME": "HH24:MI:SS"}[strings.ToUpper(v)]
			return "to_char(now() AT TIME ZONE 'UTC', '" + layout + "')", true
		}
		return strings.ToUpper(v), true
	}
	// An expression: it must be one PostgreSQL also has.
	e, ok := d.expr(st, t, sqltext.Expr{Text: v, Tokens: toks})
	if !ok {
		return "", false
	}
	return "(" + e + ")", true
}

// isBlobLiteral reports whether s is SQLite's x'hex' literal.
func isBlobLiteral(s string) bool {
	return len(s) >= 3 && (s[0] == 'x' || s[0] == 'X') && s[1] == '\'' && s[len(s)-1] == '\''
}

// blobLiteral is x'hex' as PostgreSQL writes it.
func blobLiteral(s string) string { return "'\\x" + s[2:len(s)-1] + "'::bytea" }

// indexes writes the explicit indexes of t.
func (d *deriver) indexes(t *dbrt.Table) {
	for _, ix := range t.Indexes {
		st := d.db.Statement(ix.Name)
		if st == nil || d.override("index", ix.Name) {
			continue
		}
		var cols []string
		ok := true
		for _, c := range ix.Columns {
			if t.Column(c) != nil {
				cols = append(cols, quote(c))
				continue
			}
			toks, err := sqltext.Tokenize(c)
			if err != nil {
				ok = false
				continue
			}
			e, good := d.expr(st, t, sqltext.Expr{Text: c, Tokens: toks, Offset: -1})
			ok = ok && good
			cols = append(cols, "("+e+")")
		}
		sql := "CREATE "
		if ix.Unique {
			sql += "UNIQUE "
		}
		sql += "INDEX " + quote(ix.Name) + " ON " + quote(t.Name) + " (" + strings.Join(cols, ", ") + ")"
		if ix.Where != "" {
			toks, err := sqltext.Tokenize(ix.Where)
			if err == nil {
				e, good := d.expr(st, t, sqltext.Expr{Text: ix.Where, Tokens: toks, Offset: -1})
				ok = ok && good
				sql += " WHERE " + e
			}
		}
		if ok {
			d.out.Statements = append(d.out.Statements, Statement{Kind: "index", Name: ix.Name, SQL: sql, Source: st})
		}
	}
}

// view writes CREATE VIEW with the view's query, translated.
func (d *deriver) view(v *dbrt.Table) {
	st := d.db.Statement(v.Name)
	toks := st.Tokens
	start := -1
	for i, t := range toks {
		if t.Is("AS") {
			start = i + 1
			break
		}
	}
	if start < 0 || start >= len(toks) {
		d.atStatement(st, "view %s: cannot find its query", v.Name)
		return
	}
	first := toks[start]
	body := st.Text[first.Offset-st.Offset:]
	e, ok := d.expr(st, nil, sqltext.Expr{Text: body, Tokens: toks[start:], Offset: first.Offset})
	if !ok {
		return
	}
	d.out.Statements = append(d.out.Statements, Statement{Kind: "view", Name: v.Name,
		SQL: "CREATE VIEW " + quote(v.Name) + " AS\n" + e, Source: st})
}

// order puts tables after the tables their foreign keys reference, where it
// can (a cycle keeps the order it has).
func order(tables []*dbrt.Table) []*dbrt.Table {
	byName := map[string]*dbrt.Table{}
	for _, t := range tables {
		byName[strings.ToLower(t.Name)] = t
	}
	var out []*dbrt.Table
	state := map[*dbrt.Table]int{} // 1 visiting, 2 done
	var visit func(t *dbrt.Table)
	visit = func(t *dbrt.Table) {
		if state[t] != 0 {
			return
		}
		state[t] = 1
		for _, fk := range t.ForeignKeys {
			if ref := byName[strings.ToLower(fk.RefTable)]; ref != nil && ref != t {
				visit(ref)
			}
		}
		state[t] = 2
		out = append(out, t)
	}
	for _, t := range tables {
		visit(t)
	}
	return out
}

func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quote(n)
	}
	return strings.Join(q, ", ")
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.ContainsFunc(b, func(y string) bool { return strings.EqualFold(x, y) }) {
			return false
		}
	}
	return true
}
