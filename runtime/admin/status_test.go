package admin

import (
	"context"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	atlas "ariga.io/atlas/sql/migrate"

	"github.com/dbgen-dev/dbgen/runtime"
)

// journalMigrations are five migrations of one database, as a project
// after a few weeks of schema changes has them.
var journalMigrations = []struct{ file, sql string }{
	{"20260101000000_initial.sql", "CREATE TABLE entries (id INTEGER PRIMARY KEY, body TEXT NOT NULL);\n"},
	{"20260102000000_add_title.sql", "ALTER TABLE entries ADD COLUMN title TEXT;\n"},
	{"20260103000000_add_tags.sql", "CREATE TABLE tags (name TEXT PRIMARY KEY NOT NULL);\n"},
	{"20260104000000_index_title.sql", "CREATE INDEX entries_by_title ON entries (title);\n"},
	{"20260105000000_add_done.sql", "ALTER TABLE entries ADD COLUMN done BOOLEAN NOT NULL DEFAULT 0;\n"},
	{"20260106000000_add_mood.sql", "ALTER TABLE entries ADD COLUMN mood TEXT;\n"},
}

// migrationsFolder writes the first n journalMigrations with the atlas.sum
// Atlas writes, and returns the folder.
func migrationsFolder(t testing.TB, n int) string {
	t.Helper()
	dir := t.TempDir()
	for _, m := range journalMigrations[:n] {
		addMigration(t, dir, m.file, m.sql)
	}
	return dir
}

// addMigration writes a migration into dir and its atlas.sum again, as
// dbgen migrate diff would.
func addMigration(t testing.TB, dir, file, sql string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, file), []byte(sql), 0o644); err != nil {
		t.Fatal(err)
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
}

// journalFile makes journal.db as its application would, five migrations
// applied, and returns the folder of the file.
func journalFile(t testing.TB) string {
	t.Helper()
	data := t.TempDir()
	db, err := runtime.Open(context.Background(), data, &runtime.Definition{Name: "journal",
		Migrations: os.DirFS(migrationsFolder(t, 5))})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return data
}

// servedAsFile is the Definition dbgen serve builds of journal.db by
// looking at it: tables, no DDL, no migrations.
func servedAsFile() *runtime.Definition {
	return &runtime.Definition{Name: "journal", Tables: []runtime.Table{
		{Name: "entries", PrimaryKey: []string{"id"}, Columns: []runtime.Column{
			{Name: "id", SQLType: "INTEGER", PrimaryKey: true, RowID: true}, {Name: "body", SQLType: "TEXT"},
			{Name: "title", SQLType: "TEXT", Nullable: true}, {Name: "done", SQLType: "BOOLEAN", Default: "0"}}},
		{Name: "tags", PrimaryKey: []string{"name"}, Columns: []runtime.Column{{Name: "name", SQLType: "TEXT", PrimaryKey: true}}},
	}}
}

// TestStatusAgreesWithMigrations is the user's report: over a file opened
// as it is, the home cards (GET /status) said "no migrations" while the
// database's migrations page listed five applied. Both now read the same
// revisions, with and without the project's migrations folder.
func TestStatusAgreesWithMigrations(t *testing.T) {
	data := journalFile(t)
	m, err := runtime.OpenManager(context.Background(), data, runtime.Registry{servedAsFile()})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()

	type agreed struct {
		version          string
		applied, pending int
		migrations       bool
	}
	check := func(t *testing.T, h http.Handler, want agreed) {
		t.Helper()
		st := do(t, h, request{path: "/api/v1/db/status"})
		card := st.body["databases"].([]any)[0].(map[string]any)
		page := do(t, h, request{path: "/api/v1/db/journal/migrations/status"})
		fromCard := agreed{card["migration_version"].(string), int(card["applied_migrations"].(float64)),
			int(card["pending_migrations"].(float64)), card["migrations"].(bool)}
		fromPage := agreed{page.body["current"].(string), len(page.body["applied"].([]any)),
			len(page.body["pending"].([]any)), page.body["migrations"].(bool)}
		if fromCard != want || fromPage != want {
			t.Errorf("status says %+v, the migrations page %+v; want %+v", fromCard, fromPage, want)
		}
		if got := st.body["initialization"].(map[string]any)["pending_migrations"]; got != float64(want.pending) {
			t.Errorf("initialization.pending_migrations = %v, want %d", got, want.pending)
		}
	}

	t.Run("without the folder", func(t *testing.T) {
		check(t, NewHandler(m, Options{}), agreed{"20260105000000", 5, 0, false})
	})

	// dbgen serve --root: the project has planned a sixth migration.
	folder := migrationsFolder(t, 6)
	h := NewHandler(m, Options{Token: testToken, Migrations: func(db string) fs.FS {
		if db == "journal" {
			return os.DirFS(folder)
		}
		return nil
	}})
	t.Run("with the project's folder", func(t *testing.T) {
		check(t, h, agreed{"20260105000000", 5, 1, true})
		page := do(t, h, request{path: "/api/v1/db/journal/migrations/status"})
		p := page.body["pending"].([]any)[0].(map[string]any)
		if p["file"] != journalMigrations[5].file || p["sql"] != journalMigrations[5].sql || p["down_sql"] != "" {
			t.Errorf("pending = %v, want its file's SQL", p)
		}
		if st := do(t, h, request{path: "/api/v1/db/status"}); st.body["initialization"].(map[string]any)["complete"] != false {
			t.Errorf("initialization complete with a pending migration: %v", st.body["initialization"])
		}
	})
	t.Run("after running it", func(t *testing.T) {
		r := do(t, h, request{method: "POST", path: "/api/v1/db/journal/migrations/run", token: testToken, body: map[string]any{"target": "head"}})
		if r.status != 200 || r.body["current"] != "20260106000000" {
			t.Fatalf("run: %d %s", r.status, r.raw)
		}
		check(t, h, agreed{"20260106000000", 6, 0, true})
		if sts := m.Status(context.Background()); sts[0].MigrationVersion != "20260106000000" {
			t.Errorf("Manager.Status says %q", sts[0].MigrationVersion)
		}
	})
}

// TestStatusMigrationError: a migrations folder that does not verify is
// said in the database's migration_error; the database still answers, so
// status stays ready, as is-ready does.
func TestStatusMigrationError(t *testing.T) {
	m, err := runtime.OpenManager(context.Background(), journalFile(t), runtime.Registry{servedAsFile()})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	folder := migrationsFolder(t, 5)
	if err := os.WriteFile(filepath.Join(folder, "20260109000000_by_hand.sql"), []byte("SELECT 1;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	h := NewHandler(m, Options{Migrations: func(string) fs.FS { return os.DirFS(folder) }})
	r := do(t, h, request{path: "/api/v1/db/status"})
	d := r.body["databases"].([]any)[0].(map[string]any)
	if r.body["ready"] != true || d["status"] != "ready" || !strings.HasPrefix(d["migration_error"].(string), "migration failed at ") ||
		d["migration_version"] != "20260105000000" {
		t.Errorf("status: %s", r.raw)
	}
	if r := do(t, h, request{path: "/api/v1/db/journal/migrations/status"}); r.status != 500 || r.errCode() != "MIGRATION_FAILED" {
		t.Errorf("migrations status: %d %s", r.status, r.raw)
	}
}
