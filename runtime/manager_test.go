package runtime

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dbgen-dev/dbgen/runtime/migrate"
)

func appRegistry() Registry {
	framework := &Definition{Name: "framework", DDL: `CREATE TABLE modules(name TEXT PRIMARY KEY); CREATE TABLE settings(k TEXT PRIMARY KEY, v TEXT);`}
	billing := &Definition{Name: "billing", DDL: `CREATE TABLE invoices(id INTEGER PRIMARY KEY, total REAL);`}
	return Registry{framework, shopDef(), billing}
}

func TestManager(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	m, err := OpenManager(ctx, dir, appRegistry(), WithReaders(2))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if diff := cmp.Diff([]string{"framework", "shop", "billing"}, m.Names()); diff != "" {
		t.Errorf("Names (-want +got):\n%s", diff)
	}
	shop, err := m.DB("shop")
	if err != nil || shop.Path() != filepath.Join(dir, "shop.db") {
		t.Fatalf("DB(shop) = %v, %v", shop, err)
	}
	if _, err := m.DB("nope"); !errors.Is(err, ErrDatabaseNotFound) {
		t.Errorf("DB(nope): %v", err)
	}
	if err := m.Ready(ctx); err != nil {
		t.Errorf("Ready: %v", err)
	}
	got := m.Status(ctx)
	for i := range got {
		if got[i].SizeBytes <= 0 {
			t.Errorf("%s: size %d", got[i].Name, got[i].SizeBytes)
		}
		got[i].SizeBytes = 0
	}
	want := []DatabaseStatus{
		{Name: "framework", Path: filepath.Join(dir, "framework.db"), Tables: 2, Ready: true},
		{Name: "shop", Path: filepath.Join(dir, "shop.db"), Tables: 5, Ready: true},
		{Name: "billing", Path: filepath.Join(dir, "billing.db"), Tables: 1, Ready: true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Status (-want +got):\n%s", diff)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if err := m.Ready(ctx); err == nil {
		t.Error("Ready after Close succeeded")
	}
	if st := m.Status(ctx); st[0].Ready || st[0].Error == "" {
		t.Errorf("Status after Close: %+v", st[0])
	}
}

func TestOpenManagerFailures(t *testing.T) {
	ctx := context.Background()
	broken := &Definition{Name: "broken", DDL: "CREATE TABLE ("}
	tests := []struct {
		name string
		reg  Registry
		want string
	}{
		{"duplicate", Registry{shopDef(), shopDef()}, "registered twice"},
		{"nil entry", Registry{shopDef(), nil}, "entry 1 is nil"},
		{"one fails", Registry{shopDef(), broken}, "broken: create the schema"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			m, err := OpenManager(ctx, dir, tt.reg)
			if err == nil {
				m.Close()
				t.Fatal("OpenManager succeeded")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
			// The databases that did open were closed again: their WAL
			// files are checkpointed away.
			if _, err := os.Stat(filepath.Join(dir, "shop.db-wal")); err == nil {
				t.Error("shop.db left open")
			}
		})
	}
}

// TestStatusMigrationVersionWithoutFolder: a file opened without its
// migrations folder, as dbgen serve opens what it introspects, reports the
// revision recorded in it, the one migrate.Applied lists last.
func TestStatusMigrationVersionWithoutFolder(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	def := shopDef()
	def.DDL = withScore
	def.Migrations = migrationsDir(t, map[string]string{initial: shopDDL, addScore: scoreDDL})
	db, err := Open(ctx, dir, def)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	served := shopDef()
	served.DDL, served.Migrations = "", nil
	m, err := OpenManager(ctx, dir, Registry{served})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	st := m.Status(ctx)
	if len(st) != 1 || st[0].MigrationVersion != "20260102000000" || !st[0].Ready {
		t.Errorf("Status = %+v, want migration version 20260102000000", st)
	}
	shop, _ := m.DB("shop")
	revs, err := migrate.Applied(ctx, shop.Reader())
	if err != nil || len(revs) != 2 || revs[1].Version != st[0].MigrationVersion {
		t.Errorf("Applied = %+v, %v; Status says %q", revs, err, st[0].MigrationVersion)
	}
}
