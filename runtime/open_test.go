package runtime

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
)

var pragmaNames = []string{
	"busy_timeout", "journal_mode", "synchronous", "foreign_keys", "cache_size",
	"temp_store", "mmap_size", "journal_size_limit", "query_only",
}

// readPragmas reads every pragma of DESIGN.md back from one connection of pool.
func readPragmas(t *testing.T, q queryer) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, name := range pragmaNames {
		var v string
		if err := q.QueryRowContext(context.Background(), "PRAGMA "+name).Scan(&v); err != nil {
			t.Fatalf("PRAGMA %s: %v", name, err)
		}
		got[name] = v
	}
	return got
}

func TestOpenPragmas(t *testing.T) {
	tests := []struct {
		name   string
		opts   []Option
		env    map[string]string
		writer map[string]string // the reader differs only in query_only
	}{
		{
			name: "defaults",
			writer: map[string]string{
				"busy_timeout": "5000", "journal_mode": "wal", "synchronous": "1", "foreign_keys": "1",
				"cache_size": "-20000", "temp_store": "2", "mmap_size": "0",
				"journal_size_limit": "67108864", "query_only": "0",
			},
		},
		{
			name: "options",
			opts: []Option{
				WithBusyTimeout(1500 * time.Millisecond), WithSynchronous("full"), WithCacheSize(-4096),
				WithMmapSize(64 << 20), WithJournalSizeLimit(1 << 20),
			},
			writer: map[string]string{
				"busy_timeout": "1500", "journal_mode": "wal", "synchronous": "2", "foreign_keys": "1",
				"cache_size": "-4096", "temp_store": "2", "mmap_size": "67108864",
				"journal_size_limit": "1048576", "query_only": "0",
			},
		},
		{
			name: "environment",
			env: map[string]string{
				EnvConnectionTimeout: "2.5", EnvSynchronous: "extra", EnvCacheSize: "500",
				EnvJournalMode: "truncate",
			},
			writer: map[string]string{
				"busy_timeout": "2500", "journal_mode": "truncate", "synchronous": "3", "foreign_keys": "1",
				"cache_size": "500", "temp_store": "2", "mmap_size": "0",
				"journal_size_limit": "67108864", "query_only": "0",
			},
		},
		{
			name: "options win over environment",
			env:  map[string]string{EnvConnectionTimeout: "30", EnvCacheSize: "500", EnvSynchronous: "OFF"},
			opts: []Option{WithBusyTimeout(time.Second), WithCacheSize(-1000)},
			writer: map[string]string{
				"busy_timeout": "1000", "journal_mode": "wal", "synchronous": "0", "foreign_keys": "1",
				"cache_size": "-1000", "temp_store": "2", "mmap_size": "0",
				"journal_size_limit": "67108864", "query_only": "0",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cleanEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			db := openShop(t, append(tt.opts, WithReaders(3))...)
			if diff := cmp.Diff(tt.writer, readPragmas(t, db.Writer())); diff != "" {
				t.Errorf("writer pragmas (-want +got):\n%s", diff)
			}
			wantReader := maps(tt.writer, "query_only", "1")
			// Read back on every reader connection, not just the first one.
			ctx := context.Background()
			for i := range 3 {
				conn, err := db.Reader().Conn(ctx)
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close()
				if diff := cmp.Diff(wantReader, readPragmas(t, conn)); diff != "" {
					t.Errorf("reader %d pragmas (-want +got):\n%s", i, diff)
				}
			}
			if got := db.Reader().Stats().OpenConnections; got != 3 {
				t.Errorf("reader connections = %d, want 3 (none opened per request)", got)
			}
		})
	}
}

func maps(m map[string]string, k, v string) map[string]string {
	out := map[string]string{k: v}
	for mk, mv := range m {
		if mk != k {
			out[mk] = mv
		}
	}
	return out
}

func TestOpenPools(t *testing.T) {
	db := openShop(t, WithReaders(5))
	st := db.Stats()
	if st.Writer.MaxOpenConnections != 1 {
		t.Errorf("writer MaxOpenConnections = %d, want 1", st.Writer.MaxOpenConnections)
	}
	if st.Reader.MaxOpenConnections != 5 || st.Reader.Idle != 5 {
		t.Errorf("reader open max %d idle %d, want 5 and 5 (warmed)", st.Reader.MaxOpenConnections, st.Reader.Idle)
	}
	_, err := db.Reader().Exec("INSERT INTO notes(body) VALUES ('x')")
	if !errors.Is(Translate("shop", err), ErrReadOnly) {
		t.Errorf("write through the read pool: got %v, want READ_ONLY", err)
	}
	if want := filepath.Join(filepath.Dir(db.Path()), "shop.db"); db.Path() != want || db.Definition().Name != "shop" {
		t.Errorf("Path %s Definition %s", db.Path(), db.Definition().Name)
	}
}

func TestOpenCreatesFolderAndSchemaOnce(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "nested", "data dir?#%") // URI-special characters
	db, err := Open(ctx, dir, shopDef())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Create(ctx, "notes", map[string]any{"body": "kept"}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "shop.db")); err != nil {
		t.Fatal(err)
	}
	// Re-opening must neither fail on the existing tables nor reset them.
	db, err = Open(ctx, dir, shopDef())
	if err != nil {
		t.Fatalf("re-open: %v", err)
	}
	defer db.Close()
	page, err := db.ListRecords(ctx, "notes", ListRequest{})
	if err != nil || page.Total != 1 {
		t.Fatalf("after re-open: %v, total %d, want 1 note", err, page.Total)
	}
}

func TestOpenDataDirFromEnvironment(t *testing.T) {
	cleanEnv(t)
	dir := filepath.Join(t.TempDir(), "from-env")
	t.Setenv(EnvDatabaseURL, "sqlite:///"+dir) // four slashes: absolute
	db, err := Open(context.Background(), "", shopDef())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if want := filepath.Join(dir, "shop.db"); db.Path() != want {
		t.Errorf("Path = %s, want %s", db.Path(), want)
	}
}

func TestOpenRejects(t *testing.T) {
	ctx := context.Background()
	withMigrations := shopDef()
	withMigrations.Migrations = fstest.MapFS{"1_init.sql": {Data: []byte("CREATE TABLE x(y);")}}
	badDDL := shopDef()
	badDDL.DDL = "CREATE TABLE broken("
	tests := []struct {
		name string
		def  *Definition
		opts []Option
		code Code
		want string
	}{
		{"nil definition", nil, nil, CodeValidationFailed, "nil database definition"},
		{"bad name", &Definition{Name: "Bad-Name"}, nil, CodeValidationFailed, "invalid database name"},
		{"migrations without atlas.sum", withMigrations, nil, CodeMigrationFailed, "apply migrations: migrate atlas.sum"},
		{"bad DDL", badDDL, nil, CodeMigrationFailed, "create the schema"},
		{"journal mode", shopDef(), []Option{WithJournalMode("fast")}, CodeValidationFailed, "WithJournalMode"},
		{"synchronous", shopDef(), []Option{WithSynchronous("sometimes")}, CodeValidationFailed, "WithSynchronous"},
		{"retries", shopDef(), []Option{WithMaxRetries(-1)}, CodeValidationFailed, "WithMaxRetries"},
		{"readers", shopDef(), []Option{WithReaders(0)}, CodeValidationFailed, "WithReaders"},
		{"busy timeout", shopDef(), []Option{WithBusyTimeout(-time.Second)}, CodeValidationFailed, "WithBusyTimeout"},
		{"backoff", shopDef(), []Option{WithBackoff(time.Second, time.Millisecond)}, CodeValidationFailed, "WithBackoff"},
		{"logger", shopDef(), []Option{WithLogger(nil)}, CodeValidationFailed, "WithLogger"},
		{"mmap", shopDef(), []Option{WithMmapSize(-1)}, CodeValidationFailed, "WithMmapSize"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := Open(ctx, t.TempDir(), tt.def, tt.opts...)
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded")
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != tt.code || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want code %s and %q", err, tt.code, tt.want)
			}
		})
	}
}

// TestOpenFileSystemFailure: a file that cannot be opened or created is the
// server's fault (INTERNAL, a 500 in the admin API), not an unknown
// database (DATABASE_NOT_FOUND, a 404): Open creates a missing file.
func TestOpenFileSystemFailure(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string) string // returns the data folder
	}{
		{"data folder is a file", func(t *testing.T, dir string) string {
			path := filepath.Join(dir, "data")
			if err := os.WriteFile(path, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			return path
		}},
		{"database file is a folder", func(t *testing.T, dir string) string {
			if err := os.Mkdir(filepath.Join(dir, "shop.db"), 0o755); err != nil {
				t.Fatal(err)
			}
			return dir
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := Open(context.Background(), tt.setup(t, t.TempDir()), shopDef())
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded")
			}
			if !errors.Is(err, ErrInternal) || errors.Is(err, ErrDatabaseNotFound) {
				t.Errorf("err = %v, want INTERNAL", err)
			}
		})
	}
}

func TestOpenBadEnvironment(t *testing.T) {
	tests := []struct{ name, value string }{
		{EnvDatabaseURL, "postgres://localhost:port/app"},
		{EnvDatabaseURL, "mysql://localhost/app"},
		{EnvDatabaseURL, "sqlite://relative"},
		{EnvDatabaseURL, "file:data?mode=ro"},
		{EnvDatabaseURL, "   "},
		{EnvMaxRetries, "three"},
		{EnvMaxRetries, "-1"},
		{EnvConnectionTimeout, "soon"},
		{EnvConnectionTimeout, "-5"},
		{EnvConnectionTimeout, "NaN"},
		{EnvJournalMode, "wall"},
		{EnvSynchronous, "2x"},
		{EnvCacheSize, "big"},
		{EnvCacheSize, "1.5"},
	}
	for _, tt := range tests {
		t.Run(tt.name+"="+tt.value, func(t *testing.T) {
			cleanEnv(t)
			t.Setenv(tt.name, tt.value)
			db, err := Open(context.Background(), t.TempDir(), shopDef())
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded")
			}
			if !errors.Is(err, ErrValidation) || !strings.Contains(err.Error(), tt.name) {
				t.Errorf("err = %v, want VALIDATION_FAILED naming %s", err, tt.name)
			}
			var e *Error
			if errors.As(err, &e) && e.Details["variable"] != tt.name {
				t.Errorf("details = %v", e.Details)
			}
		})
	}
}
