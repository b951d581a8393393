package migrate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPostgresInStep: the two folders have the same versions, or check
// says which one lacks which, and diff refuses to plan on folders out of
// step.
func TestPostgresInStep(t *testing.T) {
	e := newPGEnv(t)
	ctx := context.Background()
	v1ddl := `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);`
	v2ddl := `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, bio TEXT);`
	e.plan(t, "v1", v1ddl, planOpts{})
	e.verify(t, v1ddl)

	// A SQLite migration planned without its PostgreSQL one.
	res, err := Plan(ctx, PlanInput{Database: "test", DesiredDDL: v2ddl, Dir: e.sqliteDir, Name: "v2", Now: e.now})
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(e.sqliteDir, res); err != nil {
		t.Fatal(err)
	}
	name := res.Version + "_v2.sql"
	found, err := VerifyPostgresFiles(e.sqliteDir, e.pgDir, VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(e.sqliteDir, name) + ": DG106: has no PostgreSQL migration of its version in " + e.pgDir +
		": write it with dbgen migrate sync-postgres --dev-url URL"}
	if diff := cmp.Diff(want, findingStrings(found)); diff != "" {
		t.Errorf("check (-want +got):\n%s", diff)
	}
	_, err = PlanEngines(ctx, EnginesInput{
		PlanInput: PlanInput{Database: "test", DesiredDDL: v2ddl + "CREATE INDEX users_name ON users (name);", Dir: e.sqliteDir, Name: "v3", Now: e.now},
		Postgres:  derive(t, v2ddl), Dev: e.dev,
	})
	if err == nil || !strings.Contains(err.Error(), "not in step") || !strings.Contains(err.Error(), "dbgen migrate sync-postgres") {
		t.Errorf("diff on folders out of step: %v", err)
	}

	// The other way: a PostgreSQL migration without its SQLite one.
	for _, f := range []string{name, "down/" + name} {
		if err := os.Remove(filepath.Join(e.sqliteDir, f)); err != nil {
			t.Fatal(err)
		}
	}
	rehash(t, e.sqliteDir)
	pres, err := PlanPostgres(ctx, PostgresPlanInput{Database: "test", Desired: derive(t, v2ddl), Dir: e.pgDir, Name: "v2",
		Version: res.Version, Dev: e.dev})
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(e.pgDir, pres); err != nil {
		t.Fatal(err)
	}
	found, err = VerifyPostgresFiles(e.sqliteDir, e.pgDir, VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := findingStrings(found); len(got) != 1 || !strings.HasPrefix(got[0], filepath.Join(e.pgDir, name)+": DG106: has no SQLite migration of its version") {
		t.Errorf("check: %q", got)
	}

	// A folder that is not there at all, as when the target is turned on.
	if err := os.RemoveAll(e.pgDir); err != nil {
		t.Fatal(err)
	}
	found, err = VerifyPostgresFiles(e.sqliteDir, e.pgDir, VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := findingStrings(found); len(got) != 1 || !strings.Contains(got[0], "DG106: missing: the postgres target is on") {
		t.Errorf("check: %q", got)
	}
}

// hasStatements reports whether a script has a line other than comments.
func hasStatements(script string) bool {
	for _, l := range strings.Split(script, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "--") {
			return true
		}
	}
	return false
}

func findingStrings(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.String())
	}
	return out
}

// TestPostgresOneSided: a change that one engine's schema does not see
// gives the other a migration that changes nothing, of the same version.
func TestPostgresOneSided(t *testing.T) {
	e := newPGEnv(t)
	v1 := `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE VIEW names AS SELECT name FROM users;`
	e.plan(t, "v1", v1, planOpts{})
	// SQLite only: a collation PostgreSQL's derived schema does not have.
	v2 := `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL COLLATE RTRIM);
CREATE VIEW names AS SELECT name FROM users;`
	version := e.plan(t, "rtrim", v2, planOpts{})
	e.verify(t, v2)
	pg := readFile(t, filepath.Join(e.pgDir, version+"_rtrim.sql"))
	if !strings.Contains(pg, "nothing changes here") || hasStatements(pg) {
		t.Errorf("PostgreSQL migration:\n%s", pg)
	}
	// PostgreSQL only: an override file's view.
	override := `CREATE VIEW names AS SELECT upper(name) AS name FROM users;`
	version = e.plan(t, "override", v2, planOpts{overrides: override})
	e.verifyWith(t, v2, override)
	lite := readFile(t, filepath.Join(e.sqliteDir, version+"_override.sql"))
	if !strings.Contains(lite, "nothing changes here") || hasStatements(lite) {
		t.Errorf("SQLite migration:\n%s", lite)
	}
	e.up(t)
	e.exec(t, `INSERT INTO users (name) VALUES ('ann')`)
	if got := e.rows(t, `SELECT * FROM names`); !cmp.Equal(got, []string{"ANN"}) {
		t.Errorf("view: %q", got)
	}
}

// TestPostgresExtensionsAndTriggers: COLLATE NOCASE is citext, whose
// extension the migration creates; a trigger and its function come from
// the override file, and a change of the function drops and creates the
// trigger again.
func TestPostgresExtensionsAndTriggers(t *testing.T) {
	e := newPGEnv(t)
	v1 := `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE COLLATE NOCASE, status TEXT NOT NULL DEFAULT 'active');
CREATE TABLE sessions (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id));
CREATE TRIGGER users_end_sessions AFTER UPDATE OF status ON users WHEN NEW.status <> 'active'
BEGIN DELETE FROM sessions WHERE user_id = NEW.id; END;`
	trigger := func(cond string) string {
		return `CREATE FUNCTION users_end_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM sessions WHERE user_id = NEW.id;
    RETURN NEW;
END $$;
CREATE TRIGGER users_end_sessions AFTER UPDATE OF status ON users
FOR EACH ROW WHEN (` + cond + `) EXECUTE FUNCTION users_end_sessions();`
	}
	o1 := trigger(`NEW.status <> 'active'`)
	v1v := e.plan(t, "v1", v1, planOpts{overrides: o1})
	e.verifyWith(t, v1, o1)
	up := readFile(t, filepath.Join(e.pgDir, v1v+"_v1.sql"))
	for _, want := range []string{`CREATE EXTENSION IF NOT EXISTS citext SCHEMA public`, `"email" citext NOT NULL`, `CREATE TRIGGER users_end_sessions`} {
		if !strings.Contains(up, want) {
			t.Errorf("migration lacks %q:\n%s", want, up)
		}
	}
	e.up(t)
	e.exec(t, `INSERT INTO users (email) VALUES ('Ann@X'), ('bob@x')`, `INSERT INTO sessions (user_id) VALUES (1), (2)`)
	if got := e.rows(t, `SELECT id FROM users WHERE email = 'ann@x'`); !cmp.Equal(got, []string{"1"}) {
		t.Errorf("citext: %q", got)
	}

	o2 := trigger(`NEW.status NOT IN ('active', 'away')`)
	v2v := e.plan(t, "v2", v1, planOpts{overrides: o2})
	e.verifyWith(t, v1, o2)
	up = readFile(t, filepath.Join(e.pgDir, v2v+"_v2.sql"))
	if !strings.Contains(up, `DROP TRIGGER "users_end_sessions" ON "users"`) || strings.Contains(up, "EXTENSION") {
		t.Errorf("migration:\n%s", up)
	}
	e.up(t)
	e.exec(t, `UPDATE users SET status = 'away' WHERE id = 1`, `UPDATE users SET status = 'gone' WHERE id = 2`)
	if got := e.rows(t, `SELECT user_id FROM sessions ORDER BY id`); !cmp.Equal(got, []string{"1"}) {
		t.Errorf("sessions after the trigger: %q", got)
	}
	e.down(t, v1v)
	e.up(t)
}

// TestSyncPostgres: a database with SQLite migrations only gets their
// PostgreSQL ones, version by version, renames and allowed drops included,
// and then plans on both sides.
func TestSyncPostgres(t *testing.T) {
	e := newPGEnv(t)
	ctx := context.Background()
	steps := []struct {
		name, ddl   string
		renames     []Rename
		destructive bool
	}{
		{name: "initial", ddl: `CREATE TABLE users (id INTEGER PRIMARY KEY, full_name TEXT NOT NULL, bio TEXT);
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id), title TEXT NOT NULL);`},
		{name: "add_status", ddl: `CREATE TABLE users (id INTEGER PRIMARY KEY, full_name TEXT NOT NULL, bio TEXT, status TEXT NOT NULL DEFAULT 'active');
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id), title TEXT NOT NULL);
CREATE VIEW active AS SELECT id, full_name FROM users WHERE status = 'active';`},
		{name: "renames", renames: []Rename{{Table: "users", Column: "full_name", To: "name"}, {Table: "posts", To: "articles"}},
			ddl: `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, bio TEXT, status TEXT NOT NULL DEFAULT 'active');
CREATE TABLE articles (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id), title TEXT NOT NULL);
CREATE VIEW active AS SELECT id, name FROM users WHERE status = 'active';`},
		{name: "drop_bio", destructive: true, ddl: `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'active');
CREATE TABLE articles (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id), title TEXT NOT NULL);
CREATE VIEW active AS SELECT id, name FROM users WHERE status = 'active';`},
	}
	var versions []string
	for _, s := range steps {
		res, err := Plan(ctx, PlanInput{Database: "test", DesiredDDL: s.ddl, Dir: e.sqliteDir, Name: s.name, Now: e.now,
			Renames: s.renames, AllowDestructive: s.destructive})
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if err := Write(e.sqliteDir, res); err != nil {
			t.Fatal(err)
		}
		versions = append(versions, res.Version)
	}
	last := steps[len(steps)-1].ddl
	sync := func(want []string) {
		t.Helper()
		got, err := SyncPostgres(ctx, SyncInput{Database: "test", Dir: e.sqliteDir, Dev: e.dev})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("versions written (-want +got):\n%s", diff)
		}
		e.verify(t, last)
	}
	sync(versions)
	renames := readFile(t, filepath.Join(e.pgDir, versions[2]+"_renames.sql"))
	for _, want := range []string{`ALTER TABLE "users" RENAME COLUMN "full_name" TO "name"`, `ALTER TABLE "posts" RENAME TO "articles"`} {
		if !strings.Contains(renames, want) {
			t.Errorf("renames lacks %q:\n%s", want, renames)
		}
	}
	if drop := readFile(t, filepath.Join(e.pgDir, versions[3]+"_drop_bio.sql")); !strings.Contains(drop, "-- atlas:nolint destructive") {
		t.Errorf("drop_bio:\n%s", drop)
	}

	// Rows survive the renames on PostgreSQL.
	e.up(t)
	e.exec(t, `INSERT INTO users (name) VALUES ('ann')`, `INSERT INTO articles (user_id, title) VALUES (1, 'hi')`)
	e.down(t, versions[1])
	if got := e.rows(t, `SELECT id, full_name, status FROM users`, `SELECT * FROM posts`); !cmp.Equal(got, []string{"1|ann|active", "--", "1|1|hi"}) {
		t.Errorf("at %s: %q", versions[1], got)
	}
	e.up(t)

	// A folder synced in part gets the rest.
	name := versions[3] + "_drop_bio.sql"
	for _, f := range []string{name, "down/" + name} {
		if err := os.Remove(filepath.Join(e.pgDir, f)); err != nil {
			t.Fatal(err)
		}
	}
	rehash(t, e.pgDir)
	sync(versions[3:])
	sync(nil)

	// And the next change is planned on both sides.
	e.plan(t, "add_bio", strings.Replace(last, "status TEXT", "bio TEXT, status TEXT", 1), planOpts{})
}
