package migrate

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dbgen-dev/dbgen/internal/sqlitetest"
	rtmigrate "github.com/dbgen-dev/dbgen/runtime/migrate"
)

const (
	namesV1 = `CREATE TABLE users (id INTEGER PRIMARY KEY, full_name TEXT NOT NULL, bio TEXT);
CREATE INDEX users_full_name ON users (full_name);
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id), title TEXT);
CREATE VIEW names AS SELECT id, full_name FROM users;
CREATE TRIGGER posts_title AFTER INSERT ON posts WHEN new.title IS NULL BEGIN UPDATE posts SET title = 'untitled' WHERE id = new.id; END;`
	// The column and the table renamed, with a new column in the renamed
	// table and a new column that takes the old name.
	namesV2 = `CREATE TABLE users (id INTEGER PRIMARY KEY, display_name TEXT NOT NULL, bio TEXT, full_name TEXT);
CREATE INDEX users_full_name ON users (display_name);
CREATE TABLE articles (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id), title TEXT, score INTEGER NOT NULL DEFAULT 0);
CREATE VIEW names AS SELECT id, display_name FROM users;
CREATE TRIGGER posts_title AFTER INSERT ON articles WHEN new.title IS NULL BEGIN UPDATE articles SET title = 'untitled' WHERE id = new.id; END;`
)

// TestPlanRenames plans a renamed column and a renamed table as renames:
// not destructive, the rows kept, and the down script renames back.
func TestPlanRenames(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "migrations")
	now := clock()
	r1 := plan(t, dir, "init", namesV1, now, false)
	in := PlanInput{Database: "test", DesiredDDL: namesV2, Dir: dir, Name: "rename", Now: now,
		Renames: []Rename{{Table: "users", Column: "full_name", To: "display_name"}, {Table: "posts", To: "articles"}}}
	r, err := Plan(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	up, down := string(r.Files[0].Data), string(r.Files[1].Data)
	for _, want := range []string{
		"-- Rename column \"full_name\" of table \"users\" to \"display_name\"\nALTER TABLE `users` RENAME COLUMN `full_name` TO `display_name`;\n",
		"-- Rename table \"posts\" to \"articles\"\nALTER TABLE `posts` RENAME TO `articles`;\n",
		"ALTER TABLE `users` ADD COLUMN full_name TEXT;\n",
		"ALTER TABLE `articles` ADD COLUMN score INTEGER NOT NULL DEFAULT 0;\n",
	} {
		if !strings.Contains(up, want) {
			t.Errorf("migration lacks %q:\n%s", want, up)
		}
	}
	for _, want := range []string{
		"ALTER TABLE `articles` RENAME TO `posts`;\n",
		"ALTER TABLE `users` RENAME COLUMN `display_name` TO `full_name`;\n",
	} {
		if !strings.Contains(down, want) {
			t.Errorf("down script lacks %q:\n%s", want, down)
		}
	}
	if strings.Contains(up, "DROP TABLE `posts`") || strings.Contains(up, "IRREVERSIBLE") {
		t.Errorf("renames planned as drops:\n%s", up)
	}
	for _, f := range r.Findings {
		if f.Severity == SeverityError {
			t.Errorf("finding %s", f)
		}
	}
	if err := Write(dir, r); err != nil {
		t.Fatal(err)
	}

	// The rows survive the migration, its down script, and the migration again.
	db := openFile(t, filepath.Join(t.TempDir(), "test.db"))
	if err := rtmigrate.Up(ctx, db, os.DirFS(copyDirAt(t, dir, r1.Version))); err != nil {
		t.Fatal(err)
	}
	sqlitetest.Exec(t, db, `INSERT INTO users (full_name) VALUES ('Ann')`, `INSERT INTO posts (user_id) VALUES (1)`)
	if err := rtmigrate.Up(ctx, db, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	at := func(step string, want []string, queries ...string) {
		t.Helper()
		if diff := cmp.Diff(want, snapshot(t, db, queries)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", step, diff)
		}
	}
	at("after the renames", []string{"1|Ann|NULL|NULL", "--", "1|1|untitled|0", "--", "1|Ann"},
		`SELECT * FROM users`, `SELECT * FROM articles`, `SELECT * FROM names`)
	if err := rtmigrate.Down(ctx, db, os.DirFS(dir), r1.Version); err != nil {
		t.Fatal(err)
	}
	at("after the down script", []string{"1|Ann|NULL", "--", "1|1|untitled", "--", "1|Ann"},
		`SELECT * FROM users`, `SELECT * FROM posts`, `SELECT * FROM names`)
	if err := rtmigrate.Up(ctx, db, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	if fs, err := Verify(ctx, dir, namesV2); err != nil || len(fs) > 0 {
		t.Errorf("Verify = %v, %v", fs, err)
	}
}

// copyDirAt copies the migrations of dir up to version, with their sums.
func copyDirAt(t *testing.T, dir, version string) string {
	t.Helper()
	dst := copyDir(t, dir)
	for _, sub := range []string{".", "down"} {
		entries, _ := os.ReadDir(filepath.Join(dst, sub))
		for _, e := range entries {
			if !e.IsDir() && strings.HasSuffix(e.Name(), ".sql") && e.Name()[:len(version)] > version {
				os.Remove(filepath.Join(dst, sub, e.Name()))
			}
		}
	}
	rehash(t, dst)
	return dst
}

// TestPlanAskRename: asked, a dropped and an added column of the same type
// become a rename; declined, they stay a drop and an add.
func TestPlanAskRename(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "migrations")
	now := clock()
	plan(t, dir, "init", `CREATE TABLE users (id INTEGER PRIMARY KEY, full_name TEXT NOT NULL, age INTEGER);`, now, false)
	desired := `CREATE TABLE users (id INTEGER PRIMARY KEY, display_name TEXT NOT NULL, years INTEGER, nick TEXT);`
	for _, answer := range []bool{true, false} {
		var asked []string
		in := PlanInput{Database: "test", DesiredDDL: desired, Dir: dir, Name: "rename", Now: now, AllowDestructive: true,
			AskRename: func(r Rename) (bool, error) {
				asked = append(asked, r.String()+" ("+r.Type+")")
				return answer && r.Column == "full_name", nil
			}}
		r, err := Plan(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"users.age to users.years (INTEGER)", "users.full_name to users.display_name (TEXT)", "users.full_name to users.nick (TEXT)"}
		if answer {
			want = want[:2]
		}
		if diff := cmp.Diff(want, asked); diff != "" {
			t.Errorf("asked (-want +got):\n%s", diff)
		}
		up := string(r.Files[0].Data)
		if renamed := strings.Contains(up, "RENAME COLUMN `full_name` TO `display_name`"); renamed != answer {
			t.Errorf("answered %t, migration:\n%s", answer, up)
		}
	}
}

func TestPlanRenameErrors(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "migrations")
	plan(t, dir, "init", namesV1, clock(), false)
	for flag, want := range map[string]string{
		"users.nope=display_name":  "--rename users.nope=display_name: table users of the migrations has no column nope",
		"users.full_name=bio":      "--rename users.full_name=bio: table users of the migrations already has a column bio",
		"users.full_name=nickname": "--rename users.full_name=nickname: table users in the schema files has no column nickname",
		"people.full_name=x":       "--rename people.full_name=x: the migrations have no table people",
		"posts=users":              "--rename posts=users: the migrations already have a table users",
		"posts=entries":            "--rename posts=entries: the schema files have no table entries",
		"posts.title=headline":     "--rename posts.title=headline: the schema files have no table posts; to rename the table too, --rename it first (posts=NEW)",
		"users.full_name":          "--rename users.full_name: want table.column=new_name or table=new_name",
		"users.full_name=users.x":  "--rename users.full_name=users.x: give the new name alone, without its table (users.full_name=display_name)",
	} {
		rn, err := ParseRename(flag)
		if err == nil {
			_, err = Plan(ctx, PlanInput{Database: "test", DesiredDDL: namesV2, Dir: dir, Name: "x", Renames: []Rename{rn}})
		}
		if err == nil || err.Error() != want {
			t.Errorf("--rename %s: %v\nwant %s", flag, err, want)
		}
		var de *DestructiveError
		if errors.As(err, &de) {
			t.Errorf("--rename %s: destructive", flag)
		}
	}
}
