package migrate_test

import (
	"github.com/dbgen-dev/dbgen/internal/sqlitetest"

	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/dbgen-dev/dbgen/runtime/migrate"
)

const (
	v1 = "20250101000000"
	v2 = "20250102000000"
	v3 = "20250103000000"
)

// threeMigrations is a directory of three migrations with down scripts.
func threeMigrations() map[string]string {
	return map[string]string{
		v1 + "_users.sql":           "-- Create users\nCREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n",
		"down/" + v1 + "_users.sql": "DROP TABLE users;\n",
		v2 + "_posts.sql": `CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title TEXT
);
CREATE TRIGGER posts_title AFTER INSERT ON posts WHEN new.title IS NULL BEGIN
  UPDATE posts SET title = 'untitled; ' || CASE WHEN new.id > 0 THEN 'new' ELSE 'old' END WHERE id = new.id;
END;
`,
		"down/" + v2 + "_posts.sql": "DROP TABLE posts;\n",
		v3 + "_email.sql":           "ALTER TABLE users ADD COLUMN email TEXT;\n",
		"down/" + v3 + "_email.sql": "ALTER TABLE users DROP COLUMN email;\n",
	}
}

func pendingVersions(st migrate.State) []string {
	var vs []string
	for _, m := range st.Pending {
		vs = append(vs, m.Version)
	}
	return vs
}

func appliedVersions(st migrate.State) []string {
	var vs []string
	for _, r := range st.Applied {
		vs = append(vs, r.Version)
	}
	return vs
}

func TestUpStatusDown(t *testing.T) {
	ctx := context.Background()
	dir := os.DirFS(writeDir(t, threeMigrations()))
	db := newDB(t)

	st, err := migrate.Status(ctx, db, dir)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(migrate.State{Pending: []migrate.Migration{
		{Version: v1, Description: "users", File: v1 + "_users.sql"},
		{Version: v2, Description: "posts", File: v2 + "_posts.sql"},
		{Version: v3, Description: "email", File: v3 + "_email.sql"},
	}}, st); diff != "" {
		t.Errorf("status of a new database (-want +got):\n%s", diff)
	}

	if err := migrate.Up(ctx, db, dir); err != nil {
		t.Fatal(err)
	}
	sqlitetest.Exec(t, db, `INSERT INTO users (name, email) VALUES ('ann', 'a@x')`, `INSERT INTO posts (user_id) VALUES (1)`)
	if diff := cmp.Diff([]string{"1|1|untitled; new"}, sqlitetest.Rows(t, db, `SELECT * FROM posts`)); diff != "" {
		t.Errorf("trigger of a migration (-want +got):\n%s", diff)
	}
	st, err = migrate.Status(ctx, db, dir)
	if err != nil {
		t.Fatal(err)
	}
	if st.Current != v3 || len(st.Pending) != 0 || !cmp.Equal(appliedVersions(st), []string{v1, v2, v3}) {
		t.Errorf("status after up = %+v", st)
	}
	for _, r := range st.Applied {
		if r.Baseline || r.AppliedAt.IsZero() || len(r.Checksum) != 64 || r.Description == "" {
			t.Errorf("revision %+v: want applied, with time, checksum and description", r)
		}
	}
	// A second Up has nothing to do.
	if err := migrate.Up(ctx, db, dir); err != nil {
		t.Fatal(err)
	}

	if err := migrate.Down(ctx, db, dir, v1); err != nil {
		t.Fatal(err)
	}
	if got, err := migrate.Version(ctx, db); err != nil || got != v1 {
		t.Errorf("Version after down = %q, %v; want %s", got, err, v1)
	}
	if diff := cmp.Diff([]string{"1|ann"}, sqlitetest.Rows(t, db, `SELECT * FROM users`)); diff != "" {
		t.Errorf("users after down (-want +got):\n%s", diff)
	}
	st, _ = migrate.Status(ctx, db, dir)
	if diff := cmp.Diff([]string{v2, v3}, pendingVersions(st)); diff != "" {
		t.Errorf("pending after down (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"1"}, sqlitetest.Rows(t, db, `PRAGMA foreign_keys`)); diff != "" {
		t.Errorf("foreign_keys after down (-want +got):\n%s", diff)
	}

	if err := migrate.Down(ctx, db, dir, migrate.Base); err != nil {
		t.Fatal(err)
	}
	if got, err := migrate.Version(ctx, db); err != nil || got != "" {
		t.Errorf("Version after down to base = %q, %v; want none", got, err)
	}
	if got := schemaOf(t, db); len(got) != 0 {
		t.Errorf("schema after down to base = %q, want empty", got)
	}
}

// TestRefusedDirectory covers directories the runtime refuses before it
// touches the database: the error names the file and wraps ErrMigration.
func TestRefusedDirectory(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(t *testing.T, dir string)
		want   string
	}{
		{
			name: "migration edited after atlas.sum",
			tamper: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, v2+"_posts.sql"), "CREATE TABLE posts (id INTEGER PRIMARY KEY);\n")
			},
			want: "migrate " + v2 + "_posts.sql: edited after atlas.sum was written: migrations are append-only; " +
				"restore it from version control and plan a new migration with dbgen migrate diff",
		},
		{
			name:   "migration deleted",
			tamper: func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, v2+"_posts.sql")) },
			want: "migrate " + v2 + "_posts.sql: listed in atlas.sum but missing: migrations are append-only; " +
				"restore the file from version control",
		},
		{
			name: "migration added by hand",
			tamper: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "20250102120000_extra.sql"), "SELECT 1;\n")
			},
			want: "migrate 20250102120000_extra.sql: not listed in atlas.sum: it was added by hand; " +
				"remove it, or write migrations with dbgen migrate diff",
		},
		{
			name: "atlas.sum edited",
			tamper: func(t *testing.T, dir string) {
				sum := filepath.Join(dir, "atlas.sum")
				b, _ := os.ReadFile(sum)
				writeFile(t, sum, strings.Replace(string(b), "h1:", "h1:X", 2))
			},
			want: "migrate atlas.sum: its first line does not match its entries: the file was edited by hand; restore it from version control",
		},
		{
			name:   "atlas.sum deleted",
			tamper: func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, "atlas.sum")) },
			want: "migrate atlas.sum: missing: the directory has 3 migration files but no integrity sum; " +
				"write migrations with dbgen migrate diff, which keeps atlas.sum up to date",
		},
		{
			name: "down script edited",
			tamper: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "down", v3+"_email.sql"), "SELECT 1;\n")
			},
			want: "migrate down/" + v3 + "_email.sql: edited after down/atlas.sum was written: migrations are append-only; " +
				"restore it from version control and plan a new migration with dbgen migrate diff",
		},
		{
			name: "down script without migration",
			tamper: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "down", "20250104000000_gone.sql"), "SELECT 1;\n")
				rehash(t, dir)
			},
			want: "migrate down/20250104000000_gone.sql: down script without a migration 20250104000000_gone.sql: remove it",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			path := writeDir(t, threeMigrations())
			tt.tamper(t, path)
			db := newDB(t)
			err := migrate.Up(ctx, db, os.DirFS(path))
			if !errors.Is(err, migrate.ErrMigration) {
				t.Fatalf("Up = %v, want an ErrMigration", err)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if got := sqlitetest.Rows(t, db, `SELECT name FROM sqlite_master`); len(got) != 0 {
				t.Errorf("Up of a refused directory changed the database: %q", got)
			}
		})
	}
}

// TestFailingMigration checks that a migration that fails leaves the
// database as it was, records nothing, and names the file and statement.
func TestFailingMigration(t *testing.T) {
	tests := []struct {
		name    string
		migrate string
		want    string
		line    int
	}{
		{
			name: "constraint violated by existing rows",
			migrate: `-- Make name NOT NULL
CREATE TABLE new_users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO new_users (id, name) SELECT id, name FROM users;
DROP TABLE users;
ALTER TABLE new_users RENAME TO users;
`,
			want: "migrate 20250104000000_strict.sql:3: INSERT INTO new_users (id, name) SELECT id, name FROM users: " +
				"sqlite3: constraint failed: NOT NULL constraint failed: new_users.name",
			line: 3,
		},
		{
			name:    "foreign key violated after the migration",
			migrate: "DELETE FROM users WHERE id = 2;\n",
			want: "migrate 20250104000000_strict.sql: foreign key violations after the migration, rolled back: " +
				"posts row 1 references a missing users row",
		},
		{
			name:    "transaction control",
			migrate: "UPDATE users SET name = 'x';\nCOMMIT;\n",
			want: "migrate 20250104000000_strict.sql:2: COMMIT: transaction control is not allowed in a migration: " +
				"the runtime runs each file in one transaction",
			line: 2,
		},
		{
			name:    "transaction control split by a newline",
			migrate: "UPDATE users SET name = 'x';\nEND\nTRANSACTION;\n",
			want: "migrate 20250104000000_strict.sql:2: END TRANSACTION: transaction control is not allowed in a migration: " +
				"the runtime runs each file in one transaction",
			line: 2,
		},
		{
			name:    "transaction control split by a tab",
			migrate: "UPDATE users SET name = 'x';\n\ncommit\tTRANSACTION;\n",
			want: "migrate 20250104000000_strict.sql:3: commit TRANSACTION: transaction control is not allowed in a migration: " +
				"the runtime runs each file in one transaction",
			line: 3,
		},
		{
			name:    "transaction control followed by a comment",
			migrate: "UPDATE users SET name = 'x';\nCOMMIT/*x*/;\n",
			want: "migrate 20250104000000_strict.sql:2: COMMIT/*x*/: transaction control is not allowed in a migration: " +
				"the runtime runs each file in one transaction",
			line: 2,
		},
		{
			name:    "unterminated string",
			migrate: "UPDATE users SET name = 'x;\n",
			want:    "migrate 20250104000000_strict.sql:1: unterminated ' quote",
			line:    1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			files := threeMigrations()
			files["20250104000000_strict.sql"] = tt.migrate
			dir := os.DirFS(writeDir(t, files))
			db := newDB(t)
			// Apply the first three, add rows, then fail on the fourth.
			if err := migrate.Up(ctx, db, os.DirFS(writeDir(t, threeMigrations()))); err != nil {
				t.Fatal(err)
			}
			sqlitetest.Exec(t, db,
				`INSERT INTO users (name) VALUES ('ann'), (NULL)`,
				`INSERT INTO posts (user_id, title) VALUES (2, 'p')`)
			schemaBefore, usersBefore := schemaOf(t, db), sqlitetest.Rows(t, db, `SELECT * FROM users`)

			err := migrate.Up(ctx, db, dir)
			if !errors.Is(err, migrate.ErrMigration) {
				t.Fatalf("Up = %v, want an ErrMigration", err)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			var me *migrate.Error
			if !errors.As(err, &me) || me.File != "20250104000000_strict.sql" || me.Line != tt.line {
				t.Errorf("error %#v: want file 20250104000000_strict.sql, line %d", me, tt.line)
			}
			if diff := cmp.Diff(schemaBefore, schemaOf(t, db)); diff != "" {
				t.Errorf("schema changed by a failed migration (-before +after):\n%s", diff)
			}
			if diff := cmp.Diff(usersBefore, sqlitetest.Rows(t, db, `SELECT * FROM users`)); diff != "" {
				t.Errorf("rows changed by a failed migration (-before +after):\n%s", diff)
			}
			if got, _ := migrate.Version(ctx, db); got != v3 {
				t.Errorf("Version after a failed migration = %q, want %s", got, v3)
			}
			if diff := cmp.Diff([]string{"1"}, sqlitetest.Rows(t, db, `PRAGMA foreign_keys`)); diff != "" {
				t.Errorf("foreign_keys after a failed migration (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAppliedMigrationChanged(t *testing.T) {
	ctx := context.Background()
	path := writeDir(t, threeMigrations())
	db := newDB(t)
	if err := migrate.Up(ctx, db, os.DirFS(path)); err != nil {
		t.Fatal(err)
	}
	// Edited, with atlas.sum rewritten to match: only the recorded checksum
	// can tell.
	writeFile(t, filepath.Join(path, v2+"_posts.sql"), "CREATE TABLE posts (id INTEGER PRIMARY KEY);\n")
	rehash(t, path)
	for name, op := range map[string]func() error{
		"Up":     func() error { return migrate.Up(ctx, db, os.DirFS(path)) },
		"Down":   func() error { return migrate.Down(ctx, db, os.DirFS(path), v1) },
		"Status": func() error { _, err := migrate.Status(ctx, db, os.DirFS(path)); return err },
	} {
		err := op()
		if !errors.Is(err, migrate.ErrMigration) || !strings.HasPrefix(err.Error(), "migrate "+v2+"_posts.sql: changed since it was applied") {
			t.Errorf("%s = %v, want the changed file named", name, err)
		}
	}
	if got, _ := migrate.Version(ctx, db); got != v3 {
		t.Errorf("Version = %q, want %s untouched", got, v3)
	}
}

func TestOutOfOrder(t *testing.T) {
	ctx := context.Background()
	files := threeMigrations()
	db := newDB(t)
	delete(files, v2+"_posts.sql")
	delete(files, "down/"+v2+"_posts.sql")
	if err := migrate.Up(ctx, db, os.DirFS(writeDir(t, files))); err != nil {
		t.Fatal(err)
	}
	// v2 arrives after v3 was applied, as from a merged branch.
	err := migrate.Up(ctx, db, os.DirFS(writeDir(t, threeMigrations())))
	want := "migrate " + v2 + "_posts.sql: not applied, but the later migration " + v3 + "_email.sql is: " +
		"it was probably merged from another branch; plan it again so that it comes last"
	if !errors.Is(err, migrate.ErrMigration) || err.Error() != want {
		t.Errorf("Up = %v\nwant %s", err, want)
	}
}

func TestBaseline(t *testing.T) {
	ctx := context.Background()
	dir := os.DirFS(writeDir(t, threeMigrations()))
	db := newDB(t)
	// A database made before its migrations were, at the schema of v2.
	sqlitetest.Exec(t, db,
		`CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)`,
		`CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE, title TEXT)`,
		`INSERT INTO users (name) VALUES ('ann')`)
	if err := migrate.Baseline(ctx, db, dir, v2); err != nil {
		t.Fatal(err)
	}
	st, err := migrate.Status(ctx, db, dir)
	if err != nil {
		t.Fatal(err)
	}
	want := migrate.State{
		Current: v2,
		Applied: []migrate.Revision{
			{Version: v1, Description: "users", Baseline: true},
			{Version: v2, Description: "posts", Baseline: true},
		},
		Pending: []migrate.Migration{{Version: v3, Description: "email", File: v3 + "_email.sql"}},
	}
	if diff := cmp.Diff(want, st, cmpopts.IgnoreFields(migrate.Revision{}, "Checksum", "AppliedAt")); diff != "" {
		t.Errorf("status after baseline (-want +got):\n%s", diff)
	}
	if err := migrate.Up(ctx, db, dir); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"1|ann|NULL"}, sqlitetest.Rows(t, db, `SELECT * FROM users`)); diff != "" {
		t.Errorf("users after up from the baseline (-want +got):\n%s", diff)
	}
	err = migrate.Baseline(ctx, db, dir, v1)
	want2 := "migrate dbgen_revisions: the database already has 3 applied migrations, up to " + v3 +
		": baseline only stamps a database without migration history"
	if !errors.Is(err, migrate.ErrMigration) || err.Error() != want2 {
		t.Errorf("second Baseline = %v\nwant %s", err, want2)
	}
	if err := migrate.Baseline(ctx, newDB(t), dir, "20990101000000"); err == nil ||
		!strings.Contains(err.Error(), `no migration has version "20990101000000"`) {
		t.Errorf("Baseline to an unknown version = %v", err)
	}
}

func TestDownWithoutScript(t *testing.T) {
	ctx := context.Background()
	files := threeMigrations()
	delete(files, "down/"+v3+"_email.sql")
	dir := os.DirFS(writeDir(t, files))
	db := newDB(t)
	if err := migrate.Up(ctx, db, dir); err != nil {
		t.Fatal(err)
	}
	err := migrate.Down(ctx, db, dir, v2)
	want := "migrate down/" + v3 + "_email.sql: missing: " + v3 + "_email.sql cannot be reverted without its down script"
	if !errors.Is(err, migrate.ErrMigration) || err.Error() != want {
		t.Errorf("Down = %v\nwant %s", err, want)
	}
}
