package runtime

import (
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
