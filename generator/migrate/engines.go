package migrate

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	atlas "ariga.io/atlas/sql/migrate"
)

// EnginesInput is what PlanEngines needs: the SQLite plan's input, and the
// PostgreSQL schema when the postgres target is on.
type EnginesInput struct {
	PlanInput
	// Postgres is the derived schema of the schema files; nil when the
	// postgres target is off, and only SQLite is planned.
	Postgres *PostgresSchema
	Dev      *PostgresDev
}

// EnginesResult is the migration planned for each engine, the same
// version on both.
type EnginesResult struct {
	SQLite   *PlanResult
	Postgres *PlanResult // nil when the postgres target is off
	dirs     [2]string
}

// Changed reports whether there is a migration to write.
func (r *EnginesResult) Changed() bool { return r.SQLite.Changed() }

// Version is the version of the migrations, "" when nothing changed.
func (r *EnginesResult) Version() string { return r.SQLite.Version }

// Findings are the lint findings of both migrations.
func (r *EnginesResult) Findings() []Finding {
	out := append([]Finding(nil), r.SQLite.Findings...)
	if r.Postgres != nil {
		out = append(out, r.Postgres.Findings...)
	}
	return out
}

// PlanEngines plans the next migration of a database for each engine it
// runs on: the SQLite one (Plan) and, with the postgres target on, the
// PostgreSQL one (PlanPostgres) in in.Dir's postgres folder, with the same
// version and renames. When the schema changes for one engine only (an
// override file, or what PostgreSQL's schema does not have), the other
// gets a migration that changes nothing, so that the folders stay in
// step. The PostgreSQL folder must have every migration of the SQLite one
// before (see SyncPostgres).
func PlanEngines(ctx context.Context, in EnginesInput) (*EnginesResult, error) {
	if in.Postgres == nil {
		r, err := Plan(ctx, in.PlanInput)
		if err != nil {
			return nil, err
		}
		return &EnginesResult{SQLite: r, dirs: [2]string{in.Dir}}, nil
	}
	if in.Dev == nil {
		return nil, errors.New("the postgres target is on: planning its migration needs a PostgreSQL server; " + DevURLHint)
	}
	pgDir := postgresDir(in.Dir)
	if err := requireInStep(in.Dir, pgDir); err != nil {
		return nil, err
	}
	if in.Version == "" {
		v, err := NextVersion(in.Now, in.Dir, pgDir)
		if err != nil {
			return nil, err
		}
		in.Version = v
	}
	lite, err := Plan(ctx, in.PlanInput)
	if err != nil {
		return nil, err
	}
	pg, err := PlanPostgres(ctx, PostgresPlanInput{
		Database: in.Database, Desired: in.Postgres, Dir: pgDir, Name: in.Name, Version: in.Version,
		Dev: in.Dev, AllowDestructive: in.AllowDestructive, Renames: lite.Renames,
	})
	if err != nil {
		return nil, err
	}
	file := in.Version + "_" + in.Name + ".sql"
	switch {
	case !lite.Changed() && !pg.Changed():
	case !lite.Changed():
		if lite, err = NoChange(in.Dir, in.Database, in.Version, in.Name, fmt.Sprintf(
			"Its PostgreSQL migration, %s/%s, changes what only the PostgreSQL schema has; this version keeps both folders in step.", PostgresDir, file)); err != nil {
			return nil, err
		}
	case !pg.Changed():
		if pg, err = NoChange(pgDir, in.Database, in.Version, in.Name, fmt.Sprintf(
			"The SQLite migration of the same version, ../%s, changes nothing the derived PostgreSQL schema has; this version keeps both folders in step.", file)); err != nil {
			return nil, err
		}
	}
	return &EnginesResult{SQLite: lite, Postgres: pg, dirs: [2]string{in.Dir, pgDir}}, nil
}

// Write writes the migrations of every engine, or none: a migration that
// exists already on either side stops it before anything is written.
func (r *EnginesResult) Write() error {
	results := []*PlanResult{r.SQLite, r.Postgres}
	for i, res := range results {
		if res != nil {
			if err := checkNew(r.dirs[i], res); err != nil {
				return err
			}
		}
	}
	for i, res := range results {
		if res != nil {
			if err := Write(r.dirs[i], res); err != nil {
				return err
			}
		}
	}
	return nil
}

// Files are the paths of every file to write.
func (r *EnginesResult) Files() []string {
	var out []string
	for _, res := range []*PlanResult{r.SQLite, r.Postgres} {
		if res != nil {
			for _, f := range res.Files {
				out = append(out, f.Path)
			}
		}
	}
	return out
}

// requireInStep refuses to plan the PostgreSQL migration of a database
// whose PostgreSQL folder lacks migrations of its SQLite folder: it would
// be planned from the wrong schema.
func requireInStep(sqliteDir, pgDir string) error {
	lite, err := readDir(sqliteDir)
	if err != nil {
		return err
	}
	if len(lite.ups) == 0 {
		return nil
	}
	var pg *migDir
	if _, err := os.Stat(pgDir); errors.Is(err, fs.ErrNotExist) {
		pg = &migDir{path: pgDir}
	} else if pg, err = readDir(pgDir); err != nil {
		return err
	}
	if fs := inStep(lite, pg); len(fs) > 0 {
		more := ""
		if len(fs) > 1 {
			more = fmt.Sprintf(" (and %d more)", len(fs)-1)
		}
		if !strings.Contains(fs[0].Message, SyncHint) {
			more += "; write the missing ones first with " + SyncHint
		}
		return fmt.Errorf("the PostgreSQL migrations are not in step with the SQLite ones: %s%s", fs[0], more)
	}
	return nil
}

// checkNew refuses to write over an existing migration or down script.
func checkNew(dir string, r *PlanResult) error {
	for _, f := range r.Files {
		if rel, err := filepath.Rel(dir, f.Path); err != nil || !filepath.IsLocal(rel) {
			return fmt.Errorf("write %s: not inside the migrations directory %s", f.Path, dir)
		}
		if filepath.Base(f.Path) == atlas.HashFileName {
			continue
		}
		if _, err := os.Stat(f.Path); !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("write %s: the migration exists already; migrations are never rewritten", f.Path)
		}
	}
	return nil
}
