package migrate_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dbgen-dev/dbgen/internal/sqlitetest"
	"github.com/dbgen-dev/dbgen/runtime/migrate"
)

func describe(t *testing.T, stmts ...string) *migrate.Schema {
	t.Helper()
	db := newDB(t)
	sqlitetest.Exec(t, db, stmts...)
	s, err := migrate.Describe(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const schemaV1 = `CREATE TABLE users (
  id    INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name  TEXT NOT NULL DEFAULT 'x',
  bio   TEXT
);
CREATE INDEX users_name ON users (name DESC);
CREATE TABLE posts (
  id      INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title   TEXT,
  UNIQUE (user_id, title)
);
CREATE TABLE tags (post_id INTEGER NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (post_id, tag)) WITHOUT ROWID, STRICT;
CREATE VIEW named AS SELECT id, name FROM users WHERE name <> '';
CREATE TRIGGER posts_title AFTER INSERT ON posts BEGIN UPDATE posts SET title = 'untitled' WHERE id = new.id AND title IS NULL; END;
`

// TestDescribeSameStructure: databases built by other routes to the same
// schema describe the same.
func TestDescribeSameStructure(t *testing.T) {
	want := describe(t, schemaV1)
	tests := []struct {
		name  string
		stmts []string
	}{
		{"same DDL", []string{schemaV1}},
		{"other spelling, order and quoting", []string{`
create table "posts" ("id" integer primary key, user_id INTEGER not null references USERS(id) on delete cascade,
  title text, unique (user_id, title));
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT 'x', email TEXT NOT NULL, bio TEXT, UNIQUE (email));
create index "users_name" on users ("name" desc);
CREATE TABLE tags (tag TEXT NOT NULL, post_id INTEGER NOT NULL, PRIMARY KEY (post_id, tag)) STRICT, WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS "posts_title" AFTER INSERT ON "posts"
BEGIN
  update posts set title = 'untitled' where id = new.id and title is null;
END;
CREATE VIEW "named" AS SELECT "id", "name" FROM "users" WHERE name <> '';`}},
		{"migrations: add column, renames", []string{
			`CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, full_name TEXT NOT NULL DEFAULT 'x')`,
			`ALTER TABLE users RENAME COLUMN full_name TO name`,
			`ALTER TABLE users ADD COLUMN bio TEXT`,
			`CREATE INDEX users_name ON users (name DESC)`,
			`CREATE TABLE articles (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE, title TEXT, UNIQUE (user_id, title))`,
			`CREATE TRIGGER posts_title AFTER INSERT ON articles BEGIN UPDATE articles SET title = 'untitled' WHERE id = new.id AND title IS NULL; END`,
			`ALTER TABLE articles RENAME TO posts`,
			`CREATE TABLE tags (post_id INTEGER NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (post_id, tag)) WITHOUT ROWID, STRICT`,
			`CREATE VIEW named AS SELECT id, name FROM users WHERE name <> ''`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := describe(t, tt.stmts...)
			if diffs := got.Compare(want); len(diffs) > 0 {
				t.Errorf("differences: %s", diffs)
			}
		})
	}
}

func TestDescribeDifferences(t *testing.T) {
	want := describe(t, schemaV1)
	got := describe(t, `
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT, legacy INTEGER);
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id), title TEXT, UNIQUE (user_id, title));
CREATE VIEW named AS SELECT id, name FROM users;
CREATE TABLE old (x);
CREATE INDEX old_x ON old (x);
CREATE TABLE dbgen_revisions (version TEXT);
`)
	var lines []string
	for _, d := range got.Compare(want) {
		lines = append(lines, d.String())
	}
	wantLines := []string{
		`view "named" is defined differently`,
		`an extra table "old"`,
		`foreign key on (user_id) of table "posts" is REFERENCES users (id) ON UPDATE NO ACTION ON DELETE NO ACTION, want REFERENCES users (id) ON UPDATE NO ACTION ON DELETE CASCADE`,
		`no trigger "posts_title" in table "posts"`,
		`no table "tags"`,
		`no UNIQUE constraint on (email) in table "users"`,
		`no column "bio" in table "users"`,
		`an extra column "legacy" in table "users"`,
		`column "name" of table "users" is TEXT, want TEXT NOT NULL DEFAULT 'x'`,
		`no index "users_name" in table "users"`,
	}
	if diff := cmp.Diff(wantLines, lines); diff != "" {
		t.Errorf("differences (-want +got):\n%s", diff)
	}
}
