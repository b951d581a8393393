package config

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		yaml, want string
	}{
		{"root: [schemas]\n", "dbgen.yaml:1: unknown key root in dbgen.yaml; did you mean roots?"},
		{"roots: [x]\nouts: gen\n", "dbgen.yaml:2: unknown key outs in dbgen.yaml; did you mean out?"},
		{"roots: [x]\nnullstyle: pointer\n", "dbgen.yaml:2: unknown key nullstyle in dbgen.yaml; did you mean null_style?"},
		{"overrides:\n  - colum: a.b\n    go_type: string\n", "dbgen.yaml:2: unknown key colum in an override; did you mean column?"},
		{"zzz: 1\n", "dbgen.yaml:1: unknown key zzz in dbgen.yaml; the keys are roots, schema_globs, query_globs, out, default_database, null_style, initialisms, overrides, targets"},
		{"overrides:\n  - column: a.b\n    go_type: \"not a type!\"\n", `dbgen.yaml:2: go_type "not a type!" is neither a basic Go type (string, int64, bool, ...) nor an import path and type (github.com/google/uuid.UUID)`},
		{"overrides:\n  - column: a.b\n    go_type: github.com/x/y.\n", `dbgen.yaml:2: go_type "github.com/x/y.": "" is not an exported Go type name; write the import path, a dot and the type, e.g. github.com/google/uuid.UUID`},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, FileName), []byte(tt.yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(dir, "")
		if err == nil || err.Error() != tt.want {
			t.Errorf("%q:\n got %v\nwant %s", tt.yaml, err, tt.want)
		}
	}
}

func TestParseGoType(t *testing.T) {
	tests := []struct{ in, expr, imp string }{
		{"string", "string", ""},
		{"[]byte", "[]byte", ""},
		{"*int64", "*int64", ""},
		{"time.Time", "time.Time", "time"},
		{"github.com/google/uuid.UUID", "uuid.UUID", "github.com/google/uuid"},
		{"*github.com/google/uuid.UUID", "*uuid.UUID", "github.com/google/uuid"},
		{"gopkg.in/guregu/null.v4.String", "null_v4.String", "gopkg.in/guregu/null.v4"},
		{"github.com/jackc/pgx/v5/pgtype.Text", "pgtype.Text", "github.com/jackc/pgx/v5/pgtype"},
		{"github.com/x/go-thing.T", "thing.T", "github.com/x/go-thing"},
	}
	for _, tt := range tests {
		got, err := ParseGoType(tt.in)
		if err != nil || got.Expr() != tt.expr || got.Import != tt.imp {
			t.Errorf("ParseGoType(%q) = %+v (%s), %v; want %s from %q", tt.in, got, got.Expr(), err, tt.expr, tt.imp)
		}
	}
}

func TestTargets(t *testing.T) {
	tests := []struct {
		yaml     string
		postgres bool
		want     string // the error, "" for none
	}{
		{"roots: [x]\n", false, ""},
		{"targets: [sqlite]\n", false, ""},
		{"targets: [sqlite, postgres]\n", true, ""},
		{"targets:\n  - postgres\n  - sqlite\n", true, ""},
		{"targets: [sqlite, postgresql]\n", false, `dbgen.yaml:1: unknown target "postgresql"; did you mean postgres? The targets are sqlite and postgres`},
		{"roots: [x]\ntargets:\n  - sqlite\n  - mysql\n", false, `dbgen.yaml:4: unknown target "mysql"; the targets are sqlite and postgres`},
		{"targets: [sqlite, Postgres]\n", false, `dbgen.yaml:1: unknown target "Postgres"; did you mean postgres? The targets are sqlite and postgres`},
		{"targets: []\n", false, `dbgen.yaml:1: targets is empty; list the engines to generate for, e.g. targets: [sqlite, postgres]`},
		{"targets: [postgres]\n", false, `dbgen.yaml:1: targets must include sqlite: the schema files are SQLite's and every package opens SQLite files; write targets: [sqlite, postgres]`},
		{"targets: [sqlite, postgres, sqlite]\n", false, `dbgen.yaml:1: target sqlite is listed twice`},
		{"targets: sqlite\n", false, "dbgen.yaml:1: cannot unmarshal !!str `sqlite` into []string"},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, FileName), []byte(tt.yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, err := Load(dir, "")
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("%q:\n got %v\nwant %s", tt.yaml, got, tt.want)
			continue
		}
		if err == nil && cfg.Postgres() != tt.postgres {
			t.Errorf("%q: Postgres() = %v, want %v", tt.yaml, cfg.Postgres(), tt.postgres)
		}
	}
	if Default().Postgres() || !slices.Equal(Default().Targets, []string{"sqlite"}) {
		t.Errorf("default targets = %v, want [sqlite]", Default().Targets)
	}
}
