package discover

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/dbgen-dev/dbgen/generator/config"
)

func postgresConfig() config.Config {
	cfg := config.Default()
	cfg.Targets = []string{config.TargetSQLite, config.TargetPostgres}
	return cfg
}

// TestPostgresOverrides: with the postgres target on, X.postgres.sql next
// to a schema or queries file X.sql gives the PostgreSQL text of what that
// file's database holds; it never feeds SQLite.
func TestPostgresOverrides(t *testing.T) {
	dir := module(t)
	writeFile(t, filepath.Join(dir, "a", "schema.sql"), "-- DATABASE_NAME: a\nCREATE TABLE t (id INTEGER PRIMARY KEY);\n")
	writeFile(t, filepath.Join(dir, "a", "schema.postgres.sql"), "CREATE VIEW v AS SELECT 1;\n")
	writeFile(t, filepath.Join(dir, "a", "queries.sql"), "-- name: X :one\nSELECT 1;\n")
	writeFile(t, filepath.Join(dir, "a", "queries.postgres.sql"), "-- name: X :one\nSELECT 2;\n")
	writeFile(t, filepath.Join(dir, "b", "users.schema.sql"), "-- DATABASE_NAME: b\nCREATE TABLE u (id INTEGER PRIMARY KEY);\n")
	writeFile(t, filepath.Join(dir, "b", "users.schema.postgres.sql"), "CREATE VIEW w AS SELECT 1;\n")

	p, err := Run(dir, postgresConfig())
	if err != nil {
		t.Fatal(err)
	}
	paths := func(fs []*File) string {
		var s []string
		for _, f := range fs {
			s = append(s, f.Path)
		}
		return strings.Join(s, " ")
	}
	a, b := p.Database("a"), p.Database("b")
	if a == nil || b == nil {
		t.Fatalf("databases: %v", p.Databases)
	}
	for _, c := range []struct{ got, want string }{
		{paths(a.Schemas), "a/schema.sql"},
		{paths(a.Queries), "a/queries.sql"},
		{paths(a.PostgresSchemas), "a/schema.postgres.sql"},
		{paths(a.PostgresQueries), "a/queries.postgres.sql"},
		{paths(b.Schemas), "b/users.schema.sql"},
		{paths(b.PostgresSchemas), "b/users.schema.postgres.sql"},
		{paths(b.PostgresQueries), ""},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}

	// Without the target the files are not read at all.
	p, err = Run(dir, config.Default())
	if err != nil {
		t.Fatal(err)
	}
	if a := p.Database("a"); len(a.PostgresSchemas)+len(a.PostgresQueries) != 0 {
		t.Errorf("target off: override files read: %v %v", a.PostgresSchemas, a.PostgresQueries)
	}
}

// TestPostgresOverrideAlone: an override file with no file of the same name
// next to it is an error saying how to name it.
func TestPostgresOverrideAlone(t *testing.T) {
	dir := module(t)
	writeFile(t, filepath.Join(dir, "a", "users.schema.sql"), "-- DATABASE_NAME: a\nCREATE TABLE t (id INTEGER PRIMARY KEY);\n")
	writeFile(t, filepath.Join(dir, "a", "users.postgres.sql"), "CREATE VIEW v AS SELECT 1;\n")
	_, err := Run(dir, postgresConfig())
	want := "a/users.postgres.sql: no users.sql next to it: an override file is named after the schema or queries file whose objects it gives in PostgreSQL (users.schema.sql → users.schema.postgres.sql, queries.sql → queries.postgres.sql)"
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

// TestPostgresOverrideNotGlobbed: a schema glob that matches *.postgres.sql
// does not make an override file a SQLite schema file.
func TestPostgresOverrideNotGlobbed(t *testing.T) {
	dir := module(t)
	writeFile(t, filepath.Join(dir, "a", "x.sql"), "-- DATABASE_NAME: a\nCREATE TABLE t (id INTEGER PRIMARY KEY);\n")
	writeFile(t, filepath.Join(dir, "a", "x.postgres.sql"), "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';\n")
	cfg := postgresConfig()
	cfg.SchemaGlobs = []string{"*.sql"}
	p, err := Run(dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	a := p.Database("a")
	if len(a.Schemas) != 1 || len(a.PostgresSchemas) != 1 || a.PostgresSchemas[0].Path != "a/x.postgres.sql" {
		t.Errorf("schemas %v, postgres %v", a.Schemas, a.PostgresSchemas)
	}
}

func TestPostgresPath(t *testing.T) {
	for in, want := range map[string]string{
		"schema.sql":           "schema.postgres.sql",
		"a/users.schema.sql":   "a/users.schema.postgres.sql",
		"queries.sql":          "queries.postgres.sql",
		"m/orders.queries.sql": "m/orders.queries.postgres.sql",
	} {
		if got := PostgresPath(in); got != want {
			t.Errorf("PostgresPath(%q) = %q, want %q", in, got, want)
		}
	}
}
