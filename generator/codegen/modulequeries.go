package codegen

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/dbgen-dev/dbgen/generator/diag"
	"github.com/dbgen-dev/dbgen/generator/load"
	"github.com/dbgen-dev/dbgen/generator/sqlcgen"
	"github.com/dbgen-dev/dbgen/generator/sqltext"
	dbrt "github.com/dbgen-dev/dbgen/runtime"
)

// addModuleQueries completes the model of a database with module queries
// from what sqlc made of them: the handle gets one method per query, with
// the signature of sqlc's method, routed by whether the query writes, its
// parameters bound by the families of the columns they meet. sqlc's own
// models.go is dropped, after checking that it declares the model's row
// types as the model does: sqlc's queries use them.
//
// With the postgres target on, pgOut is what sqlc's PostgreSQL engine made
// of the same queries (given: those whose PostgreSQL text
// queries.postgres.sql gives): each must take and return what its SQLite
// compile does, and its text there becomes the ModuleQuery's Postgres.
func addModuleQueries(ctx context.Context, db *load.Database, m *dbModel, queries []sqlcgen.Query, out, pgOut *sqlcgen.Output, given map[string]sqlcgen.Query) (map[string][]byte, diag.List, error) {
	files := map[string][]byte{}
	for name, data := range out.Files {
		if name != "models.go" {
			files[name] = data
		}
	}
	written, err := parseSqlcOutput(out.Files)
	if err != nil {
		return nil, nil, err
	}
	if err := checkSqlcModels(m, written); err != nil {
		return nil, nil, err
	}
	var pgWritten *sqlcOutput
	if pgOut != nil {
		if pgWritten, err = parseSqlcOutput(pgOut.Files); err != nil {
			return nil, nil, err
		}
	}
	taken := names{}
	for _, t := range m.Tables {
		taken[t.Var] = true
	}
	var problems diag.List
	sqls := map[string]string{}
	where := map[string]sqlcgen.Query{}
	for _, q := range queries {
		gm := written.methods[q.Name]
		if gm == nil {
			return nil, nil, fmt.Errorf("sqlc wrote no method for query %s (%s:%d)", q.Name, q.Path, q.Line)
		}
		qm := &queryModel{Name: q.Name, Var: taken.claim("query"+q.Name, "_"), Doc: q.Doc, Write: writes(q.SQL)}
		qm.Params, qm.Args = wrapperParams(gm.Params)
		if len(gm.Results) == 2 {
			qm.Result = gm.Results[0]
		}
		if written.imports["runtime"] == RuntimeImport {
			// sqlc imports the runtime under its own name; dbgen's files as dbrt.
			qm.Params = runtimeQualifier.ReplaceAllString(qm.Params, "dbrt.")
			qm.Result = runtimeQualifier.ReplaceAllString(qm.Result, "dbrt.")
		}
		qm.Families = paramFamilies(db, out.Queries[q.Name])
		if pgWritten != nil {
			var g *sqlcgen.Query
			if gq, ok := given[q.Name]; ok {
				g = &gq
			}
			if d := pgRefused(q, out.Queries[q.Name]); d != nil {
				problems = append(problems, *d)
			} else {
				problems = append(problems, comparePostgres(q, g, written, pgWritten)...)
			}
			qm.Postgres = pgWritten.queries[q.Name]
			pq := PostgresQuery{Name: q.Name, SQL: qm.Postgres, Path: q.Path, Line: q.Line}
			if g != nil {
				pq.Path, pq.Line = g.Path, g.Line
			}
			m.pgQueries = append(m.pgQueries, pq)
		}
		m.Queries = append(m.Queries, qm)
		if sql, ok := written.queries[q.Name]; ok {
			sqls[q.Name] = sql
			where[q.Name] = q
		}
	}
	// sqlc's parser lets through some queries SQLite refuses (a dangling
	// WHERE, an unknown function): they would fail only when run.
	failed, err := db.Prepare(ctx, sqls)
	if err != nil {
		return nil, nil, err
	}
	for name, msg := range failed {
		q := where[name]
		problems = append(problems, diag.Errorf(q.Path, q.Line, "query %s: SQLite rejects it: %s", name, msg))
	}
	m.sqlcImports = written.imports
	return files, problems, nil
}

// precheckQueries refuses, before sqlc reads them, the queries that SQLite
// refuses as too long or nested too deep for dbgen's limits: sqlc's parser
// spends seconds on each level of nested subqueries, minutes on a query
// SQLite refuses at once.
func precheckQueries(ctx context.Context, db *load.Database, queries []sqlcgen.Query) (diag.List, error) {
	sqls := map[string]string{}
	where := map[string]sqlcgen.Query{}
	for _, q := range queries {
		sqls[q.Name], where[q.Name] = q.SQL, q
	}
	failed, err := db.Precheck(ctx, sqls)
	if err != nil {
		return nil, err
	}
	var problems diag.List
	for name, msg := range failed {
		q := where[name]
		problems = append(problems, diag.Errorf(q.Path, q.Line, "query %s: SQLite rejects it: %s", name, msg))
	}
	return problems, nil
}

// checkSqlcModels compares the row types sqlc declared with the model's:
// sqlc's code scans into them, so any difference is a bug of dbgen's.
func checkSqlcModels(m *dbModel, out *sqlcOutput) error {
	for _, t := range m.Tables {
		fields, ok := out.structs[t.Struct]
		if !ok {
			return fmt.Errorf("internal error: sqlc declared no type %s for %s", t.Struct, t.Meta.Name)
		}
		var want, got []string
		for _, f := range t.Fields {
			want = append(want, f.Name+" "+f.Type)
		}
		for _, f := range fields {
			typ := strings.ReplaceAll(f.Type, "interface{}", "any")
			typ = strings.ReplaceAll(typ, "runtime.JSON", "dbrt.JSON")
			got = append(got, f.Name+" "+typ)
		}
		if strings.Join(want, "; ") != strings.Join(got, "; ") {
			return fmt.Errorf("internal error: sqlc's type %s differs from dbgen's:\n\tsqlc:  %s\n\tdbgen: %s",
				t.Struct, strings.Join(got, "; "), strings.Join(want, "; "))
		}
	}
	return nil
}

var runtimeQualifier = regexp.MustCompile(`\bruntime\.`)

// wrapperParams are the parameters of the handle's method for a query:
// sqlc's, renamed where a name would hide what the method's body uses.
func wrapperParams(params []goParam) (string, string) {
	var ps, as []string
	for _, p := range params {
		name := p.Name
		switch name {
		case "h", "q", "dbrt", "New":
			name += "_"
		}
		ps = append(ps, name+" "+p.Type)
		if strings.HasPrefix(p.Type, "...") {
			name += "..."
		}
		as = append(as, name)
	}
	return strings.Join(ps, ", "), strings.Join(as, ", ")
}

// paramFamilies describe the columns a query's parameters meet, by
// position, for the codec (as runtime.Param literals); nil when sqlc.slice
// makes positions vary.
func paramFamilies(db *load.Database, info *sqlcgen.QueryInfo) []string {
	if info == nil || len(info.Params) == 0 {
		return nil
	}
	var fams []string
	for i, p := range info.Params {
		if p.Slice || p.Number != i+1 {
			return nil
		}
		f, notNull := dbrt.FamilyUntyped, false
		if t := db.Table(p.Table); t != nil {
			if c := t.Column(p.Column); c != nil {
				f, notNull = c.Family(), !c.Nullable
			} else if ok, _ := t.Lookup(p.Column); ok {
				f, notNull = dbrt.FamilyInteger, true
			}
		}
		expr := "{Family: " + familyExpr(f)
		if notNull {
			expr += ", NotNull: true"
		}
		fams = append(fams, expr+"}")
	}
	return fams
}

// familyExpr is the Go expression of a family in generated code.
func familyExpr(f dbrt.Family) string {
	return map[dbrt.Family]string{
		dbrt.FamilyUntyped: "dbrt.FamilyUntyped", dbrt.FamilyInteger: "dbrt.FamilyInteger",
		dbrt.FamilyReal: "dbrt.FamilyReal", dbrt.FamilyNumeric: "dbrt.FamilyNumeric",
		dbrt.FamilyText: "dbrt.FamilyText", dbrt.FamilyBlob: "dbrt.FamilyBlob",
		dbrt.FamilyBool: "dbrt.FamilyBool", dbrt.FamilyDate: "dbrt.FamilyDate",
		dbrt.FamilyDateTime: "dbrt.FamilyDateTime", dbrt.FamilyJSON: "dbrt.FamilyJSON",
	}[f]
}

func queryTypes(qs []*queryModel) []string {
	var types []string
	for _, q := range qs {
		types = append(types, q.Params, q.Result)
	}
	return types
}

// writes reports whether a statement may change the database: anything but a
// plain SELECT, VALUES or a WITH whose body only reads.
func writes(sql string) bool {
	toks, err := sqltext.Tokenize(sql)
	if err != nil {
		return true // unreadable: sqlc will say why; a write is the safe guess
	}
	if len(toks) == 0 {
		return false
	}
	switch strings.ToUpper(toks[0].Text) {
	case "SELECT", "VALUES":
		return false
	case "WITH":
		for _, t := range toks {
			if t.Is("INSERT") || t.Is("UPDATE") || t.Is("DELETE") || t.Is("REPLACE") {
				return true
			}
		}
		return false
	}
	return true
}
