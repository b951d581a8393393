package migrate

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLint lints a hand-written second migration on top of a first one.
func TestLint(t *testing.T) {
	const (
		first  = "20250101000000_init.sql"
		second = "20250102000000_change.sql"
		init   = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, bio TEXT);\nCREATE TABLE notes (id INTEGER PRIMARY KEY, code TEXT UNIQUE);\n"
	)
	dropBio := "ALTER TABLE users DROP COLUMN bio;\n"
	tests := []struct {
		name   string
		change string
		want   []Finding // File relative to the directory
	}{
		{
			name:   "dropped column",
			change: "-- Drop bio\n" + dropBio,
			want: []Finding{{File: second, Line: 2, Code: "DS103", Severity: SeverityError,
				Message: `Dropping non-virtual column "bio"` + destructiveHint}},
		},
		{
			name:   "dropped table, then a nolint for the column only",
			change: "DROP TABLE notes;\n-- atlas:nolint DS103\n" + dropBio,
			want: []Finding{{File: second, Line: 1, Code: "DS102", Severity: SeverityError,
				Message: `Dropping table "notes"` + destructiveHint}},
		},
		{
			name:   "statement nolint by analyzer",
			change: "-- Drop bio\n-- atlas:nolint destructive\n" + dropBio,
		},
		{
			name:   "statement nolint without arguments",
			change: "-- atlas:nolint\n" + dropBio,
		},
		{
			name:   "nolint of another analyzer",
			change: "-- atlas:nolint data_depend\n" + dropBio,
			want: []Finding{{File: second, Line: 2, Code: "DS103", Severity: SeverityError,
				Message: `Dropping non-virtual column "bio"` + destructiveHint}},
		},
		{
			name:   "file nolint",
			change: "-- atlas:nolint destructive\n\nDROP TABLE notes;\n" + dropBio,
		},
		{
			name: "table rebuild that drops a column and makes one NOT NULL",
			change: `CREATE TABLE new_users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO new_users (id, name) SELECT id, name FROM users;
DROP TABLE users;
ALTER TABLE new_users RENAME TO users;
`,
			want: []Finding{
				{File: second, Line: 1, Code: "DS103", Severity: SeverityError, Message: `Dropping non-virtual column "bio"` + destructiveHint},
				{File: second, Line: 1, Code: "LT101", Severity: SeverityWarning,
					Message: `Modifying nullable column "name" to non-nullable without default value might fail in case it contains NULL values`},
			},
		},
		{
			name:   "renamed table",
			change: "ALTER TABLE notes RENAME TO memos;\n",
			want:   []Finding{{File: second, Line: 1, Code: "BC101", Severity: SeverityWarning, Message: `Renaming table "notes" to "memos"`}},
		},
		{
			name:   "renamed column, by hand",
			change: "ALTER TABLE users RENAME COLUMN bio TO about;\nALTER TABLE \"users\" RENAME \"name\" TO full_name;\nALTER TABLE notes RENAME COLUMN code TO ref;\n",
			want: []Finding{
				{File: second, Line: 1, Code: "BC102", Severity: SeverityWarning, Message: `Renaming column "bio" to "about"`},
				{File: second, Line: 2, Code: "BC102", Severity: SeverityWarning, Message: `Renaming column "name" to "full_name"`},
				{File: second, Line: 3, Code: "BC102", Severity: SeverityWarning, Message: `Renaming column "code" to "ref"`},
			},
		},
		{
			name:   "statement that fails",
			change: "ALTER TABLE users ADD COLUMN x;\nALTER TABLE nobody ADD COLUMN y;\n",
			want: []Finding{{File: second, Line: 2, Code: CodeReplay, Severity: SeverityError,
				Message: "statement fails on the schema of the migrations before it: sqlite3: SQL logic error: no such table: nobody"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, first), init)
			writeFile(t, filepath.Join(dir, second), tt.change)
			rehash(t, dir)
			got, err := Lint(context.Background(), dir, []string{second})
			if err != nil {
				t.Fatal(err)
			}
			for i := range got {
				got[i].File = filepath.Base(got[i].File)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLintUnknownFile(t *testing.T) {
	dir := t.TempDir()
	if _, err := Lint(context.Background(), dir, []string{"20250101000000_nope.sql"}); err == nil {
		t.Error("Lint of a missing file succeeded")
	}
}
