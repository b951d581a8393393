package runtime

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	atlas "ariga.io/atlas/sql/migrate"
	"github.com/google/go-cmp/cmp"

	"github.com/dbgen-dev/dbgen/internal/sqlitetest"
)

// migrationsDir writes up migrations, by file name, with the atlas.sum
// Atlas writes, and returns the folder as a generated package embeds it.
func migrationsDir(t testing.TB, files map[string]string) fs.FS {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ld, err := atlas.NewLocalDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := ld.Checksum()
	if err != nil {
		t.Fatal(err)
	}
	if err := atlas.WriteSumFile(ld, sum); err != nil {
		t.Fatal(err)
	}
	return os.DirFS(dir)
}

const (
	initial  = "20260101000000_initial.sql"
	addScore = "20260102000000_add_score.sql"
	scoreDDL = "ALTER TABLE posts ADD COLUMN score INTEGER NOT NULL DEFAULT 0;\n"
)

// withScore is shopDDL with the column addScore adds, declared in the
// middle of its table as a schema file would.
var withScore = strings.Replace(shopDDL, "\ttitle   TEXT NOT NULL\n", "\tscore   INTEGER NOT NULL DEFAULT 0,\n\ttitle   TEXT NOT NULL\n", 1)

// TestOpenAdoptsDatabaseMadeFromDDL is the first migration of a package
// whose database Open made from the DDL: the database is stamped at the
// migration whose schema it has, and the later ones apply.
func TestOpenAdoptsDatabaseMadeFromDDL(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, dir, shopDef())
	if err != nil {
		t.Fatal(err)
	}
	sqlitetest.Exec(t, db.Writer(), `INSERT INTO users (email, name) VALUES ('a@b.c', 'ann')`)
	db.Close()

	def := shopDef()
	def.DDL = withScore
	def.Migrations = migrationsDir(t, map[string]string{initial: shopDDL, addScore: scoreDDL})
	db, err = Open(ctx, dir, def)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	want := []string{"20260101000000|1", "20260102000000|0"}
	if diff := cmp.Diff(want, sqlitetest.Rows(t, db.Writer(), `SELECT version, baseline FROM dbgen_revisions ORDER BY version`)); diff != "" {
		t.Errorf("revisions (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"ann"}, sqlitetest.Rows(t, db.Writer(), `SELECT name FROM users`)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

// TestOpenUnknownSchema: a database made from an older DDL than the first
// migration's is refused, with the command that stamps it.
func TestOpenUnknownSchema(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, dir, shopDef())
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	def := shopDef()
	def.DDL = withScore
	def.Migrations = migrationsDir(t, map[string]string{initial: withScore})
	_, err = Open(ctx, dir, def)
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeMigrationFailed {
		t.Fatalf("Open = %v, want MIGRATION_FAILED", err)
	}
	path := filepath.Join(dir, "shop.db")
	want := "shop: " + path + ` has tables but no migration history, and its schema is the one of no migration: ` +
		`compared with the closest, 20260101000000_initial.sql, it has no column "score" in table "posts"; ` +
		`bring it to that schema, then stamp it there: dbgen migrate baseline --dir ` + dir + ` --db shop --to 20260101000000`
	if err.Error() != want {
		t.Errorf("Open = %v\nwant %s", err, want)
	}
	if e.Details["object"] != `column "score" of table "posts"` {
		t.Errorf("details = %v", e.Details)
	}
}

// TestOpenSchemaNotReached: the schema changed without a migration. Open
// fails at once, naming what is missing.
func TestOpenSchemaNotReached(t *testing.T) {
	ctx := context.Background()
	def := shopDef()
	def.DDL = withScore + "CREATE INDEX posts_title ON posts (title);\n"
	def.Migrations = migrationsDir(t, map[string]string{initial: shopDDL})
	_, err := Open(ctx, t.TempDir(), def)
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeMigrationFailed {
		t.Fatalf("Open = %v, want MIGRATION_FAILED", err)
	}
	want := `shop: the migrations applied, up to 20260101000000, do not reach the package's schema: ` +
		`the database has no column "score" in table "posts"; no index "posts_title" in table "posts"; ` +
		`the schema files changed without a migration: plan one with dbgen migrate diff --db shop NAME and build again`
	if err.Error() != want {
		t.Errorf("Open = %v\nwant %s", err, want)
	}

	// With the migration, it opens; what the database has in addition to
	// the package's schema is left alone.
	dir := t.TempDir()
	def.DDL = withScore
	def.Migrations = migrationsDir(t, map[string]string{initial: shopDDL, addScore: scoreDDL})
	db, err := Open(ctx, dir, def)
	if err != nil {
		t.Fatal(err)
	}
	sqlitetest.Exec(t, db.Writer(), `CREATE TABLE app_cache (k TEXT PRIMARY KEY, v BLOB)`, `CREATE INDEX users_name ON users (name)`)
	db.Close()
	db, err = Open(ctx, dir, def)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
}

// BenchmarkOpenMigrated is the cost of opening a migrated database,
// up to date, with its schema checked against the Definition's.
func BenchmarkOpenMigrated(b *testing.B) {
	ctx := context.Background()
	def := shopDef()
	def.DDL = withScore
	def.Migrations = migrationsDir(b, map[string]string{initial: shopDDL, addScore: scoreDDL})
	dir := b.TempDir()
	db, err := Open(ctx, dir, def)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	b.Run("open", func(b *testing.B) {
		for b.Loop() {
			db, err := Open(ctx, dir, def)
			if err != nil {
				b.Fatal(err)
			}
			db.Close()
		}
	})
	b.Run("check schema", func(b *testing.B) {
		for b.Loop() {
			if err := checkSchema(ctx, db); err != nil {
				b.Fatal(err)
			}
		}
	})
}
