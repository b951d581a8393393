package codegen

import (
	"fmt"
	"go/token"
	"go/types"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dbgen-dev/dbgen/generator/diag"
	"github.com/dbgen-dev/dbgen/generator/load"
	"github.com/dbgen-dev/dbgen/generator/sqlcgen"
	"github.com/dbgen-dev/dbgen/generator/sqltext"
	dbrt "github.com/dbgen-dev/dbgen/runtime"
)

// reserved are the top-level names of a generated package that its fixed
// API and sqlc's take.
var reserved = []string{
	"DB", "Tx", "Open", "Wrap", "Name", "DDL", "Definition", "Migrations", "migrationFiles", "handle",
	"postgresDDL", "postgresMigrations",
	"DBTX", "New", "Queries",
}

// handleMethods are the methods of the generated DB and Tx that are not
// queries; no table or query method may take their names.
var handleMethods = []string{"Close", "Runtime", "WriteTx", "ReadTx"}

// builder makes the model of one database's package.
type builder struct {
	db      *load.Database
	n       namer
	types   *typeMapper
	queries []sqlcgen.Query // the module's own, read from its files
	own     map[string]bool // their names
	quoted  map[string]bool // names the schema writes quoted, whose case sqlc keeps
	names   names           // top-level identifiers
	methods map[string]string
	m       *dbModel
	diags   diag.List
	notes   diag.List // warnings: what works, but not as the user may think
}

// buildModel names everything the package declares and decides every Go
// type, from the load stage's metadata. What cannot become Go is reported at
// its line in the schema or queries file.
func buildModel(db *load.Database, n namer, tm *typeMapper, queries []sqlcgen.Query) (*dbModel, diag.List) {
	b := &builder{db: db, n: n, types: tm, queries: queries, own: map[string]bool{}, quoted: db.QuotedNames(),
		names: names{}, methods: map[string]string{},
		m: &dbModel{Package: db.Name, Name: db.Name, DDL: db.DDL(), Runtime: RuntimeImport, Imports: map[string][]string{}}}
	for _, r := range reserved {
		b.names[r] = true
	}
	for _, name := range handleMethods {
		b.methods[name] = "the package's own API"
	}
	// The names sqlc declares for each module query.
	for _, q := range queries {
		b.own[q.Name] = true
		b.names[q.Name+"Params"] = true
		b.names[q.Name+"Row"] = true
		b.names[lowerTitle(q.Name)] = true
	}
	for i := range db.Tables {
		b.table(i)
	}
	for _, q := range queries {
		if slices.Contains(handleMethods, q.Name) {
			b.diags = append(b.diags, diag.Errorf(q.Path, q.Line, "query name %s is taken by the generated package's own API; rename the query", q.Name))
		}
	}
	b.m.Notes = b.notes
	return b.m, b.diags
}

// sqlcName is a name as sqlc sees it, which its Go names are made from: a
// name the schema never quotes is folded to lower case (SQLite compares
// names without case, and sqlc lower-cases bare ones).
func (b *builder) sqlcName(name string) string {
	if b.quoted[name] {
		return name
	}
	return strings.ToLower(name)
}

// at reports a problem at the statement that creates table.
func (b *builder) at(table string, format string, args ...any) {
	st := b.db.Statement(table)
	b.diags = append(b.diags, diag.Errorf(st.File.Path, st.Line, format, args...))
}

// atColumn reports a problem at the column's name in its table's statement.
func (b *builder) atColumn(table, column string, format string, args ...any) {
	st := b.db.Statement(table)
	d := diag.Errorf(st.File.Path, st.Line, format, args...)
	if tok, ok := sqltext.FindWord(st.Tokens, column, st.Offset); ok {
		d.Line, d.Col = diag.Position(st.File.Data, tok.Offset)
	}
	b.diags = append(b.diags, d)
}

// method claims a method name of the handle for owner, and returns it; ""
// when a module query takes the name: the module's own query replaces the
// generated method, as a user coming from sqlc with GetAuthor, ListAuthors
// and CreateAuthor wants. It is never silent: the signature client programs
// see changes, so generate warns at the query's line.
func (b *builder) method(table, name, owner string) string {
	if b.own[name] {
		for _, q := range b.queries {
			if q.Name == name {
				b.notes = append(b.notes, diag.Errorf(q.Path, q.Line,
					"query %s replaces the method %s that dbgen writes for %s: %s has this query's parameters and result; rename the query (for example %sQuery) to keep both", name, name, owner, name, name))
			}
		}
		return ""
	}
	if other, taken := b.methods[name]; taken {
		b.at(table, "table %s would get a method %s, which %s already has; rename one of the tables", table, name, other)
		return name
	}
	b.methods[name] = owner
	return name
}

// publicType claims an exported type name for table, which must get it as
// it is: a client program is written against it.
func (b *builder) publicType(table, name, what string) string {
	if b.names[name] {
		b.at(table, "the %s of table %s would be the Go type %s, which the package already declares (another table's type, or its own API); rename the table", what, table, name)
		return name
	}
	b.names[name] = true
	return name
}

func (b *builder) table(i int) {
	t := b.db.Tables[i]
	if why := badName(t.Name); why != "" {
		b.at(t.Name, "%s %s %s; rename it", kind(&t), shortName(t.Name), why)
		return
	}
	tm := &tableModel{Meta: t, Index: i, ReadOnly: t.View || t.Virtual, RowIDKeyed: t.RowIDKeyed()}
	want := b.n.structName(b.sqlcName(t.Name))
	if why := badGoName(want); why != "" {
		b.at(t.Name, "%s %s has no Go type name: %s; rename it", kind(&t), t.Name, why)
		return
	}
	tm.Struct = b.names.claim(want, "Row")
	if sqlcName := b.n.sqlcStructName(b.sqlcName(t.Name)); tm.Struct != sqlcName && len(b.queries) > 0 {
		// sqlc, which writes the module's queries against the row types,
		// names them itself.
		if sqlcName != "" {
			b.at(t.Name, "%s %s would be the Go type %s, which the package's own API declares; with module queries sqlc names it too, so rename the table", kind(&t), t.Name, want)
		} else {
			b.at(t.Name, "%s %s: sqlc, which compiles the module's queries, cannot name its Go type (it makes the singular of %q empty); rename the table", kind(&t), t.Name, t.Name)
		}
	}
	tm.Plural = b.n.plural(b.sqlcName(t.Name), tm.Struct)
	if !b.fields(tm) {
		return
	}
	tm.Var = b.names.claim("table"+tm.Struct, "_")
	tm.Scan = b.names.claim("scan"+tm.Struct, "_")
	tm.Query = b.publicType(t.Name, tm.Struct+"Query", "query constructor")
	tm.M.Count = b.method(t.Name, "Count"+tm.Plural, "table "+t.Name)
	tm.M.List = b.method(t.Name, "List"+tm.Plural, "table "+t.Name)
	if !tm.ReadOnly {
		b.writes(tm)
	}
	for _, f := range tm.Fields {
		tm.Cols = append(tm.Cols, &colModel{Var: b.names.claim(tm.Struct+f.Name, "Col"), Column: f.Column, Value: f.Value})
	}
	b.m.Tables = append(b.m.Tables, tm)
}

// fields gives the row struct its fields, the rowid first when it is what
// identifies a row, and the metadata their Go names and types.
func (b *builder) fields(tm *tableModel) bool {
	t := &tm.Meta
	seen := map[string]string{}
	ok := true
	if tm.RowIDKeyed {
		tm.Fields = append(tm.Fields, &fieldModel{Name: "RowID", Column: t.PrimaryKey[0], Type: "int64", Value: "int64",
			Tag: tag(t.PrimaryKey[0]), sqlc: goType{Sqlc: "INTEGER"}})
		seen["RowID"] = "the rowid"
	}
	for ci := range t.Columns {
		c := &t.Columns[ci]
		if t.View && viewDuplicate.MatchString(c.Name) {
			b.at(t.Name, "view %s has two columns named %s; give one an alias (AS other_name)", t.Name, c.Name[:strings.LastIndexByte(c.Name, ':')])
			ok = false
			continue
		}
		if why := badName(c.Name); why != "" {
			b.atColumn(t.Name, c.Name, "column %s of %s %s; rename it", shortName(c.Name), brief(t.Name), why)
			ok = false
			continue
		}
		name := b.n.goName(b.sqlcName(c.Name))
		if why := badGoName(name); why != "" {
			b.atColumn(t.Name, c.Name, "column %q of %s has no Go field name: %s; rename the column", c.Name, t.Name, why)
			ok = false
			continue
		}
		if other, dup := seen[name]; dup {
			b.atColumn(t.Name, c.Name, "column %q of %s and %s both become the Go field %s; rename one of them", c.Name, t.Name, other, name)
			ok = false
			continue
		}
		seen[name] = strconv.Quote(c.Name)
		g := b.types.column(t.Name, t, c)
		c.GoField, c.GoType = name, g.Expr
		tm.Fields = append(tm.Fields, &fieldModel{Name: name, Column: c.Name, Type: g.Expr, Value: g.Value, Tag: tag(c.Name),
			sqlc: g, nullable: c.Nullable})
	}
	return ok
}

// writes adds what a table that can be written has: Create parameters, the
// Set struct, the key and the methods.
func (b *builder) writes(tm *tableModel) {
	t := &tm.Meta
	create := "Create" + tm.Struct + "Params"
	if b.own["Create"+tm.Struct] {
		// sqlc declares that name for the module's own Create query.
		create = "New" + tm.Struct + "Params"
	}
	tm.Create = &paramsModel{Type: b.publicType(t.Name, create, "create parameters")}
	tm.Set = &paramsModel{Type: b.publicType(t.Name, tm.Struct+"Set", "update type")}
	for ci := range t.Columns {
		c := &t.Columns[ci]
		if !c.Writable() {
			continue
		}
		f := tm.field(c.Name)
		opt := c.Default != "" || c.RowID
		p := &paramField{Name: f.Name, Type: f.Type, Opt: opt, Index: ci}
		if opt {
			p.Type = "dbrt.Opt[" + f.Type + "]"
		}
		tm.Create.Fields = append(tm.Create.Fields, p)
		tm.Set.Fields = append(tm.Set.Fields, &paramField{Name: f.Name, Type: "dbrt.Opt[" + f.Type + "]", Opt: true, Index: ci})
	}
	tm.Key = b.key(tm)
	s, p := tm.Struct, tm.Plural
	owner := "table " + t.Name
	tm.M.Create = b.method(t.Name, "Create"+s, owner)
	tm.M.Get = b.method(t.Name, "Get"+s, owner)
	tm.M.Update = b.method(t.Name, "Update"+s, owner)
	if !tm.RowIDKeyed {
		tm.M.Upsert = b.method(t.Name, "Upsert"+s, owner)
	}
	tm.M.Delete = b.method(t.Name, "Delete"+s, owner)
	tm.M.UpdateWhere = b.method(t.Name, "Update"+p, owner)
	tm.M.DeleteWhere = b.method(t.Name, "Delete"+p, owner)
	tm.M.Bulk = b.method(t.Name, "Create"+p, owner)
	for ui, set := range t.Unique {
		if sameColumns(set, t.PrimaryKey) {
			continue
		}
		u := &uniqueModel{Index: ui, Columns: set}
		var parts []string
		for _, c := range set {
			parts = append(parts, tm.field(c).Name)
		}
		by := "By" + strings.Join(parts, "And")
		u.Get = b.method(t.Name, "Get"+s+by, owner)
		u.Upsert = b.method(t.Name, "Upsert"+s+by, owner)
		var fields []*fieldModel
		for _, c := range set {
			fields = append(fields, tm.field(c))
		}
		u.Params, u.Args = paramList(fields)
		tm.Uniques = append(tm.Uniques, u)
	}
}

// key is how the table's methods take one row's key: the value itself for
// one column (the rowid included), a <Struct>Key for several.
func (b *builder) key(tm *tableModel) *keyModel {
	t := &tm.Meta
	k := &keyModel{Scan: b.names.claim("scan"+tm.Struct+"Key", "_")}
	var fields []*fieldModel
	for _, c := range t.Key() {
		fields = append(fields, tm.field(c))
	}
	if len(fields) == 1 {
		k.Params, k.Args = paramList(fields)
		k.Result, k.ScanDest = fields[0].Value, "&k"
		return k
	}
	k.Type = b.publicType(t.Name, tm.Struct+"Key", "key type")
	k.Result, k.Params = k.Type, "key "+k.Type
	var args, dest []string
	for _, f := range fields {
		kf := *f
		kf.Type = f.Value
		k.Fields = append(k.Fields, &kf)
		args = append(args, "key."+f.Name)
		dest = append(dest, "&k."+f.Name)
	}
	k.Args, k.ScanDest = strings.Join(args, ", "), strings.Join(dest, ", ")
	return k
}

// field returns the row struct's field of a column (or of the rowid).
func (tm *tableModel) field(column string) *fieldModel {
	for _, f := range tm.Fields {
		if f.Column == column {
			return f
		}
	}
	panic("codegen: no field for column " + column + " of " + tm.Meta.Name)
}

// paramList writes the parameters that take the values of fields, named
// after them, and the arguments that pass them on.
func paramList(fields []*fieldModel) (params, args string) {
	var ps, as []string
	used := map[string]bool{"ctx": true, "h": true}
	for _, f := range fields {
		name := lowerCamel(f.Name)
		if token.IsKeyword(name) || types.Universe.Lookup(name) != nil || used[name] || name == "dbrt" {
			name += "_"
		}
		used[name] = true
		ps = append(ps, name+" "+f.Value)
		as = append(as, name)
	}
	return strings.Join(ps, ", "), strings.Join(as, ", ")
}

// lowerCamel is a Go name with its leading capital (or initialism) in lower
// case: ID gives id, UserID userID, HTTPServer httpServer.
func lowerCamel(name string) string {
	runes := []rune(name)
	i := 0
	for i < len(runes) && unicode.IsUpper(runes[i]) {
		i++
	}
	switch {
	case i == 0:
		return name
	case i > 1 && i < len(runes) && unicode.IsLower(runes[i]):
		i-- // HTTPServer: the S starts the next word
	}
	for j := 0; j < i; j++ {
		runes[j] = unicode.ToLower(runes[j])
	}
	return string(runes)
}

func tag(column string) string {
	return "`db:" + strconv.Quote(column) + " json:" + strconv.Quote(column) + "`"
}

func kind(t *dbrt.Table) string { return t.Kind() }

// viewDuplicate matches the name SQLite gives the second of two view
// columns with the same name ("id:1").
var viewDuplicate = regexp.MustCompile(`:[0-9]+$`)

// maxNameBytes caps table and column names: long enough for any real name,
// short enough that Go identifiers, messages and sqlc stay readable.
const maxNameBytes = 255

// badName says what in a table or column name dbgen cannot carry into Go
// source and sqlc's copy of the schema, "" when nothing: characters that
// would end a Go string or comment (backquote, double quote, backslash),
// control and format characters (newlines, U+FEFF, bidirectional
// overrides such as U+202E, which make source read other than it is), and
// length.
func badName(name string) string {
	if len(name) > maxNameBytes {
		return fmt.Sprintf("is %d bytes long, over the %d dbgen allows", len(name), maxNameBytes)
	}
	if !utf8.ValidString(name) {
		return "is not valid UTF-8"
	}
	for _, r := range name {
		switch {
		case r == '`' || r == '"' || r == '\\':
			return fmt.Sprintf("holds %q, which generated Go source cannot carry safely", r)
		case unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r):
			return fmt.Sprintf("holds the invisible character %U, which would make generated source read other than it is", r)
		}
	}
	return ""
}

// shortName quotes a name for a message, cut short when it is long.
func shortName(name string) string {
	if utf8.RuneCountInString(name) <= 64 {
		return strconv.Quote(name)
	}
	return strconv.Quote(string([]rune(name)[:60])) + "…"
}

// brief is a name for a message, cut short when it is long.
func brief(name string) string {
	if utf8.RuneCountInString(name) <= 64 {
		return name
	}
	return string([]rune(name)[:60]) + "…"
}

// badGoName says why name cannot be an exported Go identifier, "" when it
// can: it must start with an upper-case letter (a Hebrew, CJK or emoji name
// has none), which a name starting with a digit or made of symbols lacks.
func badGoName(name string) string {
	r, _ := utf8.DecodeRuneInString(name)
	switch {
	case name == "":
		return "it has no letter or digit to make one of"
	case !token.IsIdentifier(name):
		return fmt.Sprintf("%q is not a Go identifier", name)
	case !unicode.IsUpper(r):
		return fmt.Sprintf("%q must start with an upper-case letter to be exported (a name starting with a digit, or in a script without capitals, cannot)", name)
	}
	return ""
}

func sameColumns(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, c := range a {
		if !slices.ContainsFunc(b, func(d string) bool { return strings.EqualFold(c, d) }) {
			return false
		}
	}
	return true
}

// lowerTitle is sqlc's name for a query's constant.
func lowerTitle(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[size:]
}

// names hands out top-level Go identifiers of one package, so that what
// dbgen declares never collides with sqlc's or with each other.
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
