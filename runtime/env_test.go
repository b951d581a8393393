package runtime

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseDatabaseURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"data", "data"},
		{"/srv/data", "/srv/data"},
		{"file:data", "data"},
		{"file:/srv/data", "/srv/data"},
		{"file:///srv/data", "/srv/data"},
		{"file://localhost/srv/data", "/srv/data"},
		{"sqlite:///data", "data"},
		{"sqlite:////srv/data", "/srv/data"},
	}
	for _, tt := range tests {
		got, err := parseDatabaseURL(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("parseDatabaseURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "mysql://x/y", "sqlite://data", "sqlite:data", "file://host/data", "data?cache=shared", "sqlite:///"} {
		if got, err := parseDatabaseURL(bad); err == nil {
			t.Errorf("parseDatabaseURL(%q) = %q, want an error", bad, got)
		}
	}
}

func TestParseTimeout(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"30", 30 * time.Second}, {"2.5", 2500 * time.Millisecond}, {"0", 0},
		{"500ms", 500 * time.Millisecond}, {" 1m ", time.Minute},
	}
	for _, tt := range tests {
		got, err := parseTimeout(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("parseTimeout(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestConfigLayers(t *testing.T) {
	env := map[string]string{EnvMaxRetries: "9", EnvDatabaseURL: "file:/var/app", EnvJournalMode: "delete"}
	getenv := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	cfg, err := newConfig(getenv, []Option{WithMaxRetries(2), WithReaders(7)})
	if err != nil {
		t.Fatal(err)
	}
	got := []any{cfg.maxRetries, cfg.dataDir, cfg.pragmas.journalMode, cfg.readers, cfg.busyTimeout}
	want := []any{2, "/var/app", "DELETE", 7, DefaultBusyTimeout}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}
}

// TestSQLiteOnlySettingsRefusedOnPostgres: a SQLite-only setting given at
// all is refused for a PostgreSQL database, even set to its default value
// (SQLITE_JOURNAL_MODE=WAL used to pass while =DELETE was refused); none
// given, nothing is refused.
func TestSQLiteOnlySettingsRefusedOnPostgres(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		opts []Option
		want string // "" when nothing is refused
	}{
		{nil, nil, ""},
		{map[string]string{EnvMaxRetries: "3", EnvConnectionTimeout: "2"}, nil, ""},
		{map[string]string{EnvJournalMode: "WAL"}, nil, "WithJournalMode (SQLITE_JOURNAL_MODE)"},
		{map[string]string{EnvJournalMode: "wal"}, nil, "WithJournalMode (SQLITE_JOURNAL_MODE)"},
		{map[string]string{EnvJournalMode: "delete"}, nil, "WithJournalMode (SQLITE_JOURNAL_MODE)"},
		{map[string]string{EnvSynchronous: "NORMAL"}, nil, "WithSynchronous (SQLITE_SYNCHRONOUS)"},
		{map[string]string{EnvCacheSize: fmt.Sprint(defaultPragmas().cacheSize)}, nil, "WithCacheSize (SQLITE_CACHE_SIZE)"},
		{nil, []Option{WithJournalMode("WAL")}, "WithJournalMode (SQLITE_JOURNAL_MODE)"},
		{nil, []Option{WithMmapSize(defaultPragmas().mmapSize)}, "WithMmapSize"},
		{nil, []Option{WithJournalSizeLimit(defaultPragmas().journalSizeLimit)}, "WithJournalSizeLimit"},
		{map[string]string{EnvJournalMode: "WAL", EnvSynchronous: "FULL"}, nil, "WithJournalMode (SQLITE_JOURNAL_MODE), WithSynchronous (SQLITE_SYNCHRONOUS)"},
	} {
		getenv := func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }
		cfg, err := newConfig(getenv, tc.opts)
		if err != nil {
			t.Fatalf("%v %v: %v", tc.env, tc.opts, err)
		}
		err = cfg.sqliteOnly("shop")
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%v: refused: %v", tc.env, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), "PostgreSQL database: "+tc.want+";")):
			t.Errorf("%v %d options: got %v, want the refusal of %s", tc.env, len(tc.opts), err, tc.want)
		case tc.want != "" && !errors.Is(err, ErrValidation):
			t.Errorf("%v: %v is not ErrValidation", tc.env, err)
		}
	}
}
