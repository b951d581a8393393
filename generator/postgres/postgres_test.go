package postgres

import (
	"context"
	"database/sql"
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
		if _, err := conn.ExecContext(ctx, "CREATE SCHEMA "+quote(s.Name)+"; SET search_path TO "+quote(s.Name)); err != nil {
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
