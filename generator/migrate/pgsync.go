package migrate

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/dbgen-dev/dbgen/generator/discover"
	"github.com/dbgen-dev/dbgen/generator/postgres"
	"github.com/dbgen-dev/dbgen/internal/sqllex"
)

// SyncInput is what SyncPostgres needs.
type SyncInput struct {
	Database string
	Dir      string // the SQLite migrations folder; its postgres folder is written
	// OverrideFiles are the database's override files as they are now;
	// each version's schema takes the statements of those whose object
	// it has.
	OverrideFiles []*discover.File
	Dev           *PostgresDev
	// AllowDestructive allows every destructive change; without it, one is
	// allowed where the SQLite migration of the version records that it was
	// (an atlas:nolint directive), as the PostgreSQL one then does.
	AllowDestructive bool
}

// SyncPostgres writes the PostgreSQL migrations of the SQLite migrations
// that the PostgreSQL folder lacks, as when the postgres target is turned
// on for a database that has migrations already: for each version in
// turn, the SQLite folder is replayed to it, the PostgreSQL schema derived
// from what it leaves, and the PostgreSQL migration planned from the one
// before, with the same version and name, and the renames the SQLite
// migration makes. It returns the versions written, each written before
// the next is planned; the PostgreSQL folder must have a prefix of the
// SQLite one's migrations.
func SyncPostgres(ctx context.Context, in SyncInput) ([]string, error) {
	if in.Dev == nil {
		return nil, errors.New("no dev database: " + DevURLHint)
	}
	lite, err := readDir(in.Dir)
	if err != nil {
		return nil, err
	}
	if fs := lite.checkSums(VerifyOptions{}); len(fs) > 0 {
		return nil, fmt.Errorf("%s: fix the SQLite migrations first (see dbgen check)", fs[0])
	}
	pgDir := postgresDir(in.Dir)
	pg := &migDir{path: pgDir}
	if _, err := os.Stat(pgDir); !errors.Is(err, fs.ErrNotExist) {
		if pg, err = readDir(pgDir); err != nil {
			return nil, err
		}
		if fs := pg.checkSums(VerifyOptions{}); len(fs) > 0 {
			return nil, fmt.Errorf("%s: fix the PostgreSQL migrations first (see dbgen check)", fs[0])
		}
	}
	for i, f := range pg.ups {
		if i >= len(lite.ups) || lite.ups[i].Name() != f.Name() {
			return nil, fmt.Errorf("%s: the SQLite folder %s has no migration %s at its place: the PostgreSQL folder "+
				"must have a part of the SQLite one's migrations, from the first; remove the PostgreSQL migrations from here on "+
				"(and run dbgen migrate hash) to plan them again", pg.file(f.Name()), in.Dir, f.Name())
		}
	}
	var overrides []postgres.Override
	for _, f := range in.OverrideFiles {
		o, problems := postgres.ReadOverrides(f)
		if err := problems.Err(); err != nil {
			return nil, err
		}
		overrides = append(overrides, o...)
	}
	dev, err := openDev(ctx)
	if err != nil {
		return nil, err
	}
	defer dev.Close()
	var written []string
	for i, f := range lite.ups {
		file := lite.file(f.Name())
		if err := dev.exec(ctx, file, string(f.Bytes())); err != nil {
			return written, fmt.Errorf("replay SQLite migrations: %w", err)
		}
		if i < len(pg.ups) {
			continue
		}
		version := f.Version()
		name := strings.TrimSuffix(strings.TrimPrefix(f.Name(), version+"_"), ".sql")
		desired, err := derivedAt(ctx, dev, in.Database, file, overrides)
		if err != nil {
			return written, fmt.Errorf("version %s: %w", version, err)
		}
		renames, err := sqliteRenames(string(f.Bytes()))
		if err != nil {
			return written, fmt.Errorf("%s: %w", file, err)
		}
		res, err := PlanPostgres(ctx, PostgresPlanInput{
			Database: in.Database, Desired: desired, Dir: pgDir, Name: name, Version: version, Dev: in.Dev,
			AllowDestructive: in.AllowDestructive || strings.Contains(string(f.Bytes()), "atlas:nolint"),
			Renames:          renames,
		})
		if err != nil {
			return written, fmt.Errorf("version %s: %w", version, err)
		}
		if !res.Changed() {
			if res, err = NoChange(pgDir, in.Database, version, name, fmt.Sprintf(
				"The SQLite migration of the same version, ../%s, changes nothing the derived PostgreSQL schema has; this version keeps both folders in step.", f.Name())); err != nil {
				return written, err
			}
		}
		if err := Write(pgDir, res); err != nil {
			return written, err
		}
		written = append(written, version)
	}
	return written, nil
}

// derivedAt derives the PostgreSQL schema of what the SQLite dev database
// holds, the schema after the migration file, with the override
// statements of the objects it has.
func derivedAt(ctx context.Context, dev *devDB, database, file string, overrides []postgres.Override) (*PostgresSchema, error) {
	ddl, err := dev.sqliteDDL(ctx)
	if err != nil {
		return nil, err
	}
	db, err := LoadDDL(ctx, database, file, ddl)
	if err != nil {
		return nil, fmt.Errorf("load the schema after %s: %w", file, err)
	}
	var kept []postgres.Override
	for _, o := range overrides {
		switch {
		case o.Kind == "function":
			// A trigger's function goes with its trigger.
			if slices.ContainsFunc(overrides, func(t postgres.Override) bool {
				return t.Kind == "trigger" && db.Statement(t.Name) != nil && strings.Contains(strings.ToLower(t.SQL), strings.ToLower(o.Name))
			}) {
				kept = append(kept, o)
			}
		case db.Statement(o.Name) != nil:
			kept = append(kept, o)
		}
	}
	s, err := derivePG(db, kept)
	if err != nil {
		return nil, fmt.Errorf("derive the PostgreSQL schema after %s (with today's override files): %w", file, err)
	}
	return s, nil
}

// sqliteRenames returns the renames a SQLite migration makes, in order:
// ALTER TABLE ... RENAME [COLUMN] a TO b, and ALTER TABLE a RENAME TO b.
func sqliteRenames(script string) ([]Rename, error) {
	stmts, err := sqllex.Split(script)
	if err != nil {
		return nil, err
	}
	var out []Rename
	for _, s := range stmts {
		toks, err := significant(s.Text)
		if err != nil || len(toks) < 6 || !toks[0].Is("ALTER") || !toks[1].Is("TABLE") {
			continue
		}
		table, ok := toks[2].Ident()
		if !ok || !toks[3].Is("RENAME") {
			continue
		}
		rest := toks[4:]
		switch {
		case rest[0].Is("TO") && len(rest) == 2:
			if to, ok := rest[1].Ident(); ok {
				out = append(out, Rename{Table: table, To: to})
			}
		case rest[0].Is("COLUMN") && len(rest) == 4 && rest[2].Is("TO"):
			from, ok1 := rest[1].Ident()
			to, ok2 := rest[3].Ident()
			if ok1 && ok2 {
				out = append(out, Rename{Table: table, Column: from, To: to})
			}
		case len(rest) == 3 && rest[1].Is("TO"):
			from, ok1 := rest[0].Ident()
			to, ok2 := rest[2].Ident()
			if ok1 && ok2 {
				out = append(out, Rename{Table: table, Column: from, To: to})
			}
		}
	}
	// A table rebuild renames its new table into place: new_users to
	// users is no rename of the schema's.
	return slices.DeleteFunc(out, func(r Rename) bool {
		return r.Column == "" && strings.HasPrefix(strings.ToLower(r.Table), "new_") && strings.EqualFold(r.Table[4:], r.To)
	}), nil
}
