package main

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dbgen-dev/dbgen/generator"
	"github.com/dbgen-dev/dbgen/generator/check"
	"github.com/dbgen-dev/dbgen/generator/discover"
	"github.com/dbgen-dev/dbgen/generator/load"
	"github.com/dbgen-dev/dbgen/generator/migrate"
	"github.com/dbgen-dev/dbgen/generator/output"
	"github.com/dbgen-dev/dbgen/generator/pgdev"
	"github.com/dbgen-dev/dbgen/internal/sqliteconn"
	dbrt "github.com/dbgen-dev/dbgen/runtime"
	rtmigrate "github.com/dbgen-dev/dbgen/runtime/migrate"
)

func newMigrateCmd(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Plan, lint and apply versioned migrations (Atlas)",
		Long: `Migrations live in gen/<db>/migrations, next to the generated package that
embeds them: <UTC timestamp>_<name>.sql with atlas.sum, and each one's down
script under down/. generate never rewrites them.

With the postgres target on (targets: [sqlite, postgres] in dbgen.yaml), each
database has its PostgreSQL migrations in gen/<db>/migrations/postgres, laid
out the same way, with the same versions and names: diff writes both, and
sync-postgres writes those of migrations made before the target was on.
status, up, down and baseline apply them to a PostgreSQL database given with
--url postgres://..., each module database in its own PostgreSQL schema.`,
		Example: `  dbgen migrate diff add_avatar
  dbgen migrate up --dir data
  dbgen migrate up --url postgres://app@db.internal:5432/app`,
	}
	cmd.AddCommand(newMigrateDiffCmd(g), newMigrateSyncPostgresCmd(g), newMigrateLintCmd(g), newMigrateHashCmd(g),
		newMigrateApplyCmd(g, "status"), newMigrateApplyCmd(g, "up"),
		newMigrateApplyCmd(g, "down"), newMigrateApplyCmd(g, "baseline"))
	return cmd
}

func newMigrateDiffCmd(g *globalFlags) *cobra.Command {
	var dbName string
	var allowDestructive, interactive bool
	var renameFlags []string
	var devURL string
	cmd := &cobra.Command{
		Use:   "diff [name]",
		Short: "Write the next migration of each database whose schema files changed",
		Long: `diff plans the next migration of each database whose schema files changed.
A renamed column or table is planned as a drop and an add unless --rename
says it is a rename (ALTER TABLE ... RENAME, the down script renaming back);
when stdin is a terminal, diff asks about each dropped and added column of
the same type and table.

With the postgres target on (targets: [sqlite, postgres] in dbgen.yaml), each
migration is planned for both engines, with the same version and name:
gen/<db>/migrations/ for SQLite and gen/<db>/migrations/postgres/ (its own
atlas.sum and down/) for PostgreSQL, renames on both. The PostgreSQL side is
planned on a server, in scratch schemas that are always dropped: --dev-url or
DBGEN_DEV_URL gives it; without one nothing is written. Both files are
written, or neither.`,
		Example: `  dbgen migrate diff add_avatar
  dbgen migrate diff --db accounts drop_legacy --allow-destructive
  dbgen migrate diff rename_name --rename users.full_name=display_name --rename posts=articles
  dbgen migrate diff add_avatar --dev-url postgres://postgres@localhost:5432/dev   # postgres target on`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := "change"
			if len(args) == 1 {
				name = args[0]
			}
			ctx := cmd.Context()
			p, err := projectWithDB(g, dbName)
			if err != nil {
				return err
			}
			var renames []migrate.Rename
			for _, f := range renameFlags {
				r, err := migrate.ParseRename(f)
				if err != nil {
					return err
				}
				renames = append(renames, r)
			}
			if len(renames) > 0 && dbName == "" && len(p.Databases) > 1 {
				return fmt.Errorf("--rename needs --db NAME: the project has %d databases", len(p.Databases))
			}
			if !cmd.Flags().Changed("interactive") {
				interactive = isTerminal(cmd.InOrStdin())
			}
			var ask func(migrate.Rename) (bool, error)
			if interactive {
				ask = askRename(cmd.InOrStdin(), cmd.ErrOrStderr())
			}
			dbs, err := load.Run(ctx, p)
			if err != nil {
				return err
			}
			// With the postgres target on, every migration is planned for
			// both engines: without a server for the PostgreSQL side
			// nothing is written, lest the folders go out of step.
			dev, err := openMigrateDev(ctx, p, devURL, "migrate diff")
			if err != nil {
				return err
			}
			if dev != nil {
				defer dev.Close()
			}
			w := cmd.OutOrStdout()
			wrote := false
			err = func() error {
				for _, db := range dbs {
					if dbName != "" && db.Name != dbName {
						continue
					}
					dir := migrationsDir(p, db.Name)
					if err := checkInside(p, dir); err != nil {
						return err
					}
					in := migrate.EnginesInput{PlanInput: migrate.PlanInput{
						Database: db.Name, DesiredDDL: db.DDL(), Dir: dir, Name: name,
						Now: now, AllowDestructive: allowDestructive, Renames: renames, AskRename: ask,
					}}
					if dev != nil {
						pg, err := migrate.DerivePostgres(db, p.Database(db.Name).PostgresSchemas)
						if err != nil {
							return err
						}
						in.Postgres, in.Dev = pg, dev
					}
					res, err := migrate.PlanEngines(ctx, in)
					var destructive *migrate.DestructiveError
					if errors.As(err, &destructive) {
						for _, line := range destructiveLines(p, db, destructive) {
							fmt.Fprintln(w, line)
						}
						for _, r := range destructive.Renames {
							fmt.Fprintf(w, "%s: %s\n", db.Name, destructive.RenameHint(r))
						}
						fmt.Fprintf(w, "%s: nothing written: the change loses data; rerun with --allow-destructive if that is intended\n", db.Name)
						return findingsError{len(destructive.Findings)}
					}
					if err != nil {
						return fmt.Errorf("%s: %w", db.Name, err)
					}
					if !res.Changed() {
						fmt.Fprintf(w, "%s: no changes\n", db.Name)
						continue
					}
					if err := checkInside(p, res.Files()...); err != nil {
						return err
					}
					if err := res.Write(); err != nil {
						return fmt.Errorf("%s: %w", db.Name, err)
					}
					wrote = true
					if res.Postgres != nil {
						fmt.Fprintf(w, "%s: wrote migration %s, for SQLite and PostgreSQL (%s)\n", db.Name, res.Version(),
							relPath(p.Root, filepath.Join(dir, migrate.PostgresDir)))
					} else {
						fmt.Fprintf(w, "%s: wrote migration %s\n", db.Name, res.Version())
					}
					for _, f := range res.Findings() {
						f.File = relPath(p.Root, f.File)
						fmt.Fprintf(w, "  %s\n", f)
					}
				}
				return nil
			}()
			if !wrote {
				return err
			}
			// The packages embed their migrations: bring them in step, also
			// when a later database failed, so nothing written is left out.
			res, genErr := generator.Generate(ctx, g.options())
			if genErr != nil {
				return errors.Join(err, genErr)
			}
			fmt.Fprintln(w, res.Summary())
			warnUncovered(cmd.ErrOrStderr(), res)
			return err
		},
	}
	cmd.Flags().StringVar(&dbName, "db", "", "only this database")
	cmd.Flags().BoolVar(&allowDestructive, "allow-destructive", false, "accept changes that drop data (recorded in the file as an atlas:nolint directive)")
	cmd.Flags().StringArrayVar(&renameFlags, "rename", nil, "plan a rename, not a drop and an add: table.column=new_column or table=new_table (repeatable, in order)")
	cmd.Flags().BoolVar(&interactive, "interactive", false, "ask whether each dropped and added column of the same type is a rename (default: when stdin is a terminal)")
	addMigrateDevURL(cmd, &devURL)
	return cmd
}

// destructiveLines says what a refused migration would have done, one
// entry (of several lines) per destructive statement planned: at the
// schema file line of the table it changes (a dropped table's schema file,
// or its database, when several schema files feed it), not at the lines of
// the file that was not written, followed by the statements planned for the
// table (a SQLite table loses a column in a rebuild).
func destructiveLines(p *discover.Project, db *load.Database, de *migrate.DestructiveError) []string {
	var lines []string
	var last string
	for i, f := range de.Findings {
		loc := db.Name
		var planned migrate.PlannedStatement
		if i < len(de.Planned) {
			planned = de.Planned[i]
		}
		if st := db.Statement(planned.Table); planned.Table != "" && st != nil {
			loc = fmt.Sprintf("%s:%d", st.File.Path, st.Line)
		} else if d := p.Database(db.Name); d != nil && len(d.Schemas) == 1 {
			loc = d.Schemas[0].Path
		}
		lines = append(lines, fmt.Sprintf("%s: %s: %s", loc, f.Code, de.Reason(i))+plannedLines(planned, "", &last))
	}
	return lines
}

// plannedLines are the lines after a destructive finding of a migration
// that was not written: the statements planned for its table, on engine
// (" on PostgreSQL") or "" for SQLite; "as above" when they are those of
// the finding before, *last.
func plannedLines(planned migrate.PlannedStatement, engine string, last *string) string {
	var b strings.Builder
	for _, sql := range planned.Change {
		b.WriteString("\n    " + strings.ReplaceAll(sql, "\n", "\n    ") + ";")
	}
	switch stmts := b.String(); {
	case stmts == "":
		return ""
	case stmts == *last:
		return "\n  planned" + forTable(planned.Table) + engine + ", not written: as above"
	default:
		*last = stmts
		return "\n  planned" + forTable(planned.Table) + engine + ", not written:" + stmts
	}
}

// askRename returns the question diff asks about a possible rename, as
// Django's makemigrations does; anything but y or yes is no.
func askRename(in io.Reader, out io.Writer) func(migrate.Rename) (bool, error) {
	lines := bufio.NewScanner(in)
	return func(r migrate.Rename) (bool, error) {
		if r.Column == "" {
			fmt.Fprintf(out, "Did you rename table %s to %s? [y/N] ", r.Table, r.To)
		} else {
			fmt.Fprintf(out, "Did you rename %s.%s to %s.%s (%s)? [y/N] ", r.Table, r.Column, r.Table, r.To, r.Type)
		}
		if !lines.Scan() {
			fmt.Fprintln(out)
			return false, lines.Err()
		}
		answer := strings.ToLower(strings.TrimSpace(lines.Text()))
		return answer == "y" || answer == "yes", nil
	}
}

// isTerminal reports whether r is a terminal: a character device other
// than the null device, which CI jobs give as stdin.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	if err != nil || info.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err != nil || !os.SameFile(info, null)
}

func newMigrateLintCmd(g *globalFlags) *cobra.Command {
	var dbName, devURL string
	cmd := &cobra.Command{
		Use:   "lint [files...]",
		Short: "Lint migrations with Atlas's analyzers (destructive, data-dependent, incompatible)",
		Long: `lint runs Atlas's analyzers over the migrations of each database (all of
them, or those named). With the postgres target on and a dev database
(--dev-url or DBGEN_DEV_URL), the PostgreSQL migrations of the same names in
gen/<db>/migrations/postgres are linted too, with Atlas's PostgreSQL
analyzers, on the server; without one a line says they were not.`,
		Example: `  dbgen migrate lint --db accounts 20260101120000_add_avatar.sql
  dbgen migrate lint --dev-url postgres://postgres@localhost:5432/dev   # the PostgreSQL migrations too`,
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := projectWithDB(g, dbName)
			if err != nil {
				return err
			}
			var dev *migrate.PostgresDev
			// Without a dev database the SQLite side is linted all the same.
			if url, _ := migrateDevURL(devURL); url != "" {
				if dev, err = openMigrateDev(cmd.Context(), p, devURL, "lint"); err != nil {
					return err
				}
			}
			if dev != nil {
				defer dev.Close()
			}
			n, skipped := 0, false
			for _, db := range p.Databases {
				if dbName != "" && db.Name != dbName {
					continue
				}
				dir := migrationsDir(p, db.Name)
				if _, err := os.Stat(dir); err != nil {
					continue
				}
				found, err := migrate.Lint(cmd.Context(), dir, args)
				if err != nil {
					return fmt.Errorf("%s: %w", db.Name, err)
				}
				pgDir := filepath.Join(dir, migrate.PostgresDir)
				if _, err := os.Stat(pgDir); err == nil && p.Config.Postgres() {
					if dev == nil {
						skipped = true
					} else {
						pgFound, err := migrate.LintPostgres(cmd.Context(), dev, pgDir, args)
						if err != nil {
							return fmt.Errorf("%s: %w", db.Name, err)
						}
						found = append(found, pgFound...)
					}
				}
				for _, f := range found {
					f.File = relPath(p.Root, f.File)
					fmt.Fprintln(cmd.OutOrStdout(), f)
					if f.Severity == migrate.SeverityError {
						n++
					}
				}
			}
			if skipped {
				fmt.Fprintln(cmd.ErrOrStderr(), "dbgen migrate lint: the PostgreSQL migrations were not linted: that needs a server; give one with --dev-url or "+migrate.DevURLEnv)
			}
			if n > 0 {
				return findingsError{n}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dbName, "db", "", "only this database")
	addMigrateDevURL(cmd, &devURL)
	return cmd
}

func newMigrateHashCmd(g *globalFlags) *cobra.Command {
	var dbName, base string
	var force bool
	cmd := &cobra.Command{
		Use:   "hash",
		Short: "Rewrite atlas.sum after a deliberate edit of a migration not yet shipped",
		Long: `Migrations are append-only once shipped: check reports any edit. A
migration still in review may be edited by hand; hash then records the edit in
both atlas.sum files (the migrations and their down scripts), like atlas
migrate hash; and in those of migrations/postgres when it exists.

hash refuses to record an edit or a deletion of a shipped migration (or of
its down script), as check decides what was shipped: a migration that --base
has, or without --base one committed at HEAD. It lists each such file with
the git checkout that restores it and writes nothing. A database that
applied a migration never runs it again, so an edit there reaches only new
databases: the change belongs in a new migration (dbgen migrate diff).
atlas.sum is not the record of what was shipped, git is: check compares the
shipped files with --base (or HEAD) whatever atlas.sum says.

--force records the edit anyway, with a warning per file, for a history
rewritten on purpose (a migration committed but applied nowhere). check
still reports the file until the revision it compares with has the edit:
without --base once it is committed, with --base once the base has it.

Outside a git repository (or without git) dbgen cannot tell a shipped
migration from a new one: hash records every edit, as atlas migrate hash
does, and says so on stderr.`,
		Example: `  dbgen migrate hash
  dbgen migrate hash --db accounts
  dbgen migrate hash --base origin/main   # migrations committed on this branch only may still change
  dbgen migrate hash --force              # record an edit of a shipped migration anyway`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := projectWithDB(g, dbName)
			if err != nil {
				return err
			}
			type folders struct {
				db   string
				dirs []string
			}
			var todo []folders
			var shipped []check.ShippedChange
			noGit := false
			for _, db := range p.Databases {
				if dbName != "" && db.Name != dbName {
					continue
				}
				dir := migrationsDir(p, db.Name)
				if _, err := os.Stat(dir); err != nil {
					continue
				}
				dirs := []string{dir}
				pgDir := filepath.Join(dir, migrate.PostgresDir)
				if info, err := os.Stat(pgDir); err == nil && info.IsDir() {
					dirs = append(dirs, pgDir)
				}
				for _, d := range dirs {
					changes, inGit, err := check.ShippedChanges(cmd.Context(), p.Root, d, base)
					if err != nil {
						return err
					}
					noGit = noGit || !inGit
					shipped = append(shipped, changes...)
				}
				todo = append(todo, folders{db.Name, dirs})
			}
			w := cmd.OutOrStdout()
			if len(shipped) > 0 && !force {
				for _, c := range shipped {
					what := "edited, but shipped (%s has it): restore it (%s) and put the change in a new migration with dbgen migrate diff"
					if c.Deleted {
						what = "deleted, but shipped (%s has it): restore it (%s)"
					}
					fmt.Fprintf(w, "%s: DG101: "+what+"\n", c.File, c.Rev, c.Restore())
				}
				hint := "if they are only on your branch, name its base as check --base does (dbgen migrate hash --base origin/main); "
				if base != "" {
					hint = ""
				}
				fmt.Fprintf(w, "nothing written: hash records only migrations not yet shipped, and dbgen check refuses an edited shipped one whatever atlas.sum says; %sto record them anyway, --force\n", hint)
				return findingsError{len(shipped)}
			}
			for _, c := range shipped {
				verb := "an edit of"
				if c.Deleted {
					verb = "the deletion of"
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "dbgen migrate hash: warning: recording %s %s, shipped (%s has it), as --force asks: databases that applied it do not run it again, and dbgen check reports it until %s has the change\n",
					verb, c.File, c.Rev, c.Rev)
			}
			if noGit && base == "" {
				fmt.Fprintln(cmd.ErrOrStderr(), "dbgen migrate hash: not in a git repository: shipped migrations cannot be told from new ones, so every edit is recorded; edit only migrations applied nowhere")
			}
			for _, f := range todo {
				for _, d := range f.dirs {
					down := filepath.Join(d, rtmigrate.DownDir)
					if err := checkInside(p, filepath.Join(d, rtmigrate.SumFile), filepath.Join(down, rtmigrate.SumFile)); err != nil {
						return err
					}
					for _, d := range []string{d, down} {
						if err := migrate.Rehash(d); err != nil {
							return fmt.Errorf("%s: %w", f.db, err)
						}
					}
				}
				if len(f.dirs) > 1 {
					fmt.Fprintf(w, "%s: atlas.sum rewritten, SQLite and PostgreSQL\n", f.db)
				} else {
					fmt.Fprintf(w, "%s: atlas.sum rewritten\n", f.db)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dbName, "db", "", "only this database")
	cmd.Flags().StringVar(&base, "base", "", "git revision whose migrations are shipped, as check --base (default: those committed at HEAD)")
	cmd.Flags().BoolVar(&force, "force", false, "record an edit or deletion of a shipped migration anyway (check still reports it)")
	return cmd
}

func newMigrateApplyCmd(g *globalFlags, verb string) *cobra.Command {
	var dataDir, pgURL, dbName, target string
	short := map[string]string{
		"status":   "Show applied and pending migrations of the database files in --dir (or the PostgreSQL database at --url)",
		"up":       "Apply pending migrations to the database files in --dir (or the PostgreSQL database at --url)",
		"down":     "Revert a database in --dir (or at --url) to --to VERSION with the down scripts (-N: the latest N; base: all)",
		"baseline": "Mark an existing database as being at --to VERSION without running anything",
	}[verb]
	example := map[string]string{
		"status": `  dbgen migrate status --dir data
  dbgen migrate status --dir data --db accounts
  dbgen migrate status --url postgres://app@localhost:5432/app`,
		"up": `  dbgen migrate up --dir data
  dbgen migrate up --dir data --db accounts
  dbgen migrate up --url postgres://app@localhost:5432/app      # each database in its PostgreSQL schema
  dbgen migrate up --url "$DATABASE_URL" --db accounts`,
		"down": `  dbgen migrate down --dir data --db accounts --to -1     # revert the latest migration
  dbgen migrate down --dir data --db accounts --to 20260101120000
  dbgen migrate down --dir data --db accounts --to base   # revert them all
  dbgen migrate down --url postgres://app@localhost:5432/app --db accounts --to -1`,
		"baseline": `  dbgen migrate baseline --dir data --db accounts --to 20260101120000
  dbgen migrate baseline --url postgres://app@localhost:5432/app --db accounts --to 20260101120000`,
	}[verb]
	cmd := &cobra.Command{
		Use:   verb,
		Short: short,
		Long: short + `.

--dir is the folder of the SQLite files, <db>.db each, whose migrations are
those of gen/<db>/migrations. --url is a PostgreSQL database instead (the
postgres target on), as the generated Open and dbgen serve take one: each
module database is the PostgreSQL schema of its name there (up creates it),
its migrations those of gen/<db>/migrations/postgres, applied one file per
transaction, with an advisory lock so that two processes take turns. --dir
given a postgres:// URL is read as --url. Neither given, the databases are
where DATABASE_URL says, as the generated Open finds them (a folder, or a
postgres:// URL), else in data.`,
		Example: example,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			source := "--url"
			switch {
			case dataDir != "" && pgURL != "":
				return fmt.Errorf("--dir and --url both given: --dir is the folder of the SQLite files, --url a PostgreSQL database; give one")
			case isPostgresTarget(dataDir):
				pgURL, dataDir, source = dataDir, "", "--dir"
			case pgURL != "" && !isPostgresTarget(pgURL):
				return fmt.Errorf("--url %s: not a PostgreSQL URL; write postgres://user:password@host:5432/database (SQLite files: --dir DATA_DIR)", pgdev.Redact(pgURL))
			case dataDir == "" && pgURL == "":
				// Where the application's Open finds its databases.
				loc, err := dbrt.Location("")
				if err != nil {
					return fmt.Errorf("%w; or give --dir DATA_DIR or --url postgres://...", err)
				}
				if isPostgresTarget(loc) {
					pgURL, source = loc, "DATABASE_URL"
				} else {
					dataDir = loc
				}
			}
			if verb == "down" && (dbName == "" || target == "") {
				return fmt.Errorf("down needs --db NAME and --to VERSION (or --to -N for the latest N, or --to base for all)")
			}
			if verb == "baseline" && (dbName == "" || target == "") {
				return fmt.Errorf("baseline needs --db NAME and --to VERSION")
			}
			p, err := projectWithDB(g, dbName)
			if err != nil {
				return err
			}
			if pgURL != "" && !p.Config.Postgres() {
				return fmt.Errorf("%s %s is a PostgreSQL database, and the postgres target is off: add targets: [sqlite, postgres] to %s, "+
					"then write its migrations with dbgen migrate sync-postgres --dev-url URL", source, pgdev.Redact(pgURL), configName(p))
			}
			for _, db := range p.Databases {
				if dbName != "" && db.Name != dbName {
					continue
				}
				if pgURL != "" {
					err = applyPostgres(cmd, p, db.Name, source, pgURL, verb, target)
				} else {
					err = applyOne(cmd, p, db.Name, dataDir, verb, target)
				}
				if err != nil {
					return fmt.Errorf("%s: %w", db.Name, err)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dataDir, "dir", "", "folder of the SQLite database files (<db>.db) (default: DATABASE_URL, else data)")
	cmd.Flags().StringVar(&pgURL, "url", "", "PostgreSQL database (postgres://user:password@host:5432/database) instead of --dir: each database in the schema of its name")
	cmd.Flags().StringVar(&dbName, "db", "", "only this database")
	switch verb {
	case "down":
		cmd.Flags().StringVar(&target, "to", "", "target version; -N reverts the latest N migrations, base all of them")
	case "baseline":
		cmd.Flags().StringVar(&target, "to", "", "target version")
	}
	return cmd
}

func applyOne(cmd *cobra.Command, p *discover.Project, name, dataDir, verb, target string) error {
	ctx := cmd.Context()
	dir := migrationsDir(p, name)
	if _, err := os.Stat(filepath.Join(dir, rtmigrate.SumFile)); err != nil {
		return fmt.Errorf("no migrations in %s; run dbgen migrate diff first", relPath(p.Root, dir))
	}
	path := filepath.Join(dataDir, name+".db")
	if verb != "up" {
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("%s does not exist", path)
		}
	}
	db, err := openFile(ctx, path)
	if err != nil {
		return err
	}
	defer db.Close()
	fsys := os.DirFS(dir)
	w := cmd.OutOrStdout()
	if verb != "up" {
		return runMigrateVerb(ctx, w, db, fsys, name, verb, target)
	}
	before, _ := rtmigrate.Version(ctx, db)
	stamped, err := rtmigrate.Adopt(ctx, db, fsys, scratchDB)
	if ue := (*rtmigrate.UnknownSchemaError)(nil); errors.As(err, &ue) {
		return fmt.Errorf("%s has tables but no migration history, and its schema is the one of no migration: "+
			"compared with the closest, %s, it has %s; bring it to that schema, then stamp it there: "+
			"dbgen migrate baseline --dir %s --db %s --to %s",
			path, ue.Closest.File, ue.Differences, dataDir, name, ue.Closest.Version)
	}
	if err != nil {
		return err
	}
	if stamped != "" {
		fmt.Fprintf(w, "%s: made before its migrations: stamped at %s, whose schema it has\n", name, stamped)
		before = stamped
	}
	return migrateUp(ctx, w, db, fsys, name, before)
}

// migrateUp applies the pending migrations and says from which version to
// which.
func migrateUp(ctx context.Context, w io.Writer, db *sql.DB, fsys fs.FS, name, before string) error {
	if err := rtmigrate.Up(ctx, db, fsys); err != nil {
		return err
	}
	after, _ := rtmigrate.Version(ctx, db)
	fmt.Fprintf(w, "%s: %s -> %s\n", name, orBase(before), orBase(after))
	return nil
}

// runMigrateVerb runs migrate up, down, baseline or status on one
// database, a SQLite file or a PostgreSQL schema, and says what it did.
func runMigrateVerb(ctx context.Context, w io.Writer, db *sql.DB, fsys fs.FS, name, verb, target string) error {
	switch verb {
	case "up":
		before, _ := rtmigrate.Version(ctx, db)
		return migrateUp(ctx, w, db, fsys, name, before)
	case "down":
		plan, err := rtmigrate.PlanDown(ctx, db, fsys, target)
		if err != nil {
			return err
		}
		if len(plan.Reverted) == 0 {
			fmt.Fprintf(w, "%s: nothing to revert: at %s\n", name, plan.Target)
			return nil
		}
		n := len(plan.Reverted)
		fmt.Fprintf(w, "%s: reverting %d %s, latest first:\n", name, n, plural(n, "migration"))
		for _, m := range plan.Reverted {
			fmt.Fprintf(w, "  %s\n", m.File)
		}
		// The absolute target: what was listed is what is reverted.
		if err := rtmigrate.Down(ctx, db, fsys, plan.Target); err != nil {
			return err
		}
		fmt.Fprintf(w, "%s: now at %s\n", name, plan.Target)
	case "baseline":
		if err := rtmigrate.Baseline(ctx, db, fsys, target); err != nil {
			return err
		}
		fmt.Fprintf(w, "%s: marked as at %s\n", name, target)
	case "status":
		st, err := rtmigrate.Status(ctx, db, fsys)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s: current %s, %d applied, %d pending\n", name, orBase(st.Current), len(st.Applied), len(st.Pending))
		for _, m := range st.Pending {
			fmt.Fprintf(w, "  pending %s\n", m.File)
		}
	}
	return nil
}

// openFile opens a database file for the migrate commands: one connection,
// a busy timeout so a running application's writes are waited for.
func openFile(ctx context.Context, path string) (*sql.DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	db, err := sqliteconn.Open("file:"+filepath.ToSlash(abs)+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(wal)&_pragma=foreign_keys(1)", nil)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, db.PingContext(ctx)
}

// scratchDB opens the in-memory database that Adopt replays the migrations
// in, to learn the schema each one leaves.
func scratchDB(context.Context) (*sql.DB, error) {
	db, err := sqliteconn.Open(":memory:", nil)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1) // each connection to :memory: is a database of its own
	return db, nil
}

// now is the time that names a new migration: SOURCE_DATE_EPOCH when set,
// the reproducible-builds convention, so scripts and tests get stable names.
func now() time.Time {
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		if sec, err := strconv.ParseInt(s, 10, 64); err == nil {
			return time.Unix(sec, 0).UTC()
		}
	}
	return time.Now().UTC()
}

// projectWithDB discovers the project and checks that --db, when given,
// names one of its databases.
func projectWithDB(g *globalFlags, dbName string) (*discover.Project, error) {
	p, err := generator.Project(g.options())
	if err != nil {
		return nil, err
	}
	if dbName != "" && p.Database(dbName) == nil {
		return nil, fmt.Errorf("--db %s: no such database; see dbgen inspect", dbName)
	}
	return p, nil
}

// checkInside refuses to write where a symbolic link takes a path out of
// the module (see output.CheckInside).
func checkInside(p *discover.Project, paths ...string) error {
	rel := make([]string, len(paths))
	for i, path := range paths {
		rel[i] = relPath(p.Root, path)
	}
	return output.CheckInside(p.GoModuleDir, p.Root, rel...)
}

func migrationsDir(p *discover.Project, db string) string {
	return filepath.Join(p.Root, p.Config.Out, db, "migrations")
}

func relPath(root, path string) string {
	if rel, err := filepath.Rel(root, path); err == nil {
		return filepath.ToSlash(rel)
	}
	return path
}

func orBase(v string) string {
	if v == "" {
		return "base"
	}
	return v
}

// forTable names the table a planned statement changes, when known.
func forTable(table string) string {
	if table == "" {
		return ""
	}
	return " for table " + table
}
