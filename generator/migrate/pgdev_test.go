package migrate

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/dbgen-dev/dbgen/internal/pgtest"
)

// TestPostgresDevURL: a dev URL that is not one, or a server that does not
// answer, is an error that says how to give one, soon.
func TestPostgresDevURL(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct{ url, want string }{
		{"", "no dev database: give a PostgreSQL server"},
		{"sqlite://x.db", "--dev-url sqlite://x.db: not a PostgreSQL URL"},
		{"postgres://u:secret@127.0.0.1:1/x?connect_timeout=2", "--dev-url postgres://u:xxxxx@127.0.0.1:1/x?connect_timeout=2: cannot connect:"},
		{"postgres://u@[bad/x", "--dev-url postgres://u@[bad/x:"},
	} {
		start := time.Now()
		_, err := OpenPostgresDev(ctx, "--dev-url", tt.url)
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "secret") {
			t.Errorf("%q: %v, want %q", tt.url, err, tt.want)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%q: took %s", tt.url, d)
		}
	}
}

// TestPostgresDevCleanup: whatever dbgen did on the dev database is gone
// once it closes, also after its context is canceled mid-way.
func TestPostgresDevCleanup(t *testing.T) {
	srv := pgtest.Start(t)
	url := srv.NewDatabase(t)
	admin, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	scratch := func() int {
		var n int
		if err := admin.QueryRow(`SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'dbgen\_dev\_%'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, cancelEarly := range []bool{false, true} {
		ctx, cancel := context.WithCancel(context.Background())
		dev, err := OpenPostgresDev(ctx, "--dev-url", url)
		if err != nil {
			t.Fatal(err)
		}
		sp, err := dev.space(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := sp.exec(ctx, "x.sql", "CREATE TABLE t (id bigint PRIMARY KEY); CREATE EXTENSION IF NOT EXISTS citext SCHEMA public;"); err != nil {
			t.Fatal(err)
		}
		if cancelEarly {
			cancel()
			if err := sp.exec(ctx, "y.sql", "CREATE TABLE u (id bigint)"); err == nil {
				t.Error("exec after cancel: no error")
			}
		}
		if err := dev.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
		cancel()
		if n := scratch(); n != 0 {
			t.Errorf("cancel %t: %d scratch schemas left", cancelEarly, n)
		}
		var ext int
		admin.QueryRow(`SELECT count(*) FROM pg_extension WHERE extname = 'citext'`).Scan(&ext)
		if ext != 0 {
			t.Errorf("cancel %t: the extension was left", cancelEarly)
		}
	}
	// A migration cannot commit the dev transaction.
	dev, err := OpenPostgresDev(context.Background(), "--dev-url", url)
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	sp, err := dev.space(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	err = sp.exec(context.Background(), "x.sql", "CREATE TABLE t (id bigint);\nCOMMIT;\nCREATE TABLE u (id bigint);")
	if err == nil || !strings.Contains(err.Error(), "x.sql:2: transaction control is not allowed") {
		t.Errorf("COMMIT: %v", err)
	}
}
