package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/dbgen-dev/dbgen/generator"
	"github.com/dbgen-dev/dbgen/generator/config"
	"github.com/dbgen-dev/dbgen/generator/diag"
	"github.com/dbgen-dev/dbgen/generator/discover"
	"github.com/dbgen-dev/dbgen/generator/load"
	"github.com/dbgen-dev/dbgen/generator/migrate"
	"github.com/dbgen-dev/dbgen/generator/pgdev"
	dbrt "github.com/dbgen-dev/dbgen/runtime"
	"github.com/dbgen-dev/dbgen/runtime/admin"
	rtmigrate "github.com/dbgen-dev/dbgen/runtime/migrate"
)

// projectMigrations gives the admin handler the migrations folder of each
// database of the project, read from disk at each request: a migration
// that generate writes is pending at once. A database that has no
// migrations yet gets none.
func projectMigrations(p *discover.Project) func(string) fs.FS {
	return func(db string) fs.FS {
		if p.Database(db) == nil {
			return nil
		}
		dir := migrationsDir(p, db)
		if _, err := os.Stat(filepath.Join(dir, rtmigrate.SumFile)); err != nil {
			return nil
		}
		return os.DirFS(dir)
	}
}

// projectPlanner plans migrations for POST /migrations/generate as dbgen
// migrate diff plans them: the schema files read again at each call, one
// migration per database whose schema changed, written with its down
// script and atlas.sum, then the generated packages brought in step.
func projectPlanner(g *globalFlags) admin.Planner {
	return func(ctx context.Context, req admin.PlanRequest) (admin.PlanResult, error) {
		var res admin.PlanResult
		p, err := generator.Project(g.options())
		if err != nil {
			return res, schemaError(err)
		}
		if req.Database != "" && p.Database(req.Database) == nil {
			return res, planError(dbrt.CodeValidationFailed, req.Database, "the project has no database "+req.Database+"; see dbgen inspect")
		}
		var renames []migrate.Rename
		for _, s := range req.Renames {
			r, err := migrate.ParseRename(s)
			if err != nil {
				return res, planError(dbrt.CodeValidationFailed, req.Database, err.Error(), "rename", s)
			}
			renames = append(renames, r)
		}
		if len(renames) > 0 && req.Database == "" && len(p.Databases) > 1 {
			return res, planError(dbrt.CodeValidationFailed, "",
				fmt.Sprintf("renames need a database: the project has %d", len(p.Databases)))
		}
		dbs, err := load.Run(ctx, p)
		if err != nil {
			return res, schemaError(err)
		}
		// With the postgres target on, both engines' migrations, as
		// migrate diff writes them; the dev database is DBGEN_DEV_URL's.
		dev, err := openMigrateDev(ctx, p, "", "planning a migration")
		var pe *pgdev.Error
		switch {
		case errors.As(err, &pe):
			return res, planError(dbrt.CodeValidationFailed, req.Database, "the dev database: "+err.Error())
		case err != nil:
			return res, planError(dbrt.CodeValidationFailed, req.Database,
				"the postgres target is on, so planning a migration needs a PostgreSQL server: start dbgen serve with "+migrate.DevURLEnv+" set to one (dbgen works in scratch schemas there, always dropped)")
		}
		if dev != nil {
			defer dev.Close()
		}
		name := migrationName(req.Message)
		err = func() error {
			for _, db := range dbs {
				if req.Database != "" && db.Name != req.Database {
					continue
				}
				dir := migrationsDir(p, db.Name)
				if err := checkInside(p, dir); err != nil {
					return err
				}
				in := migrate.EnginesInput{PlanInput: migrate.PlanInput{
					Database: db.Name, DesiredDDL: db.DDL(), Dir: dir, Name: name,
					Now: now, AllowDestructive: req.AllowDestructive, Renames: renames,
				}}
				if dev != nil {
					pg, err := migrate.DerivePostgres(db, p.Database(db.Name).PostgresSchemas)
					if err != nil {
						return schemaError(err)
					}
					in.Postgres, in.Dev = pg, dev
				}
				plan, err := migrate.PlanEngines(ctx, in)
				var destructive *migrate.DestructiveError
				if errors.As(err, &destructive) {
					findings := destructiveLines(p, db, destructive)
					hints := make([]string, len(destructive.Renames))
					for i, r := range destructive.Renames {
						hints[i] = destructive.RenameHint(r)
					}
					return planError(admin.CodeDestructiveChange, db.Name,
						"the change drops data, so nothing was written for "+db.Name+": allow destructive changes if that is intended, or plan a rename",
						"findings", findings, "renames", hints)
				}
				if err != nil {
					return fmt.Errorf("%s: %w", db.Name, err)
				}
				if !plan.Changed() {
					res.Unchanged = append(res.Unchanged, db.Name)
					continue
				}
				pm := admin.PlannedMigration{Database: db.Name, Version: plan.Version()}
				for _, f := range plan.Files() {
					pm.Files = append(pm.Files, relPath(p.Root, f))
				}
				if err := checkInside(p, pm.Files...); err != nil {
					return err
				}
				if err := plan.Write(); err != nil {
					return fmt.Errorf("%s: %w", db.Name, err)
				}
				for _, f := range plan.Findings() {
					f.File = relPath(p.Root, f.File)
					pm.Findings = append(pm.Findings, f.String())
				}
				res.Migrations = append(res.Migrations, pm)
			}
			return nil
		}()
		if len(res.Migrations) == 0 {
			return res, err
		}
		// The packages embed their migrations: bring them in step, also
		// when a later database failed, so nothing written is left out.
		if _, genErr := generator.Generate(ctx, g.options()); genErr != nil {
			return res, errors.Join(err, genErr)
		}
		return res, err
	}
}

// migrationName makes a migration's file name of a message, as Alembic
// makes a revision's: "Add avatar to users!" becomes add_avatar_to_users.
func migrationName(message string) string {
	name := strings.Trim(nonWord.ReplaceAllString(strings.ToLower(message), "_"), "_")
	if len(name) > 64 {
		name = strings.TrimRight(name[:64], "_")
	}
	if name == "" {
		return "change"
	}
	return name
}

var nonWord = regexp.MustCompile(`[^a-z0-9]+`)

func planError(code dbrt.Code, module, msg string, kv ...any) *dbrt.Error {
	e := &dbrt.Error{Code: code, Module: module, Message: msg, Details: map[string]any{}}
	for i := 0; i+1 < len(kv); i += 2 {
		e.Details[kv[i].(string)] = kv[i+1]
	}
	return e
}

// schemaError reports schema files or a dbgen.yaml that do not load as
// SCHEMA_INVALID, each problem at its file and line; anything else is the
// server's failure.
func schemaError(err error) error {
	var list diag.List
	var cfgErr *config.Error
	switch {
	case errors.As(err, &list):
		lines := make([]string, len(list))
		for i, d := range list {
			lines[i] = d.String()
		}
		return planError(admin.CodeSchemaInvalid, "", "the schema files do not load: "+lines[0], "diagnostics", lines)
	case errors.As(err, &cfgErr):
		return planError(admin.CodeSchemaInvalid, "", cfgErr.Error(), "diagnostics", []string{cfgErr.Error()})
	}
	return err
}
