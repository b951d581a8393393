package postgres

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dbgen-dev/dbgen/generator/config"
	"github.com/dbgen-dev/dbgen/generator/discover"
	"github.com/dbgen-dev/dbgen/generator/load"
	"github.com/dbgen-dev/dbgen/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func loadExample(t *testing.T) []*load.Database {
	t.Helper()
	cfg, err := config.Load("../..", "")
	if err != nil {
		t.Fatal(err)
	}
	p, err := discover.Run("../..", cfg)
	if err != nil {
		t.Fatal(err)
	}
	dbs, err := load.Run(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return dbs
}

// TestExampleOnPostgres derives every database of the example application
// and creates it on a real server, each in a schema of its own.
func TestExampleOnPostgres(t *testing.T) {
	srv := pgtest.Start(t)
	db, err := sql.Open("pgx", srv.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	trigger := Override{Kind: "trigger", Name: "users_delete_sessions", SQL: `CREATE FUNCTION users_delete_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM sessions WHERE user_id = NEW.id;
    RETURN NEW;
END $$;
CREATE TRIGGER users_delete_sessions AFTER UPDATE OF status ON users
FOR EACH ROW WHEN (NEW.status <> 'active') EXECUTE FUNCTION users_delete_sessions()`}
	for _, ldb := range loadExample(t) {
		var overrides []Override
		if ldb.Name == "accounts" {
			overrides = []Override{trigger}
		}
		s, problems := Derive(ldb, overrides)
		if len(problems) > 0 {
			t.Fatalf("%s: %v", ldb.Name, problems)
		}
		ctx := context.Background()
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.ExecContext(ctx, "CREATE SCHEMA "+quote(s.Name)+"; SET search_path TO "+quote(s.Name)+", public"); err != nil {
			t.Fatal(err)
		}
		for _, st := range s.Statements {
			if _, err := conn.ExecContext(ctx, st.SQL); err != nil {
				t.Errorf("%s: %v\n%s", ldb.Name, err, st.SQL)
			}
		}
		conn.Close()
		if testing.Verbose() {
			t.Logf("%s:\n%s", ldb.Name, s.DDL())
		}
	}
}

// TestUnportable reports what cannot be carried over at its line.
func TestUnportable(t *testing.T) {
	for _, ldb := range loadExample(t) {
		if ldb.Name != "accounts" {
			continue
		}
		_, problems := Derive(ldb, nil)
		if len(problems) != 1 || !strings.Contains(problems[0].String(), "accounts/sessions.schema.sql:24: trigger users_delete_sessions") {
			t.Errorf("problems: %v", problems)
		}
	}
}

// derive loads one database from schema files and derives it, with the
// statements of its override files.
func derive(t *testing.T, files map[string]string) (*Schema, string) {
	t.Helper()
	dir := t.TempDir()
	files["go.mod"] = "module example.com/app\n"
	files["dbgen.yaml"] = "targets: [sqlite, postgres]\n"
	for name, text := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := config.Load(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	p, err := discover.Run(dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	dbs, err := load.Run(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	var overrides []Override
	for _, f := range p.Databases[0].PostgresSchemas {
		o, problems := ReadOverrides(f)
		if len(problems) > 0 {
			return nil, problems.Error()
		}
		overrides = append(overrides, o...)
	}
	s, problems := Derive(dbs[0], overrides)
	if len(problems) > 0 {
		return nil, problems.Error()
	}
	return s, ""
}

// apply creates a derived schema on the server, in a schema of its own,
// with the search_path the runtime gives its connections.
func apply(t *testing.T, db *sql.DB, s *Schema) {
	t.Helper()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "CREATE SCHEMA "+quote(s.Name)+"; SET search_path TO "+quote(s.Name)+", public"); err != nil {
		t.Fatal(err)
	}
	for _, st := range s.Statements {
		if _, err := conn.ExecContext(ctx, st.SQL); err != nil {
			t.Fatalf("%s: %v\n%s", s.Name, err, st.SQL)
		}
	}
}

// TestCitextInTwoSchemas: two databases with COLLATE NOCASE columns live
// side by side in one PostgreSQL database; citext, created once, is in
// public, where both see it (created in the first one's schema, the second
// could not use it).
func TestCitextInTwoSchemas(t *testing.T) {
	srv := pgtest.Start(t)
	db, err := sql.Open("pgx", srv.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, name := range []string{"one", "two"} {
		s, problems := derive(t, map[string]string{"schema.sql": "-- DATABASE_NAME: " + name + "\nCREATE TABLE u (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE COLLATE NOCASE);\n"})
		if problems != "" {
			t.Fatal(problems)
		}
		apply(t, db, s)
		if _, err := db.Exec(`INSERT INTO ` + name + `.u (email) VALUES ('A@x'); INSERT INTO ` + name + `.u (email) VALUES ('a@X')`); err == nil || !strings.Contains(err.Error(), "23505") {
			t.Errorf("%s: a second email differing in case only: %v, want a unique violation", name, err)
		}
	}
}

// TestTriggerOverride: a trigger is refused at its line with the file to
// give it in; that file's function and trigger then replace it, and run on
// the server.
func TestTriggerOverride(t *testing.T) {
	schema := `-- DATABASE_NAME: app
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, changes INTEGER NOT NULL DEFAULT 0);

CREATE TRIGGER users_count AFTER UPDATE OF email ON users
BEGIN
    UPDATE users SET changes = changes + 1 WHERE id = NEW.id;
END;
`
	_, problems := derive(t, map[string]string{"m/users.schema.sql": schema})
	want := "m/users.schema.sql:4: trigger users_count: a PostgreSQL trigger runs a function in PL/pgSQL, which dbgen does not derive from SQLite's; give the PostgreSQL text of trigger users_count (a CREATE FUNCTION ... RETURNS trigger and the CREATE TRIGGER that runs it) in m/users.schema.postgres.sql"
	if problems != want {
		t.Fatalf("got  %s\nwant %s", problems, want)
	}
	s, problems := derive(t, map[string]string{"m/users.schema.sql": schema, "m/users.schema.postgres.sql": `
CREATE FUNCTION users_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.changes := OLD.changes + 1; -- a ; in a body
    RETURN NEW;
END $$;

CREATE TRIGGER users_count BEFORE UPDATE OF email ON users
FOR EACH ROW EXECUTE FUNCTION users_count();
`})
	if problems != "" {
		t.Fatal(problems)
	}
	last := s.Statements[len(s.Statements)-1]
	if last.Override == nil || last.Override.Path != "m/users.schema.postgres.sql" || last.Override.Line != 8 {
		t.Errorf("last statement %+v, want the trigger of the override file at line 8", last)
	}
	srv := pgtest.Start(t)
	db, err := sql.Open("pgx", srv.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	apply(t, db, s)
	var changes int
	if _, err := db.Exec(`INSERT INTO app.users (email) VALUES ('a'); UPDATE app.users SET email = 'b'`); err != nil {
		t.Fatal(err)
	}
	err = db.QueryRow(`UPDATE app.users SET email = 'c' RETURNING changes`).Scan(&changes)
	if err != nil || changes != 2 {
		t.Errorf("changes = %d, %v; want 2", changes, err)
	}
}

// TestOverrideFileOpen: a string or body left open in an override file is
// an error at the line it opens.
func TestOverrideFileOpen(t *testing.T) {
	f := &discover.File{Path: "schema.postgres.sql", Data: []byte("CREATE VIEW v AS SELECT 1;\n\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$\nSELECT 1;\n")}
	_, problems := ReadOverrides(f)
	want := "schema.postgres.sql:3: the body quoted with $body$ is not closed; end it with $body$"
	if problems.Error() != want {
		t.Errorf("got  %v\nwant %s", problems, want)
	}
}
