package codegen

import (
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/dbgen-dev/dbgen/generator/config"
	"github.com/dbgen-dev/dbgen/generator/diag"
	"github.com/dbgen-dev/dbgen/generator/discover"
	"github.com/dbgen-dev/dbgen/generator/load"
	"github.com/dbgen-dev/dbgen/generator/postgres"
	"github.com/dbgen-dev/dbgen/generator/sqlcgen"
	"github.com/dbgen-dev/dbgen/internal/sqllex"
)

// The postgres target: the generated Definition also holds the database's
// PostgreSQL schema, and every module query is compiled a second time, by
// sqlc's PostgreSQL engine against that schema, in the same sqlc run as
// the SQLite one. The Go code stays the SQLite compile's, whatever the
// engine: the PostgreSQL compile only checks that the query runs there
// with the same parameters and result columns, and gives its text with
// $1..$n for the runtime.

// Postgres is what codegen needs of a database for the postgres target.
type Postgres struct {
	Schema *postgres.Schema
	// Queries are the database's queries.postgres.sql files: the
	// PostgreSQL text of some module queries, under their names.
	Queries []*discover.File
	// Migrations is set when gen/<db>/migrations/postgres exists, to be
	// embedded.
	Migrations bool
}

// Inputs are what codegen needs beyond the loaded databases, by database
// name.
type Inputs struct {
	// Migrations names the databases whose migrations folder exists.
	Migrations map[string]bool
	// Postgres is set for every database when the postgres target is on.
	Postgres map[string]*Postgres
}

// pgModel is the Definition's PostgreSQL part.
type pgModel struct {
	DDL        string
	Migrations bool
}

// PostgresQuery is a module query as it runs on PostgreSQL, for the check
// on a server: its text and the place of that text.
type PostgresQuery struct {
	Name, SQL string
	Path      string // queries.sql, or queries.postgres.sql for a query given there
	Line      int
}

// schemaCheckQuery is the query of a PostgreSQL job for a database without
// module queries: sqlc reads a schema only for a package with a query, and
// reading it is the check that the derived schema parses.
const schemaCheckQuery = "-- name: DbgenSchemaCheck :exec\nSELECT 1;\n"

// pgJob is the sqlc input of a database on PostgreSQL: the derived schema,
// one statement each with where it comes from, and the module queries, each
// in its PostgreSQL text (queries.postgres.sql) or else its SQLite text
// with ? numbered $n, at the lines they have in their files.
func pgJob(cfg config.Config, db *load.Database, m *dbModel, in *Postgres, queries []sqlcgen.Query) (sqlcgen.Job, map[string]sqlcgen.Query, diag.List) {
	job := sqlcgen.Job{Package: m.Package, Engine: sqlcgen.EnginePostgreSQL,
		Options: sqlcgen.Options{Initialisms: cfg.InitialismSet(), Rename: map[string]string{"rowid": "RowID"}}}
	for _, st := range in.Schema.Statements {
		p := sqlcgen.SchemaPiece{SQL: st.SQL}
		switch {
		case st.Override != nil:
			p.Path, p.Line = st.Override.Path, st.Override.Line
		case st.Source != nil:
			p.Path, p.Line, p.Derived = st.Source.File.Path, st.Source.Line, true
		}
		job.SchemaPieces = append(job.SchemaPieces, p)
	}
	job.Options.Overrides = pgOverrides(cfg, m)

	var problems diag.List
	known := map[string]bool{}
	for _, q := range queries {
		known[q.Name] = true
	}
	given := map[string]sqlcgen.Query{} // the queries.postgres.sql texts, by name
	var files []sqlcgen.QueryFile
	for _, f := range in.Queries {
		qs, found := sqlcgen.ReadQueries(f.Path, f.Data)
		problems = append(problems, found...)
		for _, q := range qs {
			if !known[q.Name] {
				problems = append(problems, diag.Errorf(f.Path, q.Line, "query %s: the module has no query of that name; a query's PostgreSQL text goes under the -- name: of its query in %s",
					q.Name, path.Base(strings.TrimSuffix(f.Path, discover.PostgresSuffix)+".sql")))
				continue
			}
			given[q.Name] = q
		}
		files = append(files, sqlcgen.QueryFile{Path: f.Path, SQL: f.Data})
	}
	for _, f := range db.Queries {
		var b strings.Builder
		src := strings.SplitAfter(string(f.Data), "\n")
		line := 1
		for _, q := range queries {
			if q.Path != f.Path {
				continue
			}
			if _, ok := given[q.Name]; ok {
				continue
			}
			for ; line < q.Line; line++ {
				b.WriteByte('\n')
			}
			// The name line and the comments under it as written, then
			// the statement with its parameters numbered.
			for ; line < q.StmtLine && line <= len(src); line++ {
				b.WriteString(src[line-1])
			}
			text := numberParams(q.SQL)
			b.WriteString(text)
			b.WriteString(";\n")
			line += strings.Count(text, "\n") + 1
		}
		if b.Len() > 0 {
			files = append([]sqlcgen.QueryFile{{Path: f.Path, SQL: []byte(b.String())}}, files...)
		}
	}
	if len(files) == 0 {
		files = []sqlcgen.QueryFile{{Path: "dbgen-schema-check.sql", SQL: []byte(schemaCheckQuery)}}
	}
	job.Queries = files
	return job, given, problems
}

// pgOverrides make sqlc's PostgreSQL engine choose the Go types the SQLite
// compile does: a column's type is the model's (the runtime's codec binds
// and scans a column by its family on both engines), and an expression of
// a derived type gets the type its family has in the model.
func pgOverrides(cfg config.Config, m *dbModel) []sqlcgen.Override {
	var out []sqlcgen.Override
	for _, t := range m.Tables {
		for _, f := range t.Fields {
			if f.sqlc.Override != "" && f.sqlc.Override != jsonGoType {
				out = append(out, sqlcgen.Override{Column: t.Meta.Name + "." + f.Column, GoType: f.sqlc.Override})
			}
		}
	}
	pointers := cfg.NullStyle == "pointer"
	// sqlc names a type as the schema spells it or as its catalog does.
	add := func(dbTypes []string, notNull, null, ptr string) {
		for _, dbType := range dbTypes {
			if notNull != "" {
				out = append(out, sqlcgen.Override{DBType: dbType, GoType: notNull})
			}
			switch {
			case pointers && ptr != "":
				out = append(out, sqlcgen.Override{DBType: dbType, GoType: ptr, Nullable: true})
			case null != "":
				out = append(out, sqlcgen.Override{DBType: dbType, GoType: null, Nullable: true})
			}
		}
	}
	add([]string{"numeric", "pg_catalog.numeric"}, "float64", "database/sql.NullFloat64", "*float64")
	add([]string{"citext"}, "string", "database/sql.NullString", "*string")
	add([]string{"jsonb", "pg_catalog.jsonb"}, jsonGoType, jsonGoType, jsonGoType)
	// sqlc writes pointers for NULL only with pgx; dbgen's are database/sql's.
	if pointers {
		add([]string{"bigint", "int8", "pg_catalog.int8"}, "", "", "*int64")
		add([]string{"double precision", "float8", "pg_catalog.float8"}, "", "", "*float64")
		add([]string{"text"}, "", "", "*string")
		add([]string{"boolean", "bool", "pg_catalog.bool"}, "", "", "*bool")
		add([]string{"date"}, "", "", "*time.Time")
		add([]string{"timestamptz", "pg_catalog.timestamptz"}, "", "", "*time.Time")
	}
	return out
}

// numberParams writes a SQLite query's ? parameters as PostgreSQL's $n,
// numbered as SQLite numbers them (the next after the largest so far) and
// ?NNN as $NNN; strings, quoted names and comments are left alone.
func numberParams(sql string) string {
	toks, err := sqllex.Tokens(sql)
	if err != nil {
		return sql
	}
	var b strings.Builder
	largest := 0
	for _, t := range toks {
		if t.Kind != sqllex.Word || t.Text[0] != '?' {
			b.WriteString(t.Text)
			continue
		}
		if t.Text == "?" {
			largest++
			b.WriteString("$" + strconv.Itoa(largest))
			continue
		}
		n, err := strconv.Atoi(t.Text[1:])
		if err != nil || n < 1 {
			b.WriteString(t.Text)
			continue
		}
		largest = max(largest, n)
		b.WriteString("$" + strconv.Itoa(n))
	}
	return b.String()
}

// pgErrors words the problems sqlc's PostgreSQL engine found in the module
// queries: at the query, with the file to give its PostgreSQL text in.
// Problems in the schema are already at their statement. queries are every
// query sqlc compiled: the module's, and those of queries.postgres.sql.
func pgErrors(err error, queries []sqlcgen.Query) error {
	var se *sqlcgen.Error
	if !errors.As(err, &se) || !se.PostgreSQL {
		return err
	}
	var out diag.List
	for _, d := range se.Diagnostics {
		q := queryAt(d, queries)
		switch {
		case q == nil && d.Path == "":
			d.Msg = "PostgreSQL: " + d.Msg
		case q == nil:
		case strings.HasSuffix(q.Path, discover.PostgresSuffix):
			d.Msg = fmt.Sprintf("query %s: sqlc's PostgreSQL engine rejects its PostgreSQL text: %s", q.Name, d.Msg)
		default:
			d.Msg = fmt.Sprintf("query %s: sqlc's PostgreSQL engine rejects it: %s; give its PostgreSQL text under -- name: %s in %s",
				q.Name, d.Msg, q.Name, path.Base(discover.PostgresPath(q.Path)))
		}
		out = append(out, d)
	}
	return out
}

// queryAt finds the query a problem is in: the last one of its file that
// starts at or before its line.
func queryAt(d diag.Diagnostic, queries []sqlcgen.Query) *sqlcgen.Query {
	var found *sqlcgen.Query
	for i := range queries {
		q := &queries[i]
		if d.Path != "" && q.Path == d.Path && q.Line <= d.Line && (found == nil || q.Line > found.Line) {
			found = q
		}
	}
	return found
}

// goValue is a parameter or a result column of a query's method, as sqlc
// wrote it.
type goValue struct{ name, typ string }

// params are a method's parameters after ctx, a Params struct read as its
// fields.
func (o *sqlcOutput) params(m *goMethod) []goValue {
	var out []goValue
	for i, p := range m.Params {
		if i == 0 && p.Type == "context.Context" {
			continue
		}
		if fields, ok := o.structs[p.Type]; ok {
			for _, f := range fields {
				out = append(out, goValue{f.Name, f.Type})
			}
			continue
		}
		out = append(out, goValue{p.Name, strings.TrimPrefix(p.Type, "...")})
	}
	return out
}

// columns are what a method returns besides its error, a row struct read
// as its fields (named by their columns).
func (o *sqlcOutput) columns(m *goMethod) []goValue {
	if len(m.Results) != 2 {
		return nil
	}
	t := strings.TrimPrefix(m.Results[0], "[]")
	if fields, ok := o.structs[t]; ok {
		var out []goValue
		for _, f := range fields {
			name := f.Column
			if name == "" {
				name = f.Name
			}
			out = append(out, goValue{name, f.Type})
		}
		return out
	}
	return []goValue{{"", t}}
}

// nullBase are the values of database/sql's NULL wrappers.
var nullBase = map[string]string{
	"sql.NullString": "string", "sql.NullInt64": "int64", "sql.NullInt32": "int32", "sql.NullInt16": "int16",
	"sql.NullFloat64": "float64", "sql.NullBool": "bool", "sql.NullTime": "time.Time", "sql.NullByte": "uint8",
}

// valueType is a Go type without its NULL wrapper or pointer; "" for a
// type sqlc does not know (interface{}).
func valueType(t string) string {
	t = strings.TrimPrefix(t, "*")
	if b, ok := nullBase[t]; ok {
		return b
	}
	if t == "interface{}" || t == "any" {
		return ""
	}
	return strings.ReplaceAll(t, "runtime.", "dbrt.")
}

func isInt(t string) bool { return t == "int64" || t == "int32" || t == "int16" || t == "int" }

// assignable reports whether a value of Go type from goes where to is
// expected: the same values (NULL aside: the engines read the same query,
// sqlc only guesses its NULLs differently), a type sqlc does not know on
// either side, or an integer where a number is expected (database/sql
// converts it).
func assignable(from, to string) bool {
	f, t := valueType(from), valueType(to)
	return f == "" || t == "" || f == t || isInt(f) && (isInt(t) || t == "float64")
}

// castFor is the PostgreSQL cast that gives an expression a Go type.
var castFor = map[string]string{
	"float64": "::double precision", "int64": "::bigint", "string": "::text", "bool": "::boolean",
	"time.Time": "::timestamptz", "[]byte": "::bytea", "dbrt.JSON": "::jsonb",
}

// comparePostgres checks that a query's PostgreSQL compile takes and
// returns what its SQLite compile does, which the generated Go code binds
// and scans: as many parameters and columns, in the same order, of types
// that fit.
func comparePostgres(q sqlcgen.Query, given *sqlcgen.Query, lite, pg *sqlcOutput) diag.List {
	lm, pm := lite.methods[q.Name], pg.methods[q.Name]
	if lm == nil || pm == nil {
		return diag.List{diag.Errorf(q.Path, q.Line, "internal error: sqlc wrote no PostgreSQL method for query %s", q.Name)}
	}
	where, fix := q, fmt.Sprintf("give its PostgreSQL text under -- name: %s in %s", q.Name, path.Base(discover.PostgresPath(q.Path)))
	if given != nil {
		where, fix = *given, "change its PostgreSQL text here"
	}
	var problems diag.List
	bad := func(format string, args ...any) {
		problems = append(problems, diag.Errorf(where.Path, where.Line, "query %s: %s", q.Name, fmt.Sprintf(format, args...)))
	}
	lp, pp := lite.params(lm), pg.params(pm)
	switch {
	case len(lp) != len(pp):
		bad("it takes %d %s on SQLite but %d on PostgreSQL; %s, with the same parameters", len(lp), plural(len(lp), "parameter"), len(pp), fix)
	default:
		for i := range lp {
			switch {
			case !strings.EqualFold(lp[i].name, pp[i].name):
				bad("parameter %d is %s on SQLite but %s on PostgreSQL; %s, its parameters numbered in the SQLite query's order", i+1, lp[i].name, pp[i].name, fix)
			case !assignable(lp[i].typ, pp[i].typ):
				bad("parameter %d (%s) is %s on SQLite but %s on PostgreSQL; %s, with a cast where it is used", i+1, lp[i].name, lp[i].typ, pp[i].typ, fix)
			}
		}
	}
	lc, pc := lite.columns(lm), pg.columns(pm)
	if len(lc) != len(pc) {
		bad("it returns %d %s on SQLite but %d on PostgreSQL; %s, with the same columns", len(lc), plural(len(lc), "column"), len(pc), fix)
		return problems
	}
	for i := range lc {
		name := lc[i].name
		if name == "" {
			name = "its value"
		}
		switch {
		case !strings.EqualFold(lc[i].name, pc[i].name):
			bad("column %d is %s on SQLite but %s on PostgreSQL; %s, naming the column as SQLite does (AS %s)", i+1, lc[i].name, pc[i].name, fix, lc[i].name)
		case !assignable(pc[i].typ, lc[i].typ):
			cast := castFor[valueType(lc[i].typ)]
			if cast != "" {
				cast = " (e.g. " + cast + ")"
			}
			if given != nil {
				bad("column %d (%s) is %s on SQLite but %s on PostgreSQL; cast it%s in its PostgreSQL text", i+1, name, lc[i].typ, pc[i].typ, cast)
			} else {
				bad("column %d (%s) is %s on SQLite but %s on PostgreSQL; cast it in the PostgreSQL text%s under -- name: %s in %s",
					i+1, name, lc[i].typ, pc[i].typ, cast, q.Name, path.Base(discover.PostgresPath(q.Path)))
			}
		}
	}
	return problems
}

// pgRefused are the module queries the postgres target cannot carry, whose
// Go code could not run on PostgreSQL as sqlc writes it for SQLite.
func pgRefused(q sqlcgen.Query, info *sqlcgen.QueryInfo) *diag.Diagnostic {
	if q.Cmd == ":execlastid" {
		d := diag.Errorf(q.Path, q.Line, "query %s: :execlastid reads the new row's id with LastInsertId, which PostgreSQL's driver does not have; make it :one with RETURNING id", q.Name)
		return &d
	}
	if info != nil {
		for _, p := range info.Params {
			if p.Slice {
				d := diag.Errorf(q.Path, q.Line, "query %s: sqlc.slice expands into a list of ? in the SQLite text at run time, which the postgres target cannot carry over; compare with a fixed number of parameters instead", q.Name)
				return &d
			}
		}
	}
	return nil
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
