package generator

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/dbgen-dev/dbgen/generator/codegen"
	"github.com/dbgen-dev/dbgen/generator/config"
	"github.com/dbgen-dev/dbgen/generator/diag"
	"github.com/dbgen-dev/dbgen/generator/discover"
	"github.com/dbgen-dev/dbgen/generator/load"
	"github.com/dbgen-dev/dbgen/generator/pgdev"
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

// devURL is the dev database a run checks the postgres target on, "" for
// none. --dev-url without the target is a mistake; DBGEN_DEV_URL, which CI
// may set for every project, is ignored by a project without it.
func devURL(opts Options, cfg config.Config) (string, error) {
	if opts.DevURL == "" {
		return "", nil
	}
	if !cfg.Postgres() {
		if opts.DevURLSource == "DBGEN_DEV_URL" {
			return "", nil
		}
		where := config.FileName
		if cfg.Path != "" {
			where = cfg.Path
		}
		return "", fmt.Errorf("--dev-url checks the postgres target on a server, which %s does not turn on; add targets: [sqlite, postgres] to it, or drop --dev-url", filepath.Base(where))
	}
	return opts.DevURL, nil
}

// checkOnServer creates the derived schema of every database on the dev
// database and prepares every module query there.
func checkOnServer(ctx context.Context, opts Options, url string, plan *Plan) error {
	var dbs []pgdev.Database
	for _, pkg := range plan.Packages {
		pg := plan.Postgres[pkg.Name]
		if pg == nil {
			continue
		}
		db := pgdev.Database{Name: pkg.Name, Schema: pg.Schema}
		for _, q := range pkg.PostgresQueries {
			db.Queries = append(db.Queries, pgdev.Query{Name: q.Name, SQL: q.SQL, Path: q.Path, Line: q.Line})
		}
		dbs = append(dbs, db)
	}
	source := opts.DevURLSource
	if source == "" {
		source = "--dev-url"
	}
	problems, err := pgdev.Check(ctx, source, url, dbs)
	if err != nil {
		return err
	}
	plan.PostgresPrepared = true
	return problems.Err()
}
