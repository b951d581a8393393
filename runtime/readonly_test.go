package runtime

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenReadOnly: a database opened WithReadOnly reads what the file
// holds, its WAL included, refuses every write, and leaves the file byte for
// byte as it was: no journal mode switched, no schema applied, no PRAGMA
// optimize and no checkpoint at Close. The WAL index (-shm) and, for a WAL
// file that has none, an empty -wal are all SQLite may add.
func TestOpenReadOnly(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		mode    string // journal mode the file is made in
		liveWAL bool   // copy the file with its WAL, as a crash or a hot copy leaves it
	}{
		{"WAL, checkpointed", "WAL", false},
		{"WAL with frames", "WAL", true},
		{"rollback journal", "DELETE", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			made := t.TempDir()
			app, err := Open(ctx, made, shopDef(), WithJournalMode(tt.mode))
			if err != nil {
				t.Fatal(err)
			}
			for i := range 40 {
				if _, err := app.Create(ctx, "users", map[string]any{"email": fmt.Sprintf("u%d@x", i), "name": "U", "status": "active"}); err != nil {
					t.Fatal(err)
				}
			}
			if tt.liveWAL {
				copyFiles(t, made, dir, "shop.db", "shop.db-wal")
				if fi, err := os.Stat(filepath.Join(dir, "shop.db-wal")); err != nil || fi.Size() == 0 {
					t.Fatalf("no WAL to copy: %v", err)
				}
			}
			if err := app.Close(); err != nil {
				t.Fatal(err)
			}
			if !tt.liveWAL {
				copyFiles(t, made, dir, "shop.db")
			}
			before := hashFiles(t, dir)

			db, err := Open(ctx, dir, shopDef(), WithReadOnly())
			if err != nil {
				t.Fatal(err)
			}
			// Reads that use an index: what PRAGMA optimize would analyse.
			page, err := db.ListRecords(ctx, "users", ListRequest{Filters: []Filter{{Column: "status", Value: "active"}}, Sort: "-email"})
			if err != nil || page.Total != 40 {
				t.Errorf("list: %v, total %d, want 40", err, page.Total)
			}
			if _, err := db.Read(ctx, "users", map[string]any{"email": "u7@x"}); err != nil {
				t.Errorf("read: %v", err)
			}
			if err := db.Ping(ctx); err != nil {
				t.Errorf("ping: %v", err)
			}
			writes := map[string]func() error{
				"Create": func() error {
					_, err := db.Create(ctx, "notes", map[string]any{"body": "x"})
					return err
				},
				"Update": func() error {
					_, err := db.Update(ctx, "users", map[string]any{"id": 1}, map[string]any{"name": "V"})
					return err
				},
				"Delete": func() error { return db.Delete(ctx, "users", map[string]any{"id": 1}) },
				"WriteTx": func() error {
					return db.WriteTx(ctx, func(tx *Tx) error {
						_, err := tx.ExecContext(ctx, "CREATE TABLE sneaky (x)")
						return err
					})
				},
				"Writer": func() error {
					_, err := db.Writer().ExecContext(ctx, "ANALYZE")
					return Translate("shop", err)
				},
			}
			for name, write := range writes {
				if err := write(); !errors.Is(err, ErrReadOnly) {
					t.Errorf("%s: %v, want READ_ONLY", name, err)
				}
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}

			after := hashFiles(t, dir)
			for name, sum := range before {
				if after[name] != sum {
					t.Errorf("%s changed", name)
				}
			}
			for name, sum := range after {
				switch _, had := before[name]; {
				case had:
				case tt.mode == "WAL" && name == "shop.db-shm":
				case tt.mode == "WAL" && name == "shop.db-wal" && sum == emptySum:
				default:
					t.Errorf("%s was created", name)
				}
			}
		})
	}
}

// TestOpenReadOnlyMissing: read-only never creates: a missing file is
// DATABASE_NOT_FOUND, and neither it nor its folder appears.
func TestOpenReadOnlyMissing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "none")
	db, err := Open(context.Background(), dir, shopDef(), WithReadOnly())
	if err == nil {
		db.Close()
		t.Fatal("Open succeeded")
	}
	if !errors.Is(err, ErrDatabaseNotFound) || !strings.Contains(err.Error(), "shop") {
		t.Errorf("err = %v, want DATABASE_NOT_FOUND", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the folder was created: %v", err)
	}
}

var emptySum = fmt.Sprintf("%x", sha256.Sum256(nil))

func hashFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = fmt.Sprintf("%x", sha256.Sum256(data))
	}
	return out
}

func copyFiles(t *testing.T, from, to string, names ...string) {
	t.Helper()
	for _, name := range names {
		src, err := os.Open(filepath.Join(from, name))
		if err != nil {
			t.Fatal(err)
		}
		dst, err := os.Create(filepath.Join(to, name))
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.Copy(dst, src)
		src.Close()
		if err := errors.Join(err, dst.Close()); err != nil {
			t.Fatal(err)
		}
	}
}
