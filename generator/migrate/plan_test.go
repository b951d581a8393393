package migrate

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	atlas "ariga.io/atlas/sql/migrate"
	"github.com/google/go-cmp/cmp"
)

func TestPlanNoChanges(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "migrations")
	now := clock()
	r, err := Plan(ctx, PlanInput{Database: "test", Dir: dir, Name: "empty", Now: now})
	if err != nil || r.Changed() {
		t.Errorf("Plan of an empty schema without migrations = %+v, %v; want no change", r, err)
	}
	plan(t, dir, "init", usersV1, now, false)
	r, err = Plan(ctx, PlanInput{Database: "test", DesiredDDL: usersV1, Dir: dir, Name: "again", Now: now})
	if err != nil || r.Changed() || r.Version != "" {
		t.Errorf("Plan of an unchanged schema = %+v, %v; want no change", r, err)
	}
}

// TestLayout checks that Atlas's own directory reader sees the up
// migrations, and only them, and that both atlas.sum files validate.
func TestLayout(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "migrations")
	now := clock()
	r1 := plan(t, dir, "init", usersV1, now, false)
	r2 := plan(t, dir, "email", usersV2, now, false)
	for _, c := range []struct {
		path string
		want []string
	}{
		{dir, []string{r1.Version + "_init.sql", r2.Version + "_email.sql"}},
		{filepath.Join(dir, "down"), []string{r1.Version + "_init.sql", r2.Version + "_email.sql"}},
	} {
		ld, err := atlas.NewLocalDir(c.path)
		if err != nil {
			t.Fatal(err)
		}
		if err := atlas.Validate(ld); err != nil {
			t.Errorf("atlas.Validate(%s) = %v", c.path, err)
		}
		files, err := ld.Files()
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, f := range files {
			names = append(names, f.Name())
		}
		if diff := cmp.Diff(c.want, names); diff != "" {
			t.Errorf("Atlas reads %s as (-want +got):\n%s", c.path, diff)
		}
	}
	if v := atlas.NewLocalFile(filepath.Base(r2.Files[0].Path), nil).Version(); v != r2.Version {
		t.Errorf("Atlas version of %s = %q, want %q", r2.Files[0].Path, v, r2.Version)
	}
}

func TestPlanDestructive(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "migrations")
	now := clock()
	plan(t, dir, "init", usersV2, now, false)
	in := PlanInput{Database: "test", DesiredDDL: usersV1, Dir: dir, Name: "drop_email", Now: now}
	_, err := Plan(ctx, in)
	var de *DestructiveError
	if !errors.As(err, &de) {
		t.Fatalf("Plan of a dropped column = %v, want a DestructiveError", err)
	}
	name := filepath.Join(dir, "20250102150605_drop_email.sql")
	want := []Finding{{File: name, Line: 7, Code: "DS103", Severity: SeverityError,
		Message: `Dropping non-virtual column "email"` + destructiveHint}}
	if diff := cmp.Diff(want, de.Findings); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(name); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused migration was written: %v", err)
	}

	in.AllowDestructive = true
	r, err := Plan(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(dir, r); err != nil {
		t.Fatal(err)
	}
	// The approval stays with the file: lint passes without the flag.
	findings, err := Lint(ctx, dir, []string{filepath.Base(r.Files[0].Path)})
	if err != nil || len(findings) != 0 {
		t.Errorf("Lint of an allowed destructive migration = %v, %v; want nothing", findings, err)
	}
	if up := string(r.Files[0].Data); !strings.Contains(up, "-- Dropping non-virtual column \"email\": allowed when planned.\n-- atlas:nolint destructive\n") {
		t.Errorf("the migration does not record the approval:\n%s", up)
	}
	if err := Write(dir, r); err == nil || !strings.Contains(err.Error(), "migrations are never rewritten") {
		t.Errorf("second Write = %v, want a refusal", err)
	}
}

func TestPlanRefuses(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "migrations")
	now := clock()
	r := plan(t, dir, "init", usersV1, now, false)
	tests := []struct {
		name string
		in   PlanInput
		prep func()
		want string
	}{
		{
			name: "bad name",
			in:   PlanInput{DesiredDDL: usersV2, Dir: dir, Name: "add email", Now: now},
			want: `migration name "add email": use letters, digits and underscores only`,
		},
		{
			name: "edited migration",
			in:   PlanInput{DesiredDDL: usersV2, Dir: dir, Name: "email", Now: now},
			prep: func() { writeFile(t, r.Files[0].Path, "-- edited\n") },
			want: r.Files[0].Path + ": DG101: edited after atlas.sum was written: migrations are append-only; restore the file (git checkout) " +
				"and put the change in a new migration with dbgen migrate diff: fix the migrations directory before planning the next migration (see dbgen check)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.prep != nil {
				tt.prep()
			}
			if _, err := Plan(ctx, tt.in); err == nil || err.Error() != tt.want {
				t.Errorf("Plan = %v\nwant %s", err, tt.want)
			}
		})
	}
}

// TestNextVersionAfterLatest: a clock at or behind the latest migration (two
// diffs in one second, a fixed SOURCE_DATE_EPOCH) still orders the new one
// after it.
func TestNextVersionAfterLatest(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "20250102150505_init.sql"), "CREATE TABLE t (x);\n")
	if err := Rehash(dir); err != nil {
		t.Fatal(err)
	}
	d, err := readDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Time{time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 1, 2, 15, 5, 5, 0, time.UTC)} {
		v, err := nextVersion(d, func() time.Time { return at })
		if err != nil || v != "20250102150506" {
			t.Errorf("at %v: nextVersion = %q, %v; want 20250102150506", at, v, err)
		}
	}
}
