package introspect

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/ncruces/go-sqlite3/driver"
	"github.com/ncruces/go-sqlite3/ext/fts5"

	"github.com/dbgen-dev/dbgen/gen"
	dbrt "github.com/dbgen-dev/dbgen/runtime"
)

// TestMatchesGenerated checks that a file made from the example schemas
// introspects to the metadata dbgen generated for it: the admin API then
// behaves the same with or without generated packages.
func TestMatchesGenerated(t *testing.T) {
	ctx := context.Background()
	for _, def := range gen.Registry() {
		t.Run(def.Name, func(t *testing.T) {
			dir := t.TempDir()
			// Open applies the migrations, which also creates the revisions
			// table that introspection must leave out.
			db, err := dbrt.Open(ctx, dir, def)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			got, err := File(ctx, filepath.Join(dir, def.Name+".db"))
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != def.Name || got.DDL != "" || got.Migrations != nil {
				t.Errorf("got name %q, DDL %q, migrations %v; want %q and neither", got.Name, got.DDL, got.Migrations, def.Name)
			}
			// Go names are codegen's business; the order of tables follows
			// the migration, which may differ from the schema files'.
			opts := cmp.Options{
				cmpopts.IgnoreFields(dbrt.Column{}, "GoType", "GoField"),
				cmpopts.SortSlices(func(a, b dbrt.Table) bool { return a.Name < b.Name }),
				cmpopts.EquateEmpty(),
			}
			if diff := cmp.Diff(def.Tables, got.Tables, opts); diff != "" {
				t.Errorf("introspected tables (-generated +introspected):\n%s", diff)
			}
		})
	}
}

func TestShadowTablesAndOrder(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "docs.db")
	mustExec(t, path, `
		CREATE TABLE zeta (id INTEGER PRIMARY KEY, body TEXT);
		CREATE VIRTUAL TABLE search USING fts5(body, content='zeta', content_rowid='id');
		CREATE TABLE alpha (k TEXT NOT NULL, v BLOB, PRIMARY KEY (k)) WITHOUT ROWID;
		CREATE VIEW bodies AS SELECT body, length(body) AS n FROM zeta;
		CREATE TABLE dbgen_revisions (version TEXT PRIMARY KEY);`)
	def, err := File(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tb := range def.Tables {
		names = append(names, tb.Name)
	}
	if diff := cmp.Diff([]string{"zeta", "search", "alpha", "bodies"}, names); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
	if s := def.Table("search"); s == nil || !s.Virtual {
		t.Errorf("search = %+v, want a virtual table", s)
	}
	if b := def.Table("bodies"); b == nil || !b.View || len(b.Columns) != 2 {
		t.Errorf("bodies = %+v, want a view of two columns", b)
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.db")
	if err := os.WriteFile(junk, []byte(strings.Repeat("not a database ", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{junk, filepath.Join(dir, "missing.db")} {
		_, err := File(ctx, path)
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("File(%s) = %v, want an error naming the file", path, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); !os.IsNotExist(err) {
		t.Errorf("introspecting a missing file created it: %v", err)
	}
}

func mustExec(t *testing.T, path, ddl string) {
	t.Helper()
	db, err := driver.Open("file:"+filepath.ToSlash(path), fts5.Register)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(ddl); err != nil {
		t.Fatal(err)
	}
}

func TestDir(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	mustExec(t, filepath.Join(dir, "shop.db"), `CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)`)
	mustExec(t, filepath.Join(dir, "audit.db"), `CREATE TABLE events (at TEXT, what TEXT)`)
	mustExec(t, filepath.Join(dir, "Bad Name.db"), `CREATE TABLE x (y)`)
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a database"), 0o644); err != nil {
		t.Fatal(err)
	}
	reg, skipped, err := Dir(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range reg {
		names = append(names, d.Name)
	}
	if diff := cmp.Diff([]string{"audit", "shop"}, names); diff != "" {
		t.Errorf("databases (-want +got):\n%s", diff)
	}
	if len(skipped) != 1 || skipped[0].File != "Bad Name.db" {
		t.Errorf("skipped = %+v", skipped)
	}
	if pk := reg[0].Table("events").PrimaryKey; !cmp.Equal(pk, []string{"rowid"}) {
		t.Errorf("events key = %v, want rowid", pk)
	}

	if err := os.WriteFile(filepath.Join(dir, "junk.db"), []byte(strings.Repeat("junk", 200)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Dir(ctx, dir); err == nil || !strings.Contains(err.Error(), "junk.db") {
		t.Errorf("Dir with a junk file: %v", err)
	}
}

// TestViewColumnTypes: SQLite (3.41 on) reports a view column taken from a
// column declared without a type as "BLOB", its affinity, although it holds
// any storage class. Such a view column has no declared type, as the table
// column has none; a column declared BLOB stays BLOB through a view.
func TestViewColumnTypes(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.db")
	mustExec(t, path, `
		CREATE TABLE t (b, z BLOB, n INTEGER NOT NULL, x TEXT);
		INSERT INTO t VALUES ('x', x'00', 1, 'a');
		CREATE VIEW v AS SELECT b, z, n, x, CAST(b AS BLOB) AS cb, (SELECT b FROM t) AS sq FROM t;
		CREATE VIEW w AS SELECT b, z FROM v;
		CREATE VIEW j AS SELECT t.b, t.z FROM t LEFT JOIN t AS u ON u.n = t.n;`)
	def, err := File(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]string{
		"t": {"b": "", "z": "BLOB", "n": "INTEGER", "x": "TEXT"},
		"v": {"b": "", "z": "BLOB", "n": "INTEGER", "x": "TEXT", "cb": "", "sq": ""},
		"w": {"b": "", "z": "BLOB"},
		"j": {"b": "", "z": "BLOB"},
	}
	for table, cols := range want {
		tb := def.Table(table)
		if tb == nil {
			t.Fatalf("no %s in %+v", table, def.Tables)
		}
		for col, typ := range cols {
			c := tb.Column(col)
			if c == nil {
				t.Errorf("%s has no column %s", table, col)
				continue
			}
			if c.SQLType != typ {
				t.Errorf("%s.%s: type %q, want %q", table, col, c.SQLType, typ)
			}
		}
	}
	if c := def.Table("v").Column("n"); c.Nullable {
		t.Errorf("v.n is nullable; t.n is NOT NULL")
	}
}
