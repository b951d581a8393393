package migrate

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	atlas "ariga.io/atlas/sql/migrate"
)

// clock returns a PlanInput.Now that advances a minute at each call, so
// that migrations planned in a row get increasing versions.
func clock() func() time.Time {
	t := time.Date(2025, 1, 2, 15, 4, 5, 0, time.UTC)
	return func() time.Time {
		t = t.Add(time.Minute)
		return t
	}
}

// plan plans the migration to ddl in dir and writes it.
func plan(t testing.TB, dir, name, ddl string, now func() time.Time, allowDestructive bool) *PlanResult {
	t.Helper()
	r, err := Plan(context.Background(), PlanInput{
		Database: "test", DesiredDDL: ddl, Dir: dir, Name: name, Now: now, AllowDestructive: allowDestructive,
	})
	if err != nil {
		t.Fatalf("plan %s: %v", name, err)
	}
	if err := Write(dir, r); err != nil {
		t.Fatalf("write %s: %v", name, err)
	}
	return r
}

// openFile opens a database file as an application's writer pool: one
// connection, foreign keys on.
func openFile(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=journal_mode(wal)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

// copyDir copies the migrations directory src to a new one, to keep a
// version of it.
func copyDir(t testing.TB, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "migrations")
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

func readFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeFile(t testing.TB, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// rehash rewrites both atlas.sum files of dir with Atlas, as someone
// covering a hand edit would.
func rehash(t testing.TB, dir string) {
	t.Helper()
	for _, sub := range []string{".", "down"} {
		if _, err := os.Stat(filepath.Join(dir, sub)); err != nil {
			continue
		}
		ld, err := atlas.NewLocalDir(filepath.Join(dir, sub))
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
}
