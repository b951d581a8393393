package generator

import (
	"os"
	"path/filepath"

	"github.com/dbgen-dev/dbgen/generator/codegen"
	"github.com/dbgen-dev/dbgen/generator/diag"
	"github.com/dbgen-dev/dbgen/generator/discover"
	"github.com/dbgen-dev/dbgen/generator/load"
	"github.com/dbgen-dev/dbgen/generator/postgres"
)

// derivePostgres derives the PostgreSQL schema of every database, with
// the statements of its override files, for the postgres target. What
// cannot be derived fails the run, each problem at its file and line.
func derivePostgres(p *discover.Project, loaded []*load.Database, outDir string) (map[string]*codegen.Postgres, error) {
	var problems diag.List
	out := map[string]*codegen.Postgres{}
	for _, db := range loaded {
		var overrides []postgres.Override
		var files []*discover.File
		if d := p.Database(db.Name); d != nil {
			for _, f := range d.PostgresSchemas {
				o, found := postgres.ReadOverrides(f)
				overrides = append(overrides, o...)
				problems = append(problems, found...)
			}
			files = d.PostgresQueries
		}
		s, found := postgres.Derive(db, overrides)
		problems = append(problems, found...)
		if s == nil {
			continue
		}
		info, err := os.Stat(filepath.Join(outDir, db.Name, "migrations", "postgres"))
		out[db.Name] = &codegen.Postgres{Schema: s, Queries: files, Migrations: err == nil && info.IsDir()}
	}
	if len(problems) > 0 {
		problems.Sort()
		return nil, problems
	}
	return out, nil
}
