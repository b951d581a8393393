package migrate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const (
	usersV1 = `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE VIEW names AS SELECT name FROM users;`
	usersV2 = `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT);
CREATE VIEW names AS SELECT name FROM users;
CREATE INDEX users_email ON users (email);`
	usersV3 = `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, bio TEXT);
CREATE VIEW names AS SELECT name, email FROM users;
CREATE INDEX users_email ON users (email);
CREATE TABLE teams (id INTEGER PRIMARY KEY);`
)

// TestVerify checks the findings of dbgen check on a directory of two
// migrations after each kind of damage.
func TestVerify(t *testing.T) {
	const (
		m1 = "20250102150505_init.sql"
		m2 = "20250102150605_email.sql"
	)
	tests := []struct {
		name    string
		desired string
		damage  func(t *testing.T, dir string)
		want    []Finding // File relative to the directory
	}{
		{
			name:    "in sync",
			desired: usersV2,
		},
		{
			name:    "schema change without a migration",
			desired: usersV3,
			want: []Finding{
				{File: ".", Code: CodeDrift, Severity: SeverityError, Message: `the migrations do not reach the schema files, a migration must still add column "bio" on table "users": plan it with dbgen migrate diff`},
				{File: ".", Code: CodeDrift, Severity: SeverityError, Message: `the migrations do not reach the schema files, a migration must still create table "teams": plan it with dbgen migrate diff`},
				{File: ".", Code: CodeDrift, Severity: SeverityError, Message: `the migrations do not reach the schema files, a migration must still change view "names": plan it with dbgen migrate diff`},
			},
		},
		{
			name:    "collation change without a migration",
			desired: strings.Replace(usersV2, "name TEXT NOT NULL", "name TEXT NOT NULL COLLATE NOCASE", 1),
			want: []Finding{{File: ".", Code: CodeDrift, Severity: SeverityError,
				Message: `the migrations do not reach the schema files, a migration must still redefine column "name" from "name text not null" to "name text not null collate nocase" on table "users": plan it with dbgen migrate diff`}},
		},
		{
			name:    "edited migration",
			desired: usersV2,
			damage: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, m1), readFile(t, filepath.Join(dir, m1))+"-- a harmless edit\n")
			},
			want: []Finding{{File: m1, Code: CodeSum, Severity: SeverityError,
				Message: "edited after atlas.sum was written: migrations are append-only; restore the file (git checkout) and put the change in a new migration with dbgen migrate diff"}},
		},
		{
			name:    "deleted migration",
			desired: usersV2,
			damage:  func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, m2)) },
			want: []Finding{
				{File: "atlas.sum", Line: 3, Code: CodeSum, Severity: SeverityError,
					Message: m2 + " is listed but missing: it was deleted or renamed; migrations are append-only, restore it (git checkout)"},
				{File: "down/" + m2, Code: CodeDownPairing, Severity: SeverityError,
					Message: "down script without a migration " + m2 + ": remove it, or restore its migration"},
				{File: ".", Code: CodeDrift, Severity: SeverityError,
					Message: `the migrations do not reach the schema files, a migration must still add column "email", add index "users_email" on table "users": plan it with dbgen migrate diff`},
			},
		},
		{
			name:    "migration added by hand",
			desired: usersV2,
			damage: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "20250102150805_extra.sql"), "CREATE TABLE extra (id INTEGER);\n")
			},
			want: []Finding{
				{File: "20250102150805_extra.sql", Code: CodeSum, Severity: SeverityError,
					Message: "not listed in atlas.sum: it was added or renamed by hand; remove it and write migrations with dbgen migrate diff"},
				{File: "20250102150805_extra.sql", Code: CodeDownPairing, Severity: SeverityError,
					Message: "no down script down/20250102150805_extra.sql: restore it (git checkout); dbgen migrate diff writes one with every migration"},
				{File: ".", Code: CodeDrift, Severity: SeverityError,
					Message: `the migrations do not reach the schema files, a migration must still drop table "extra": plan it with dbgen migrate diff`},
			},
		},
		{
			name:    "atlas.sum edited",
			desired: usersV2,
			damage: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "atlas.sum"), "h1:AAAA\n"+m1+" h1:BBBB\n")
			},
			want: []Finding{{File: "atlas.sum", Line: 1, Code: CodeSum, Severity: SeverityError,
				Message: "edited by hand: its lines do not add up; restore it (git checkout)"}},
		},
		{
			name:    "down script deleted",
			desired: usersV2,
			damage: func(t *testing.T, dir string) {
				os.Remove(filepath.Join(dir, "down", m2))
				rehash(t, dir)
			},
			want: []Finding{{File: m2, Code: CodeDownPairing, Severity: SeverityError,
				Message: "no down script down/" + m2 + ": restore it (git checkout); dbgen migrate diff writes one with every migration"}},
		},
		{
			name:    "down script that does not undo its migration",
			desired: usersV2,
			damage: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "down", m2), "DROP INDEX users_email;\n")
				rehash(t, dir)
			},
			want: []Finding{{File: "down/" + m2, Code: CodeDownMismatch, Severity: SeverityError,
				Message: `does not restore the schema from before ` + m2 + `, it must still drop column "email" on table "users": restore the planned script (git checkout)`}},
		},
		{
			name:    "migration that does not replay",
			desired: usersV2,
			damage: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, m2), "-- broken\nALTER TABLE users ADD COLUMN email TEXT;\nALTER TABLE nobody ADD COLUMN x;\n")
				rehash(t, dir)
			},
			want: []Finding{{File: m2, Line: 3, Code: CodeReplay, Severity: SeverityError,
				Message: "ALTER TABLE nobody ADD COLUMN x: sqlite3: SQL logic error: no such table: nobody"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "migrations")
			now := clock()
			plan(t, dir, "init", usersV1, now, false)
			plan(t, dir, "email", usersV2, now, false)
			if tt.damage != nil {
				tt.damage(t, dir)
			}
			got, err := Verify(context.Background(), dir, tt.desired)
			if err != nil {
				t.Fatal(err)
			}
			for i := range got {
				rel, err := filepath.Rel(dir, got[i].File)
				if err != nil {
					t.Fatal(err)
				}
				got[i].File = filepath.ToSlash(rel)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestVerifyWithoutMigrations(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "migrations")
	got, err := Verify(context.Background(), dir, usersV1)
	if err != nil {
		t.Fatal(err)
	}
	want := []Finding{
		{File: dir, Code: CodeDrift, Severity: SeverityError, Message: `the migrations do not reach the schema files, a migration must still create table "users": plan it with dbgen migrate diff`},
		{File: dir, Code: CodeDrift, Severity: SeverityError, Message: `the migrations do not reach the schema files, a migration must still create view "names": plan it with dbgen migrate diff`},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

func TestUncovered(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if got, err := Uncovered(ctx, dir, usersV1); err != nil || got != nil {
		t.Errorf("Uncovered without migrations = %q, %v; want none", got, err)
	}
	plan(t, dir, "init", usersV1, clock(), false)
	if got, err := Uncovered(ctx, dir, usersV1); err != nil || len(got) > 0 {
		t.Errorf("Uncovered in sync = %q, %v; want none", got, err)
	}
	got, err := Uncovered(ctx, dir, usersV2)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`add column "email", add index "users_email" on table "users"`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Uncovered (-want +got):\n%s", diff)
	}
}

// TestVerifyUnshipped: an edited or deleted migration that was never
// shipped is fixed with dbgen migrate hash, not restored.
func TestVerifyUnshipped(t *testing.T) {
	const m2 = "20250102150605_email.sql"
	onlyFirst := VerifyOptions{Shipped: func(name string) bool { return name != m2 }}
	for name, tt := range map[string]struct {
		damage func(dir string)
		want   []Finding
	}{
		"edited": {
			damage: func(dir string) {
				writeFile(t, filepath.Join(dir, m2), readFile(t, filepath.Join(dir, m2))+"-- an edit\n")
			},
			want: []Finding{{File: m2, Code: CodeSum, Severity: SeverityError,
				Message: "edited after atlas.sum was written; it was never shipped (not on the base revision), so the edit may stand: run dbgen migrate hash to record it"}},
		},
		"deleted": {
			damage: func(dir string) {
				os.Remove(filepath.Join(dir, m2))
			},
			want: []Finding{
				{File: "atlas.sum", Line: 3, Code: CodeSum, Severity: SeverityError,
					Message: m2 + " is listed but missing; it was never shipped (not on the base revision), so it may go: run dbgen migrate hash to take it out"},
				{File: "down/" + m2, Code: CodeDownPairing, Severity: SeverityError,
					Message: "down script without a migration " + m2 + ", which was never shipped: remove it too, then run dbgen migrate hash"},
				{File: ".", Code: CodeDrift, Severity: SeverityError,
					Message: `the migrations do not reach the schema files, a migration must still add column "email", add index "users_email" on table "users": plan it with dbgen migrate diff`},
			},
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "migrations")
			now := clock()
			plan(t, dir, "init", usersV1, now, false)
			plan(t, dir, "email", usersV2, now, false)
			tt.damage(dir)
			got, err := VerifyWith(context.Background(), dir, usersV2, onlyFirst)
			if err != nil {
				t.Fatal(err)
			}
			for i := range got {
				rel, _ := filepath.Rel(dir, got[i].File)
				got[i].File = filepath.ToSlash(rel)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}
