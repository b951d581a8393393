package migrate_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dbgen-dev/dbgen/internal/sqlitetest"
	"github.com/dbgen-dev/dbgen/runtime/migrate"
)

// scratch opens the in-memory database Adopt replays migrations in.
func scratch(context.Context) (*sql.DB, error) {
	db, err := sql.Open("sqlite3", ":memory:")
	if err == nil {
		db.SetMaxOpenConns(1)
	}
	return db, err
}

// TestAdopt: a database made from the schema files before there were
// migrations is stamped at the migration whose schema it has, and Up
// applies the rest.
func TestAdopt(t *testing.T) {
	ctx := context.Background()
	dir := os.DirFS(writeDir(t, threeMigrations()))
	db := newDB(t)
	// The schema of v2, as the schema files wrote it, in another order and
	// spelling.
	sqlitetest.Exec(t, db,
		`CREATE TABLE posts (
  id      INTEGER PRIMARY KEY,
  title   TEXT,
  user_id INTEGER NOT NULL REFERENCES "users" (id) ON DELETE CASCADE
)`,
		`CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)`,
		`CREATE TRIGGER posts_title AFTER INSERT ON posts WHEN new.title IS NULL BEGIN
  UPDATE posts SET title = 'untitled; ' || CASE WHEN new.id > 0 THEN 'new' ELSE 'old' END WHERE id = new.id;
END`,
		`INSERT INTO users (name) VALUES ('ann')`)
	v, err := migrate.Adopt(ctx, db, dir, scratch)
	if err != nil {
		t.Fatal(err)
	}
	if v != v2 {
		t.Errorf("Adopt stamped %q, want %s", v, v2)
	}
	st, err := migrate.Status(ctx, db, dir)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{v1, v2}, appliedVersions(st)); diff != "" {
		t.Errorf("applied after Adopt (-want +got):\n%s", diff)
	}
	for _, r := range st.Applied {
		if !r.Baseline {
			t.Errorf("revision %s not marked as a baseline", r.Version)
		}
	}
	if err := migrate.Up(ctx, db, dir); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"1|ann|NULL"}, sqlitetest.Rows(t, db, `SELECT * FROM users`)); diff != "" {
		t.Errorf("users after Up (-want +got):\n%s", diff)
	}
	// With a history, Adopt leaves the database alone.
	if v, err := migrate.Adopt(ctx, db, dir, scratch); err != nil || v != "" {
		t.Errorf("second Adopt = %q, %v; want nothing done", v, err)
	}
}

func TestAdoptLeavesAlone(t *testing.T) {
	ctx := context.Background()
	dir := os.DirFS(writeDir(t, threeMigrations()))
	noScratch := func(context.Context) (*sql.DB, error) {
		t.Error("scratch database opened")
		return scratch(context.Background())
	}
	// A new database, and one with only SQLite's and dbgen's tables.
	for _, db := range []*sql.DB{newDB(t), newDB(t)} {
		sqlitetest.Exec(t, db, `CREATE TABLE dbgen_revisions (version TEXT)`)
		if v, err := migrate.Adopt(ctx, db, dir, noScratch); err != nil || v != "" {
			t.Errorf("Adopt = %q, %v; want nothing done", v, err)
		}
	}
}

// TestAdoptDataMigration: of migrations that leave the same schema, the
// database is stamped at the first, so that the data changes of the later
// ones are made.
func TestAdoptDataMigration(t *testing.T) {
	ctx := context.Background()
	files := threeMigrations()
	files["20250104000000_seed.sql"] = "INSERT INTO users (name) VALUES ('root');\n"
	dir := os.DirFS(writeDir(t, files))
	db := newDB(t)
	sqlitetest.Exec(t, db,
		`CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT)`,
		`CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE, title TEXT)`,
		`CREATE TRIGGER posts_title AFTER INSERT ON posts WHEN new.title IS NULL BEGIN
  UPDATE posts SET title = 'untitled; ' || CASE WHEN new.id > 0 THEN 'new' ELSE 'old' END WHERE id = new.id;
END`)
	v, err := migrate.Adopt(ctx, db, dir, scratch)
	if err != nil || v != v3 {
		t.Fatalf("Adopt = %q, %v; want %s", v, err, v3)
	}
	if err := migrate.Up(ctx, db, dir); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"root"}, sqlitetest.Rows(t, db, `SELECT name FROM users`)); diff != "" {
		t.Errorf("seeded rows (-want +got):\n%s", diff)
	}
}

func TestAdoptUnknownSchema(t *testing.T) {
	ctx := context.Background()
	dir := os.DirFS(writeDir(t, threeMigrations()))
	db := newDB(t)
	sqlitetest.Exec(t, db, `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT, phone TEXT)`)
	before := schemaOf(t, db)
	_, err := migrate.Adopt(ctx, db, dir, scratch)
	var ue *migrate.UnknownSchemaError
	if !errors.As(err, &ue) || !errors.Is(err, migrate.ErrMigration) {
		t.Fatalf("Adopt = %v, want an UnknownSchemaError", err)
	}
	// v1 and v3 are one difference away; the later wins.
	want := "the database has tables but no migration history, and its schema is the one of no migration: " +
		"compared with the closest, " + v3 + "_email.sql, it has no table \"posts\"; an extra column \"phone\" in table \"users\"; " +
		"make it match a migration and stamp it there (dbgen migrate baseline --to " + v3 + ")"
	if v1Diffs := 2; ue.Closest.Version != v3 || len(ue.Differences) != v1Diffs || err.Error() != want {
		t.Errorf("Adopt = %v\nwant %s", err, want)
	}
	if diff := cmp.Diff(before, schemaOf(t, db)); diff != "" {
		t.Errorf("schema changed by a refused Adopt (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"0"}, sqlitetest.Rows(t, db, `SELECT count(*) FROM sqlite_schema WHERE name = 'dbgen_revisions'`)); diff != "" {
		t.Errorf("revisions table left behind (-want +got):\n%s", diff)
	}
}

func TestDownRelative(t *testing.T) {
	ctx := context.Background()
	dir := os.DirFS(writeDir(t, threeMigrations()))
	db := newDB(t)
	if err := migrate.Up(ctx, db, dir); err != nil {
		t.Fatal(err)
	}
	p, err := migrate.PlanDown(ctx, db, dir, "-2")
	if err != nil {
		t.Fatal(err)
	}
	want := migrate.DownPlan{Target: v1, Reverted: []migrate.Migration{
		{Version: v3, Description: "email", File: v3 + "_email.sql"},
		{Version: v2, Description: "posts", File: v2 + "_posts.sql"},
	}}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("PlanDown -2 (-want +got):\n%s", diff)
	}
	if err := migrate.Down(ctx, db, dir, "-1"); err != nil {
		t.Fatal(err)
	}
	if v, _ := migrate.Version(ctx, db); v != v2 {
		t.Errorf("after -1: at %q, want %s", v, v2)
	}
	if p, err := migrate.PlanDown(ctx, db, dir, "-2"); err != nil || p.Target != migrate.Base || len(p.Reverted) != 2 {
		t.Errorf("PlanDown -2 from v2 = %+v, %v; want both reverted", p, err)
	}
	for target, want := range map[string]string{
		"-3": `migrate dbgen_revisions: target -3: the database has only 2 applied; "base" reverts them all`,
		"-0": `migrate atlas.sum: target "-0": want a version, "base", or -N to revert the latest N migrations`,
		"-x": `migrate atlas.sum: target "-x": want a version, "base", or -N to revert the latest N migrations`,
	} {
		if err := migrate.Down(ctx, db, dir, target); err == nil || err.Error() != want {
			t.Errorf("Down %s = %v\nwant %s", target, err, want)
		}
	}
	if err := migrate.Down(ctx, db, dir, "-2"); err != nil {
		t.Fatal(err)
	}
	if v, _ := migrate.Version(ctx, db); v != "" {
		t.Errorf("after -2: at %q, want base", v)
	}
}
