package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/spf13/cobra"

	"github.com/dbgen-dev/dbgen/generator"
	"github.com/dbgen-dev/dbgen/generator/config"
	"github.com/dbgen-dev/dbgen/generator/discover"
	"github.com/dbgen-dev/dbgen/generator/migrate"
	"github.com/dbgen-dev/dbgen/generator/pgdev"
	rtmigrate "github.com/dbgen-dev/dbgen/runtime/migrate"
)

// addMigrateDevURL adds --dev-url to a migrate command that plans or
// checks PostgreSQL migrations.
func addMigrateDevURL(cmd *cobra.Command, p *string) {
	cmd.Flags().StringVar(p, "dev-url", "", "PostgreSQL server to plan the postgres target's migrations on: dbgen works in scratch schemas there, always dropped (default $"+migrate.DevURLEnv+")")
}

// migrateDevURL is the dev database's URL, --dev-url or DBGEN_DEV_URL,
// and which gave it.
func migrateDevURL(flag string) (url, source string) {
	if flag != "" {
		return flag, "--dev-url"
	}
	return os.Getenv(migrate.DevURLEnv), migrate.DevURLEnv
}

// openMigrateDev opens the dev database of a migrate command that does
// what when the postgres target is on; nil when it is off. Without a dev
// URL it is an error saying how to give one, and nothing is written: the
// SQLite migration alone would leave the folders out of step.
func openMigrateDev(ctx context.Context, p *discover.Project, flag, what string) (*migrate.PostgresDev, error) {
	url, source := migrateDevURL(flag)
	if !p.Config.Postgres() {
		if flag != "" {
			return nil, fmt.Errorf("--dev-url plans the postgres target's migrations, which %s does not turn on; add targets: [sqlite, postgres] to it, or drop --dev-url", configName(p))
		}
		return nil, nil
	}
	if url == "" {
		return nil, fmt.Errorf("the postgres target is on (%s), so %s needs a PostgreSQL server to plan on: "+
			"give one with --dev-url postgres://user@host:5432/db or %s (dbgen works in scratch schemas there, always dropped)",
			configName(p), what, migrate.DevURLEnv)
	}
	return migrate.OpenPostgresDev(ctx, source, url)
}

func configName(p *discover.Project) string {
	if p.Config.Path != "" {
		return relPath(p.Root, p.Config.Path)
	}
	return config.FileName
}

func newMigrateSyncPostgresCmd(g *globalFlags) *cobra.Command {
	var dbName, devURL string
	var allowDestructive bool
	cmd := &cobra.Command{
		Use:   "sync-postgres",
		Short: "Write the PostgreSQL migrations of existing SQLite migrations (when the postgres target is turned on)",
		Long: `With the postgres target turned on in dbgen.yaml, every SQLite migration needs
its PostgreSQL migration in gen/<db>/migrations/postgres, of the same version
and name. sync-postgres writes those the PostgreSQL folder lacks: for each
version in turn it replays the SQLite migrations to it, derives the
PostgreSQL schema of what they leave (with today's override files) and plans
the PostgreSQL migration from the version before, on the dev database.
Renames in a SQLite migration are renames on PostgreSQL too; a drop is
allowed where the SQLite migration records that it was (atlas:nolint).`,
		Example: `  dbgen migrate sync-postgres --dev-url postgres://postgres@localhost:5432/dev
  DBGEN_DEV_URL=postgres://postgres@localhost:5432/dev dbgen migrate sync-postgres --db accounts`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			p, err := projectWithDB(g, dbName)
			if err != nil {
				return err
			}
			if !p.Config.Postgres() {
				return fmt.Errorf("the postgres target is off: add targets: [sqlite, postgres] to %s first", configName(p))
			}
			dev, err := openMigrateDev(ctx, p, devURL, "sync-postgres")
			if err != nil {
				return err
			}
			defer dev.Close()
			w := cmd.OutOrStdout()
			wrote := false
			err = func() error {
				for _, db := range p.Databases {
					if dbName != "" && db.Name != dbName {
						continue
					}
					dir := migrationsDir(p, db.Name)
					if _, err := os.Stat(filepath.Join(dir, rtmigrate.SumFile)); err != nil {
						fmt.Fprintf(w, "%s: no SQLite migrations\n", db.Name)
						continue
					}
					pgDir := filepath.Join(dir, migrate.PostgresDir)
					if err := checkInside(p, pgDir, filepath.Join(pgDir, rtmigrate.DownDir)); err != nil {
						return err
					}
					versions, err := migrate.SyncPostgres(ctx, migrate.SyncInput{
						Database: db.Name, Dir: dir, OverrideFiles: db.PostgresSchemas, Dev: dev, AllowDestructive: allowDestructive,
					})
					if len(versions) > 0 {
						wrote = true
						fmt.Fprintf(w, "%s: wrote %d PostgreSQL %s: %s\n", db.Name, len(versions), plural(len(versions), "migration"), strings.Join(versions, ", "))
					}
					var destructive *migrate.DestructiveError
					if errors.As(err, &destructive) {
						// The PostgreSQL migration was not written: the
						// SQLite migration of its name, which is, says what
						// it plans.
						lite := relPath(p.Root, filepath.Join(dir, filepath.Base(destructive.File)))
						var last string
						for i, f := range destructive.Findings {
							var planned migrate.PlannedStatement
							if i < len(destructive.Planned) {
								planned = destructive.Planned[i]
							}
							fmt.Fprintf(w, "%s: %s: %s (in its PostgreSQL migration)%s\n", lite, f.Code, destructive.Reason(i), plannedLines(planned, " on PostgreSQL", &last))
						}
						fmt.Fprintf(w, "%s: stopped: the change loses data on PostgreSQL and its SQLite migration does not record that it may; rerun with --allow-destructive if that is intended\n", db.Name)
						return findingsError{len(destructive.Findings)}
					}
					if err != nil {
						return fmt.Errorf("%s: %w", db.Name, err)
					}
					if len(versions) == 0 {
						fmt.Fprintf(w, "%s: PostgreSQL migrations in step\n", db.Name)
					}
				}
				return nil
			}()
			if !wrote {
				return err
			}
			return errors.Join(err, regenerate(cmd, g))
		},
	}
	cmd.Flags().StringVar(&dbName, "db", "", "only this database")
	addMigrateDevURL(cmd, &devURL)
	cmd.Flags().BoolVar(&allowDestructive, "allow-destructive", false, "accept every change that drops data on PostgreSQL")
	return cmd
}

// openPostgresTarget opens the schema of a database on the PostgreSQL
// server at rawURL for the migrate commands, as the runtime's Open does:
// the schema first on the search_path, then public (extensions); one
// connection. up creates the schema when it is not there. source is the
// flag that gave the URL, for messages.
func openPostgresTarget(ctx context.Context, source, rawURL, schema string, create bool) (*sql.DB, error) {
	shown := pgdev.Redact(rawURL)
	cfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("%s %s: not a PostgreSQL URL dbgen can read; write postgres://user:password@host:5432/database", source, shown)
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = pgdev.ConnectTimeout
	}
	cfg.RuntimeParams["search_path"] = quoteIdentPG(schema) + ", public"
	cfg.RuntimeParams["TimeZone"] = "UTC"
	cfg.RuntimeParams["application_name"] = "dbgen migrate"
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(1)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%s %s: %s", source, shown, targetConnectError(err, cfg))
	}
	var exists bool
	if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1)`, schema).Scan(&exists); err != nil {
		db.Close()
		return nil, err
	}
	if !exists && !create {
		db.Close()
		return nil, &noSchemaError{fmt.Errorf("%s %s has no schema %s: nothing was migrated there yet; dbgen migrate up creates it", source, shown, schema)}
	}
	if !exists {
		if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+quoteIdentPG(schema)); err != nil {
			db.Close()
			return nil, fmt.Errorf("%s %s: create schema %s: %w", source, shown, schema, err)
		}
	}
	return db, nil
}

// targetConnectError says why the server at a migrate command's URL could
// not be used, on one line, with what to check.
func targetConnectError(err error, cfg *pgx.ConnConfig) string {
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &pe):
		return fmt.Sprintf("the server refuses the connection: %s (SQLSTATE %s)", pe.Message, pe.Code)
	case errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "timeout"):
		return fmt.Sprintf("cannot connect: no answer from %s:%d within %s; check the host and port, or raise connect_timeout in the URL", cfg.Host, cfg.Port, cfg.ConnectTimeout)
	}
	return "cannot connect: " + strings.Join(strings.Fields(err.Error()), " ")
}

// noSchemaError is openPostgresTarget's error for a database whose schema
// is not on the server: status reports every migration pending.
type noSchemaError struct{ error }

func (e *noSchemaError) Unwrap() error { return e.error }

func quoteIdentPG(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// isPostgresTarget reports whether a migrate target is a PostgreSQL URL.
func isPostgresTarget(s string) bool {
	s = strings.ToLower(s)
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// applyPostgres is applyOne on PostgreSQL: the database's schema on the
// server at rawURL, its migrations those of gen/<db>/migrations/postgres.
func applyPostgres(cmd *cobra.Command, p *discover.Project, name, source, rawURL, verb, target string) error {
	ctx := cmd.Context()
	dir := filepath.Join(migrationsDir(p, name), migrate.PostgresDir)
	if _, err := os.Stat(filepath.Join(dir, rtmigrate.SumFile)); err != nil {
		hint := "run dbgen migrate diff --dev-url URL"
		if _, err := os.Stat(filepath.Join(migrationsDir(p, name), rtmigrate.SumFile)); err == nil {
			hint = "write them with dbgen migrate sync-postgres --dev-url URL"
		}
		return fmt.Errorf("no PostgreSQL migrations in %s; %s", relPath(p.Root, dir), hint)
	}
	fsys := os.DirFS(dir)
	w := cmd.OutOrStdout()
	db, err := openPostgresTarget(ctx, source, rawURL, name, verb == "up")
	if ns := (*noSchemaError)(nil); verb == "status" && errors.As(err, &ns) {
		// Nothing applied yet; reading the revisions would find those of
		// the schema next on the search_path.
		files, err := fs.Glob(fsys, "*.sql")
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s: current base, 0 applied, %d pending (no schema %s there yet)\n", name, len(files), name)
		for _, f := range files {
			fmt.Fprintf(w, "  pending %s\n", f)
		}
		return nil
	}
	if err != nil {
		return err
	}
	defer db.Close()
	return runMigrateVerb(ctx, w, db, fsys, name, verb, target)
}

// regenerate brings the generated packages in step with the migrations
// just written: they embed them.
func regenerate(cmd *cobra.Command, g *globalFlags) error {
	res, err := generator.Generate(cmd.Context(), g.options())
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "generate: %d %s written in %s/\n", len(res.Written), plural(len(res.Written), "file"), res.Out)
	warnUncovered(cmd.ErrOrStderr(), res)
	return nil
}
