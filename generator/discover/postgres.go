package discover

import (
	"path"
	"slices"
	"strings"

	"github.com/dbgen-dev/dbgen/generator/diag"
)

// PostgresSuffix ends the name of an override file of the postgres target.
const PostgresSuffix = ".postgres.sql"

// PostgresPath is the override file of a schema or queries file: the same
// name with .postgres.sql for .sql (schema.sql → schema.postgres.sql,
// users.schema.sql → users.schema.postgres.sql, queries.sql →
// queries.postgres.sql). It holds the PostgreSQL text of what that file's
// database cannot carry over as SQLite writes it.
func PostgresPath(p string) string { return strings.TrimSuffix(p, ".sql") + PostgresSuffix }

// pairOverrides gives each override file to the database of the schema or
// queries file it is named after.
func pairOverrides(dbs []*Database, overrides []*File) diag.List {
	type owner struct {
		db     *Database
		schema bool
	}
	owners := map[string]owner{}
	for _, db := range dbs {
		for _, f := range db.Schemas {
			owners[PostgresPath(f.Path)] = owner{db, true}
		}
		for _, f := range db.Queries {
			owners[PostgresPath(f.Path)] = owner{db, false}
		}
	}
	var problems diag.List
	for _, f := range overrides {
		o, ok := owners[f.Path]
		switch {
		case !ok:
			partner := path.Base(strings.TrimSuffix(f.Path, PostgresSuffix) + ".sql")
			problems = append(problems, diag.Errorf(f.Path, 0, "no %s next to it: an override file is named after the schema or queries file whose objects it gives in PostgreSQL (users.schema.sql → users.schema.postgres.sql, queries.sql → queries.postgres.sql)", partner))
		case o.schema:
			o.db.PostgresSchemas = append(o.db.PostgresSchemas, f)
		default:
			o.db.PostgresQueries = append(o.db.PostgresQueries, f)
		}
	}
	for _, db := range dbs {
		slices.SortFunc(db.PostgresSchemas, byPath)
		slices.SortFunc(db.PostgresQueries, byPath)
	}
	return problems
}
