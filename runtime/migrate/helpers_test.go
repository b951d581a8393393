package migrate_test

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	atlas "ariga.io/atlas/sql/migrate"
	_ "github.com/ncruces/go-sqlite3/driver"

	"github.com/dbgen-dev/dbgen/internal/sqliteconn"
	"github.com/dbgen-dev/dbgen/internal/sqlitetest"
)

// writeDir writes a migrations directory and, with Atlas, the atlas.sum of
// its top level and of down/: the runtime must accept what Atlas writes.
func writeDir(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		writeFile(t, filepath.Join(dir, name), data)
	}
	rehash(t, dir)
	return dir
}

// rehash rewrites both atlas.sum files of dir with Atlas.
func rehash(t testing.TB, dir string) {
	t.Helper()
	for _, sub := range []string{".", "down"} {
		path := filepath.Join(dir, sub)
		if _, err := os.Stat(path); err != nil {
			continue
		}
		ld, err := atlas.NewLocalDir(path)
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

func writeFile(t testing.TB, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// openDB opens a database file as an application's writer pool: one
// connection, foreign keys on.
func openDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	return openDBWaiting(t, path, 10*time.Second)
}

// openDBWaiting is openDB with busy_timeout set to wait.
func openDBWaiting(t testing.TB, path string, wait time.Duration) *sql.DB {
	t.Helper()
	// Through sqliteconn, as the runtime opens files: with its limits, and
	// waiting when another process switches the same new file to WAL.
	db, err := sqliteconn.Open(fmt.Sprintf("file:%s?_pragma=busy_timeout(%d)&_pragma=foreign_keys(1)&_pragma=journal_mode(wal)",
		path, wait.Milliseconds()), nil)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

func newDB(t testing.TB) *sql.DB {
	t.Helper()
	return openDB(t, filepath.Join(t.TempDir(), "app.db"))
}

// schemaOf returns the schema of db as SQLite stores it, without the
// revisions table.
func schemaOf(t testing.TB, db *sql.DB) []string {
	t.Helper()
	return sqlitetest.Rows(t, db, `SELECT type, name, sql FROM sqlite_master WHERE tbl_name <> 'dbgen_revisions' ORDER BY type, name`)
}
