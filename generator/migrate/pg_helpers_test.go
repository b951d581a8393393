package migrate

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/dbgen-dev/dbgen/generator/discover"
	"github.com/dbgen-dev/dbgen/internal/pgtest"
	rtmigrate "github.com/dbgen-dev/dbgen/runtime/migrate"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// pgEnv is a project's two migrations folders, a dev database to plan on,
// and a PostgreSQL database whose schema "test" the migrations are applied
// to.
type pgEnv struct {
	dev       *PostgresDev
	target    *sql.DB // its connections' search_path is the schema test
	sqliteDir string
	pgDir     string
	now       func() time.Time
}

func newPGEnv(t *testing.T) *pgEnv {
	t.Helper()
	srv := pgtest.Start(t)
	ctx := context.Background()
	dev, err := OpenPostgresDev(ctx, "--dev-url", srv.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dev.Close() })
	url := srv.NewDatabase(t)
	admin, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA test"); err != nil {
		t.Fatal(err)
	}
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	cfg.RuntimeParams["search_path"] = "test, public" // as the runtime has it
	// The schema changes under the pool: no statement cache.
	cfg.DefaultQueryExecMode = pgx.QueryExecModeExec
	target := stdlib.OpenDB(*cfg)
	t.Cleanup(func() { target.Close() })
	dir := filepath.Join(t.TempDir(), "migrations")
	return &pgEnv{dev: dev, target: target, sqliteDir: dir, pgDir: filepath.Join(dir, PostgresDir), now: clock()}
}

// derive derives the PostgreSQL schema of SQLite DDL.
func derive(t testing.TB, ddl string) *PostgresSchema { return deriveWith(t, ddl, "") }

type planOpts struct {
	allowDestructive bool
	renames          []Rename
	overrides        string // the schema's override file, schema.postgres.sql
}

// derive derives the PostgreSQL schema of SQLite DDL and its override file.
func deriveWith(t testing.TB, ddl, overrides string) *PostgresSchema {
	t.Helper()
	db, err := LoadDDL(context.Background(), "test", "schema.sql", ddl)
	if err != nil {
		t.Fatal(err)
	}
	var files []*discover.File
	if overrides != "" {
		files = append(files, &discover.File{Path: "schema.postgres.sql", Data: []byte(overrides)})
	}
	s, err := DerivePostgres(db, files)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// plan plans the migration to ddl on both sides, as migrate diff does,
// and writes both; it returns the version.
func (e *pgEnv) plan(t *testing.T, name, ddl string, o planOpts) string {
	t.Helper()
	ctx := context.Background()
	res, err := PlanEngines(ctx, EnginesInput{
		PlanInput: PlanInput{Database: "test", DesiredDDL: ddl, Dir: e.sqliteDir, Name: name, Now: e.now,
			AllowDestructive: o.allowDestructive, Renames: o.renames},
		Postgres: deriveWith(t, ddl, o.overrides), Dev: e.dev,
	})
	if err != nil {
		t.Fatalf("plan %s: %v", name, err)
	}
	if !res.Changed() {
		t.Fatalf("plan %s: no change", name)
	}
	if err := res.Write(); err != nil {
		t.Fatal(err)
	}
	if testing.Verbose() {
		v := res.Version()
		t.Logf("%s:\n%s\ndown:\n%s", name, readFile(t, filepath.Join(e.pgDir, v+"_"+name+".sql")),
			readFile(t, filepath.Join(e.pgDir, "down", v+"_"+name+".sql")))
	}
	return res.Version()
}

func (e *pgEnv) up(t *testing.T) {
	t.Helper()
	if err := rtmigrate.Up(context.Background(), e.target, os.DirFS(e.pgDir)); err != nil {
		t.Fatalf("up: %v", err)
	}
}

func (e *pgEnv) down(t *testing.T, to string) {
	t.Helper()
	if err := rtmigrate.Down(context.Background(), e.target, os.DirFS(e.pgDir), to); err != nil {
		t.Fatalf("down to %s: %v", to, err)
	}
}

func (e *pgEnv) exec(t *testing.T, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := e.target.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// rows runs queries and returns their rows, each as its values joined by
// "|", the queries' rows separated by "--".
func (e *pgEnv) rows(t *testing.T, queries ...string) []string {
	t.Helper()
	var out []string
	for i, q := range queries {
		if i > 0 {
			out = append(out, "--")
		}
		rows, err := e.target.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			parts := make([]string, len(vals))
			for i, v := range vals {
				switch v := v.(type) {
				case nil:
					parts[i] = "NULL"
				case []byte:
					parts[i] = string(v)
				default:
					parts[i] = fmt.Sprint(v)
				}
			}
			out = append(out, strings.Join(parts, "|"))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return out
}

// verify checks both folders as dbgen check does, against ddl.
func (e *pgEnv) verify(t *testing.T, ddl string) { e.verifyWith(t, ddl, "") }

func (e *pgEnv) verifyWith(t *testing.T, ddl, overrides string) {
	t.Helper()
	ctx := context.Background()
	found, err := Verify(ctx, e.sqliteDir, ddl)
	if err != nil {
		t.Fatal(err)
	}
	offline, err := VerifyPostgresFiles(e.sqliteDir, e.pgDir, VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	online, err := VerifyPostgres(ctx, e.dev, e.pgDir, deriveWith(t, ddl, overrides))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append(append(found, offline...), online...) {
		if f.Severity == SeverityError {
			t.Errorf("check: %s", f)
		}
	}
}
