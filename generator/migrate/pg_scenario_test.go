package migrate

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPostgresScenarios plans a change of the schema files from v1 to v2
// on both sides, as dbgen migrate diff does, and applies the PostgreSQL
// migration with the runtime to a real server: up, down, up again, the
// rows checked after each step. Both folders pass check after each plan.
func TestPostgresScenarios(t *testing.T) {
	tests := []struct {
		name        string
		v1, v2      string
		destructive bool
		renames     []Rename
		seed        []string // run at v1
		v1Checks    []string // queries at v1
		v2Checks    []string // queries at v2; v1Checks when nil
		atV1        []string
		up          []string
		down        []string // atV1 when nil
		upSQL       []string // in the PostgreSQL migration
	}{
		{
			name:     "add a column with a DEFAULT and NOT NULL",
			v1:       `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);`,
			v2:       `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'active', score INTEGER NOT NULL DEFAULT 0);`,
			seed:     []string{`INSERT INTO users (name) VALUES ('ann'), ('bob')`},
			v1Checks: []string{`SELECT * FROM users ORDER BY id`},
			atV1:     []string{"1|ann", "2|bob"},
			up:       []string{"1|ann|active|0", "2|bob|active|0"},
			upSQL:    []string{`ADD COLUMN "status" text NOT NULL DEFAULT 'active'`},
		},
		{
			name:     "change a column's type (a rebuild on SQLite)",
			v1:       `CREATE TABLE items (id INTEGER PRIMARY KEY, qty TEXT);`,
			v2:       `CREATE TABLE items (id INTEGER PRIMARY KEY, qty INTEGER);`,
			seed:     []string{`INSERT INTO items (qty) VALUES ('10'), (NULL), ('7')`},
			v1Checks: []string{`SELECT id, qty, pg_typeof(qty) FROM items ORDER BY id`},
			atV1:     []string{"1|10|text", "2|NULL|text", "3|7|text"},
			up:       []string{"1|10|bigint", "2|NULL|bigint", "3|7|bigint"},
			upSQL:    []string{`ALTER COLUMN "qty" TYPE bigint USING "qty"::bigint`},
		},
		{
			name:     "add a CHECK (a rebuild on SQLite)",
			v1:       `CREATE TABLE items (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL);`,
			v2:       `CREATE TABLE items (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL CHECK (qty >= 0));`,
			seed:     []string{`INSERT INTO items (qty) VALUES (1), (2)`},
			v1Checks: []string{`SELECT * FROM items ORDER BY id`, `SELECT count(*) FROM pg_constraint WHERE contype = 'c' AND conrelid = 'items'::regclass`},
			atV1:     []string{"1|1", "2|2", "--", "0"},
			up:       []string{"1|1", "2|2", "--", "1"},
			upSQL:    []string{`ADD CONSTRAINT`, `CHECK`},
		},
		{
			name:     "make a column NOT NULL with a DEFAULT",
			v1:       `CREATE TABLE users (id INTEGER PRIMARY KEY, bio TEXT);`,
			v2:       `CREATE TABLE users (id INTEGER PRIMARY KEY, bio TEXT NOT NULL DEFAULT '');`,
			seed:     []string{`INSERT INTO users (bio) VALUES (NULL), ('hi')`},
			v1Checks: []string{`SELECT id, coalesce(bio, 'NULL') FROM users ORDER BY id`},
			atV1:     []string{"1|NULL", "2|hi"},
			up:       []string{"1|", "2|hi"},
			down:     []string{"1|", "2|hi"},
			upSQL:    []string{`UPDATE "users" SET "bio" = '' WHERE "bio" IS NULL`},
		},
		{
			name: "rename a column",
			v1: `CREATE TABLE users (id INTEGER PRIMARY KEY, full_name TEXT NOT NULL UNIQUE);
CREATE INDEX users_by_name ON users (full_name);`,
			v2: `CREATE TABLE users (id INTEGER PRIMARY KEY, display_name TEXT NOT NULL UNIQUE);
CREATE INDEX users_by_name ON users (display_name);`,
			renames:  []Rename{{Table: "users", Column: "full_name", To: "display_name"}},
			seed:     []string{`INSERT INTO users (full_name) VALUES ('Ann'), ('Bob')`},
			v1Checks: []string{`SELECT id, full_name FROM users ORDER BY id`},
			v2Checks: []string{`SELECT id, display_name FROM users ORDER BY id`},
			atV1:     []string{"1|Ann", "2|Bob"},
			up:       []string{"1|Ann", "2|Bob"},
			upSQL:    []string{`ALTER TABLE "users" RENAME COLUMN "full_name" TO "display_name"`, `ALTER INDEX "users_full_name_key" RENAME TO "users_display_name_key"`},
		},
		{
			name: "rename a table that others reference",
			v1: `CREATE TABLE posts (id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE, title TEXT);
CREATE TABLE comments (id INTEGER PRIMARY KEY, post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE, body TEXT);`,
			v2: `CREATE TABLE articles (id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE, title TEXT);
CREATE TABLE comments (id INTEGER PRIMARY KEY, post_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE, body TEXT);`,
			renames: []Rename{{Table: "posts", To: "articles"}},
			seed: []string{`INSERT INTO posts (slug, title) VALUES ('a', 'A'), ('b', 'B')`,
				`INSERT INTO comments (post_id, body) VALUES (1, 'x'), (2, 'y'), (2, 'z')`},
			v1Checks: []string{`SELECT * FROM posts ORDER BY id`, `SELECT * FROM comments ORDER BY id`},
			v2Checks: []string{`SELECT * FROM articles ORDER BY id`, `SELECT * FROM comments ORDER BY id`},
			atV1:     []string{"1|a|A", "2|b|B", "--", "1|1|x", "2|2|y", "3|2|z"},
			up:       []string{"1|a|A", "2|b|B", "--", "1|1|x", "2|2|y", "3|2|z"},
			upSQL:    []string{`ALTER TABLE "posts" RENAME TO "articles"`},
		},
		{
			name:     "add an index",
			v1:       `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);`,
			v2:       `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL); CREATE UNIQUE INDEX users_email ON users (lower(email)) WHERE email <> '';`,
			seed:     []string{`INSERT INTO users (email) VALUES ('a@x'), ('b@x')`},
			v1Checks: []string{`SELECT * FROM users ORDER BY id`, `SELECT count(*) FROM pg_indexes WHERE schemaname = 'test' AND indexname = 'users_email'`},
			atV1:     []string{"1|a@x", "2|b@x", "--", "0"},
			up:       []string{"1|a@x", "2|b@x", "--", "1"},
			upSQL:    []string{`CREATE UNIQUE INDEX "users_email" ON "users" ((lower(email))) WHERE (email <> ''::text)`},
		},
		{
			name:     "drop an index",
			v1:       `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL); CREATE INDEX users_email ON users (email);`,
			v2:       `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);`,
			seed:     []string{`INSERT INTO users (email) VALUES ('a@x'), ('b@x')`},
			v1Checks: []string{`SELECT * FROM users ORDER BY id`, `SELECT count(*) FROM pg_indexes WHERE schemaname = 'test' AND indexname = 'users_email'`},
			atV1:     []string{"1|a@x", "2|b@x", "--", "1"},
			up:       []string{"1|a@x", "2|b@x", "--", "0"},
			upSQL:    []string{`DROP INDEX "users_email"`},
		},
		{
			name: "change a view",
			v1: `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'active');
CREATE VIEW active_users AS SELECT id, name FROM users WHERE status = 'active';`,
			v2: `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'active');
CREATE VIEW active_users AS SELECT id, upper(name) AS name, status FROM users WHERE status <> 'gone';`,
			seed:     []string{`INSERT INTO users (name, status) VALUES ('ann', 'active'), ('bob', 'away'), ('cy', 'gone')`},
			v1Checks: []string{`SELECT * FROM active_users ORDER BY id`, `SELECT * FROM users ORDER BY id`},
			atV1:     []string{"1|ann", "--", "1|ann|active", "2|bob|away", "3|cy|gone"},
			up:       []string{"1|ANN|active", "2|BOB|away", "--", "1|ann|active", "2|bob|away", "3|cy|gone"},
			upSQL:    []string{`DROP VIEW "active_users"`, `CREATE VIEW "active_users"`},
		},
		{
			name: "drop a column a view reads",
			v1: `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, bio TEXT);
CREATE VIEW named AS SELECT id, name, bio FROM users;`,
			v2: `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE VIEW named AS SELECT id, name FROM users;`,
			destructive: true,
			seed:        []string{`INSERT INTO users (name, bio) VALUES ('ann', 'hi'), ('bob', NULL)`},
			v1Checks:    []string{`SELECT * FROM named ORDER BY id`},
			atV1:        []string{"1|ann|hi", "2|bob|NULL"},
			up:          []string{"1|ann", "2|bob"},
			down:        []string{"1|ann|NULL", "2|bob|NULL"},
			upSQL:       []string{`-- atlas:nolint destructive`, `DROP COLUMN "bio"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newPGEnv(t)
			v1 := e.plan(t, "v1", tt.v1, planOpts{})
			e.verify(t, tt.v1)
			e.up(t)
			e.exec(t, tt.seed...)
			check := func(step string, queries, want []string) {
				t.Helper()
				if diff := cmp.Diff(want, e.rows(t, queries...)); diff != "" {
					t.Fatalf("%s (-want +got):\n%s", step, diff)
				}
			}
			check("at v1", tt.v1Checks, tt.atV1)
			v2 := e.plan(t, "v2", tt.v2, planOpts{allowDestructive: tt.destructive, renames: tt.renames})
			e.verify(t, tt.v2)
			upFile := readFile(t, e.pgDir+"/"+v2+"_v2.sql")
			for _, s := range tt.upSQL {
				if !strings.Contains(upFile, s) {
					t.Errorf("the migration lacks %q:\n%s", s, upFile)
				}
			}
			v2Checks := tt.v2Checks
			if v2Checks == nil {
				v2Checks = tt.v1Checks
			}
			e.up(t)
			check("after up", v2Checks, tt.up)
			e.down(t, v1)
			down := tt.down
			if down == nil {
				down = tt.atV1
			}
			check("after down", tt.v1Checks, down)
			e.up(t)
			if tt.down == nil {
				check("after up again", v2Checks, tt.up)
			}
		})
	}
}
