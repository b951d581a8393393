package runtime

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dbgen-dev/dbgen/internal/pgtest"
)

// The schemas of the test databases on PostgreSQL, as dbgen's generator
// derives them from the SQLite DDL of the tests (generator/postgres).
var (
	//go:embed testdata/postgres/shop.sql
	shopPostgresDDL string
	//go:embed testdata/postgres/catalog.sql
	catalogPostgresDDL string
	//go:embed testdata/postgres/items.sql
	itemsPostgresDDL string
)

// engine is one of the engines the runtime's tests run on.
type engine struct{ name string }

var (
	sqliteEngine   = engine{"sqlite"}
	postgresEngine = engine{"postgres"}
	engines        = []engine{sqliteEngine, postgresEngine}
)

func (e engine) pg() bool { return e == postgresEngine }

// forEngines runs fn as a subtest on each engine. The PostgreSQL one is
// skipped without a server locally, and fails without one in CI.
func forEngines(t *testing.T, fn func(t *testing.T, e engine)) {
	t.Helper()
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) { fn(t, e) })
	}
}

// location is where Open puts a new database on e: a folder, or the URL
// of a new PostgreSQL database.
func (e engine) location(t testing.TB) string {
	t.Helper()
	if e.pg() {
		return pgtest.Start(t).NewDatabase(t)
	}
	return t.TempDir()
}

// open opens def in a new location on e, closed when t ends.
func (e engine) open(t testing.TB, def *Definition, opts ...Option) *DB {
	t.Helper()
	return openAt(t, e.location(t), def, opts...)
}

// sql is a statement of a test's own for e: ? placeholders numbered on
// PostgreSQL.
func (e engine) sql(query string) string {
	if e.pg() {
		return rebindText(query)
	}
	return query
}

// cmp is how values read back on e compare with what was written: times
// as instants; on PostgreSQL JSON as JSON, since jsonb gives its own text
// of the same value ({"a": 1} for {"a":1}).
func (e engine) cmp() cmp.Option {
	if !e.pg() {
		return equalTimes
	}
	return cmp.Options{equalTimes, cmp.Comparer(sameJSON)}
}

// sameJSON reports whether a and b are the same JSON value, or both nil.
func sameJSON(a, b JSON) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return bytes.Equal(a, b)
	}
	return reflect.DeepEqual(x, y)
}
