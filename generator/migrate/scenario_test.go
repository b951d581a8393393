package migrate

import (
	"github.com/dbgen-dev/dbgen/internal/sqlitetest"

	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	rtmigrate "github.com/dbgen-dev/dbgen/runtime/migrate"
)

// TestScenarios plans a schema change from DDL v1 to v2 into a real
// migrations directory, applies it to a database file with rows in it using
// the runtime, then reverts it and applies it again. The rows are checked
// after every step.
func TestScenarios(t *testing.T) {
	tests := []struct {
		name        string
		v1, v2      string
		destructive bool     // the change drops data: plan it allowing that
		seed        []string // run once at v1
		probe       []string // run after every step, before the checks
		v1Checks    []string // queries at v1; their rows are listed in order, separated by "--"
		v2Checks    []string // queries at v2; v1Checks when nil
		atV1        []string // rows after the seed
		up          []string // rows after up
		down        []string // rows after down; atV1 when nil
		upAgain     []string // rows after up again; up when nil
		downNote    string   // a line the down script's header must have
	}{
		{
			name:     "add a column with a default",
			v1:       `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);`,
			v2:       `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'active' COLLATE NOCASE);`,
			seed:     []string{`INSERT INTO users (name) VALUES ('ann'), ('bob')`},
			v1Checks: []string{`SELECT * FROM users ORDER BY id`},
			atV1:     []string{"1|ann", "2|bob"},
			up:       []string{"1|ann|active", "2|bob|active"},
			downNote: `-- DATA LOSS: this script drops column "status" of table "users"`,
		},
		{
			name:        "drop a column (table rebuild)",
			v1:          `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, bio TEXT);`,
			v2:          `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);`,
			destructive: true,
			seed:        []string{`INSERT INTO users (name, bio) VALUES ('ann', 'hi'), ('bob', NULL)`},
			v1Checks:    []string{`SELECT * FROM users ORDER BY id`},
			atV1:        []string{"1|ann|hi", "2|bob|NULL"},
			up:          []string{"1|ann", "2|bob"},
			down:        []string{"1|ann|NULL", "2|bob|NULL"},
			downNote:    `-- IRREVERSIBLE: ` + "%s" + ` dropped column "bio" of table "users"; this script re-creates it without its data.`,
		},
		{
			name:     "make a column NOT NULL",
			v1:       `CREATE TABLE users (id INTEGER PRIMARY KEY, bio TEXT);`,
			v2:       `CREATE TABLE users (id INTEGER PRIMARY KEY, bio TEXT NOT NULL DEFAULT '');`,
			seed:     []string{`INSERT INTO users (bio) VALUES (NULL), ('hi')`},
			v1Checks: []string{`SELECT id, quote(bio) FROM users ORDER BY id`},
			atV1:     []string{"1|NULL", "2|'hi'"},
			up:       []string{"1|''", "2|'hi'"},
			down:     []string{"1|''", "2|'hi'"},
		},
		{
			name: "rebuild a parent table with ON DELETE CASCADE children",
			v1: `CREATE TABLE parents (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parents (id) ON DELETE CASCADE, name TEXT);`,
			v2: `CREATE TABLE parents (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT 'unnamed');
CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parents (id) ON DELETE CASCADE, name TEXT);`,
			seed: []string{
				`INSERT INTO parents (name) VALUES ('p1'), (NULL)`,
				`INSERT INTO children (parent_id, name) VALUES (1, 'c1'), (1, 'c2'), (2, 'c3')`,
			},
			v1Checks: []string{`SELECT * FROM parents ORDER BY id`, `SELECT * FROM children ORDER BY id`, `PRAGMA foreign_keys`},
			atV1:     []string{"1|p1", "2|NULL", "--", "1|1|c1", "2|1|c2", "3|2|c3", "--", "1"},
			up:       []string{"1|p1", "2|unnamed", "--", "1|1|c1", "2|1|c2", "3|2|c3", "--", "1"},
			down:     []string{"1|p1", "2|unnamed", "--", "1|1|c1", "2|1|c2", "3|2|c3", "--", "1"},
		},
		{
			name:     "rename a table",
			v1:       `CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);`,
			v2:       `CREATE TABLE memos (id INTEGER PRIMARY KEY, body TEXT NOT NULL);`,
			seed:     []string{`INSERT INTO notes (body) VALUES ('one'), ('two')`},
			v1Checks: []string{`SELECT * FROM notes ORDER BY id`},
			v2Checks: []string{`SELECT * FROM memos ORDER BY id`},
			atV1:     []string{"1|one", "2|two"},
			up:       []string{"1|one", "2|two"},
		},
		{
			name: "add an index and a foreign key",
			v1: `CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER, title TEXT);`,
			v2: `CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES authors (id), title TEXT);
CREATE INDEX posts_author ON posts (author_id);`,
			seed: []string{`INSERT INTO authors (name) VALUES ('ann')`, `INSERT INTO posts (author_id, title) VALUES (1, 't1'), (1, 't2')`},
			v1Checks: []string{
				`SELECT * FROM posts ORDER BY id`,
				`SELECT "table", "from", "to" FROM pragma_foreign_key_list('posts')`,
				`SELECT name FROM pragma_index_list('posts') ORDER BY name`,
			},
			atV1: []string{"1|1|t1", "2|1|t2", "--", "--"},
			up:   []string{"1|1|t1", "2|1|t2", "--", "authors|author_id|id", "--", "posts_author"},
		},
		{
			name: "change a view",
			v1: `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT, active INTEGER NOT NULL DEFAULT 1);
CREATE VIEW active_users AS SELECT id, name FROM users WHERE active;`,
			v2: `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT, active INTEGER NOT NULL DEFAULT 1);
CREATE VIEW active_users AS SELECT id, name, email FROM users WHERE active;`,
			seed:     []string{`INSERT INTO users (name, email, active) VALUES ('ann', 'a@x', 1), ('bob', 'b@x', 0)`},
			v1Checks: []string{`SELECT * FROM active_users ORDER BY id`},
			atV1:     []string{"1|ann"},
			up:       []string{"1|ann|a@x"},
		},
		{
			name: "add a trigger",
			v1: `CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT NOT NULL);
CREATE TABLE counters (name TEXT PRIMARY KEY, n INTEGER NOT NULL);`,
			v2: `CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT NOT NULL);
CREATE TABLE counters (name TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TRIGGER count_orders AFTER INSERT ON orders BEGIN
  UPDATE counters SET n = n + CASE WHEN new.item = 'free;' THEN 0 ELSE 1 END WHERE name = 'orders';
END;`,
			seed:     []string{`INSERT INTO counters VALUES ('orders', 0)`},
			probe:    []string{`INSERT INTO orders (item) VALUES ('x')`},
			v1Checks: []string{`SELECT n FROM counters`, `SELECT count(*) FROM orders`},
			atV1:     []string{"0", "--", "1"},
			up:       []string{"1", "--", "2"},
			down:     []string{"1", "--", "3"},
			upAgain:  []string{"2", "--", "4"},
		},
		{
			name: "rebuild a table under a view and a trigger",
			v1: `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, legacy TEXT);
CREATE TABLE audit (user_id INTEGER);
CREATE VIEW names AS SELECT name FROM users;
CREATE TRIGGER audit_users AFTER INSERT ON users BEGIN INSERT INTO audit VALUES (new.id); END;`,
			v2: `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE audit (user_id INTEGER);
CREATE VIEW names AS SELECT name FROM users;
CREATE TRIGGER audit_users AFTER INSERT ON users BEGIN INSERT INTO audit VALUES (new.id); END;`,
			destructive: true,
			probe:       []string{`INSERT INTO users (name) VALUES ('u')`},
			v1Checks:    []string{`SELECT count(*) FROM names`, `SELECT count(*) FROM audit`},
			atV1:        []string{"1", "--", "1"},
			up:          []string{"2", "--", "2"},
			down:        []string{"3", "--", "3"},
			upAgain:     []string{"4", "--", "4"},
		},
		{
			name:     "drop a UNIQUE constraint",
			v1:       `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE);`,
			v2:       `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);`,
			seed:     []string{`INSERT INTO users (email) VALUES ('a@x')`},
			v1Checks: []string{`SELECT * FROM users`, `SELECT "unique" FROM pragma_index_list('users')`},
			atV1:     []string{"1|a@x", "--", "1"},
			up:       []string{"1|a@x", "--"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			dir := filepath.Join(t.TempDir(), "migrations")
			now := clock()
			r1 := plan(t, dir, "init", tt.v1, now, false)
			dirV1 := copyDir(t, dir)
			r2 := plan(t, dir, "change", tt.v2, now, tt.destructive)
			if !r2.Changed() {
				t.Fatal("v1 to v2 planned no change")
			}
			if findings, err := Verify(ctx, dir, tt.v2); err != nil || len(findings) > 0 {
				t.Fatalf("Verify = %v, %v; want no findings", findings, err)
			}
			if tt.downNote != "" {
				upName := filepath.Base(r2.Files[0].Path)
				note := strings.ReplaceAll(tt.downNote, "%s", upName)
				if down := string(r2.Files[1].Data); !strings.Contains(down, note) {
					t.Errorf("down script lacks %q:\n%s", note, down)
				}
			}
			v2Checks := tt.v2Checks
			if v2Checks == nil {
				v2Checks = tt.v1Checks
			}
			db := openFile(t, filepath.Join(t.TempDir(), "test.db"))
			step := func(name string, do func() error, checks, want []string, version string) {
				t.Helper()
				if err := do(); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				sqlitetest.Exec(t, db, tt.probe...)
				if diff := cmp.Diff(want, snapshot(t, db, checks)); diff != "" {
					t.Errorf("rows after %s (-want +got):\n%s", name, diff)
				}
				if got, err := rtmigrate.Version(ctx, db); err != nil || got != version {
					t.Errorf("version after %s = %q, %v; want %q", name, got, err, version)
				}
			}
			step("up to v1", func() error {
				if err := rtmigrate.Up(ctx, db, os.DirFS(dirV1)); err != nil {
					return err
				}
				sqlitetest.Exec(t, db, tt.seed...)
				return nil
			}, tt.v1Checks, tt.atV1, r1.Version)
			up := func() error { return rtmigrate.Up(ctx, db, os.DirFS(dir)) }
			step("up", up, v2Checks, tt.up, r2.Version)
			step("down", func() error { return rtmigrate.Down(ctx, db, os.DirFS(dir), r1.Version) },
				tt.v1Checks, or(tt.down, tt.atV1), r1.Version)
			step("up again", up, v2Checks, or(tt.upAgain, tt.up), r2.Version)
		})
	}
}

// snapshot returns the rows of each query, the queries separated by "--".
func snapshot(t testing.TB, db *sql.DB, queries []string) []string {
	t.Helper()
	var out []string
	for i, q := range queries {
		if i > 0 {
			out = append(out, "--")
		}
		out = append(out, sqlitetest.Rows(t, db, q)...)
	}
	return out
}

func or(a, b []string) []string {
	if a != nil {
		return a
	}
	return b
}
