package codegen

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/dbgen-dev/dbgen/generator/config"
	"github.com/dbgen-dev/dbgen/generator/load"
	"github.com/dbgen-dev/dbgen/generator/sqlcgen"
)

// sqlcJob is the sqlc input of a database with module queries. sqlc does not
// get the schema files: it gets the model's tables and views, each as a
// CREATE TABLE of its columns, declared with a type whose Go type in sqlc is
// exactly the model's (goType.Sqlc, with an override where sqlc has no such
// type of its own) and NOT NULL where the model's type is not nullable. So
// sqlc writes the queries against the model's own types, by construction,
// and never meets what it cannot parse but does not need: view bodies,
// triggers, indexes, defaults, long literals, comments.
func sqlcJob(cfg config.Config, db *load.Database, m *dbModel) sqlcgen.Job {
	quoted := db.QuotedNames()
	ident := func(name string) string {
		if quoted[name] || !bareName.MatchString(name) {
			return `"` + name + `"`
		}
		return name
	}
	job := sqlcgen.Job{
		Package: m.Package,
		Options: sqlcgen.Options{
			PointersForNull: cfg.NullStyle == "pointer",
			// The same words as dbgen's names (a list replaces sqlc's default).
			Initialisms: cfg.InitialismSet(),
			// The implicit rowid is the model's RowID field.
			Rename: map[string]string{"rowid": "RowID"},
		},
	}
	synthetic := map[string]string{} // go_type -> declared type standing for it
	var schema strings.Builder
	for _, t := range m.Tables {
		fmt.Fprintf(&schema, "CREATE TABLE %s (", ident(t.Meta.Name))
		for i, f := range t.Fields {
			if i > 0 {
				schema.WriteString(", ")
			}
			decl := f.sqlc.Sqlc
			if f.sqlc.Override != "" && decl == "" {
				if decl = synthetic[f.sqlc.Override]; decl == "" {
					decl = fmt.Sprintf("dbgen_type_%d", len(synthetic)+1)
					synthetic[f.sqlc.Override] = decl
					for _, null := range []bool{false, true} {
						job.Options.Overrides = append(job.Options.Overrides, sqlcgen.Override{DBType: decl, GoType: f.sqlc.Override, Nullable: null})
					}
				}
			}
			schema.WriteString(ident(f.Column) + " " + decl)
			if !f.nullable {
				schema.WriteString(" NOT NULL")
			}
		}
		schema.WriteString(");\n")
	}
	for _, null := range []bool{false, true} {
		job.Options.Overrides = append(job.Options.Overrides, sqlcgen.Override{DBType: "json", GoType: jsonGoType, Nullable: null})
	}
	job.Schema = schema.String()
	for _, f := range db.Queries {
		job.Queries = append(job.Queries, sqlcgen.QueryFile{Path: f.Path, SQL: f.Data})
	}
	return job
}

// bareName is a name sqlc reads without quotes.
var bareName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
