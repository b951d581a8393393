package apptest

import (
	"testing"

	"github.com/dbgen-dev/dbgen/gen"
	"github.com/dbgen-dev/dbgen/internal/pgtest"
	dbrt "github.com/dbgen-dev/dbgen/runtime"
)

// The example's tests run on both engines, from the same generated
// packages: only what Open and OpenManager are given differs, a folder of
// SQLite files or a postgres:// URL.

func TestMain(m *testing.M) { pgtest.Main(m) }

// engine is a database engine a test runs on.
type engine string

const (
	sqliteEngine   engine = "sqlite"
	postgresEngine engine = "postgres"
)

func (eng engine) pg() bool { return eng == postgresEngine }

// onEngines runs fn as a subtest per engine, named after it.
func onEngines(t *testing.T, fn func(t *testing.T, eng engine)) {
	t.Helper()
	for _, eng := range []engine{sqliteEngine, postgresEngine} {
		t.Run(string(eng), func(t *testing.T) { fn(t, eng) })
	}
}

// dir is what Open and OpenManager take for a test on eng: a temporary
// folder, or the URL of a new PostgreSQL database on pgtest's server
// (dropped when the test ends). On PostgreSQL the test is skipped when a
// package of defs (every package of the example when none is given) was
// generated without the postgres target, and so has no PostgreSQL schema
// to open.
func (eng engine) dir(t *testing.T, defs ...*dbrt.Definition) string {
	t.Helper()
	if !eng.pg() {
		return t.TempDir()
	}
	if len(defs) == 0 {
		defs = gen.Registry()
	}
	for _, def := range defs {
		if def.Postgres == nil {
			t.Skipf("gen/%s has no PostgreSQL schema: the example application is generated without the postgres target "+
				"(targets: [sqlite, postgres] in dbgen.yaml, then dbgen generate)", def.Name)
		}
	}
	return pgtest.Start(t).NewDatabase(t)
}
