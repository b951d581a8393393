package sqlcgen

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const usersSchema = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);\nCREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id), body TEXT);\n"

const crud = "-- name: GetUser :one\nSELECT * FROM users WHERE id = ?;\n\n-- name: CountUsers :one\nSELECT count(*) FROM users;\n"

func TestErrors(t *testing.T) {
	tests := []struct {
		name    string
		schema  string
		queries []QueryFile
		want    []Diagnostic
	}{{
		name:   "unknown column, mapped to the file and line",
		schema: usersSchema,
		queries: []QueryFile{query("<crud>", crud), query("accounts/queries.sql",
			"-- A file comment.\n\n-- name: ByEmail :one\nSELECT * FROM users WHERE email = ?;\n\n-- name: Bad :many\nSELECT id, nope\nFROM users;\n")},
		want: []Diagnostic{{Path: "accounts/queries.sql", Line: 7, Col: 12, Msg: "no such column: nope"}},
	}, {
		name:   "unknown table",
		schema: usersSchema,
		queries: []QueryFile{query("<crud>", crud), query("accounts/queries.sql",
			"-- name: Gone :many\nSELECT * FROM comments;\n")},
		want: []Diagnostic{{Path: "accounts/queries.sql", Line: 2, Col: 1, Msg: "no such table: comments"}},
	}, {
		name:   "syntax errors, at their line in each file",
		schema: usersSchema,
		queries: []QueryFile{query("<crud>", crud), query("accounts/queries.sql",
			"-- name: A :one\nSELECT 1;\n\n-- name: B :many\nSELECT * FORM users;\n\n-- name: C :exec\nDELETE FROM users WHERE id = ?;\n"),
			query("accounts/more.queries.sql", "-- name: D :one\nSELEC 1;\n")},
		want: []Diagnostic{
			{Path: "accounts/more.queries.sql", Line: 2, Col: 1, Msg: "syntax error: mismatched input 'SELEC'"},
			{Path: "accounts/queries.sql", Line: 5, Col: 10, Msg: "syntax error: extraneous input 'FORM'"},
		},
	}, {
		// Columns count runes: the comment's 漢字 and — are two and one
		// columns, not six and three bytes.
		name:   "errors after multi-byte text on the line, at their rune column",
		schema: usersSchema,
		queries: []QueryFile{query("<crud>", crud), query("accounts/queries.sql",
			"-- name: A :many\n/* 漢字 */ SELECT * FROM comments;\n\n-- name: B :many\n/* — */ SELECT * FORM users;\n")},
		want: []Diagnostic{
			{Path: "accounts/queries.sql", Line: 2, Col: 10, Msg: "no such table: comments"},
			{Path: "accounts/queries.sql", Line: 5, Col: 18, Msg: "syntax error: extraneous input 'FORM'"},
		},
	}, {
		// sqlc measures a query in characters and cuts it in bytes: text
		// outside comments must be ASCII, or the query would lose its end.
		name:   "non-ASCII text in a query",
		schema: usersSchema,
		queries: []QueryFile{query("accounts/queries.sql",
			"-- name: A :many\n-- 漢字 in a comment is fine.\nSELECT id FROM users WHERE email = 'é' ORDER BY id DESC;\n")},
		want: []Diagnostic{{Path: "accounts/queries.sql", Line: 3, Col: 37, Msg: "'é' is not ASCII: sqlc v1.31.1 counts the query in characters but cuts it in bytes, " +
			"so the query it writes would lose its end; pass the text as a parameter, or write it with char() (char(233))"}},
	}, {
		name:   "a statement without a name, and two on one line",
		schema: usersSchema,
		queries: []QueryFile{query("accounts/queries.sql",
			"SELECT 1;\n-- name: A :exec\nDELETE FROM posts; DELETE FROM users;\n")},
		want: []Diagnostic{
			{Path: "accounts/queries.sql", Line: 1, Col: 1, Msg: "statement without a `-- name: Name :cmd` line: sqlc would drop it silently; give it a name line of its own (a query is one statement)"},
			{Path: "accounts/queries.sql", Line: 3, Col: 20, Msg: "statement without a `-- name: Name :cmd` line: sqlc would drop it silently; give it a name line of its own (a query is one statement)"},
		},
	}, {
		name:   "query names Go cannot take",
		schema: usersSchema,
		queries: []QueryFile{query("accounts/queries.sql",
			"-- name: getV :one\nSELECT 1;\n-- name: WithTx :one\nSELECT 2;\n-- name: Select :one\nSELECT 3;\n-- name: String :one\nSELECT 4;\n-- name: Context :one\nSELECT 5;\n")},
		want: []Diagnostic{
			{Path: "accounts/queries.sql", Line: 1, Msg: "query name getV must start with an upper-case ASCII letter: it becomes an exported Go method"},
			{Path: "accounts/queries.sql", Line: 3, Msg: "query name WithTx is the name of a method sqlc gives Queries itself; rename the query"},
			{Path: "accounts/queries.sql", Line: 5, Msg: "query name Select makes sqlc declare a constant select, which is a Go keyword; rename the query"},
			{Path: "accounts/queries.sql", Line: 7, Msg: "query name String makes sqlc declare a constant string, which hides Go's predeclared string; rename the query"},
			{Path: "accounts/queries.sql", Line: 9, Msg: "query name Context makes sqlc declare a constant context, the name its code imports a package under; rename the query"},
		},
	}, {
		name:   "errors in several files and the CRUD file",
		schema: usersSchema,
		queries: []QueryFile{
			query("<crud>", "-- name: GetPost :one\nSELECT * FROM posts WHERE idd = ?;\n"),
			query("accounts/queries.sql", "-- name: X :one\nSELECT 1;\n-- name: Y :exec\nINSERT INTO users (email, age) VALUES (?, ?);\n"),
		},
		want: []Diagnostic{
			{Path: "<crud>", Line: 2, Col: 27, Msg: "no such column: idd"},
			{Path: "accounts/queries.sql", Line: 4, Col: 1, Msg: "no such column: age"},
		},
	}, {
		name:    "a schema sqlc cannot read",
		schema:  usersSchema + "CREATE VIEW tagged AS SELECT p.id, j.value FROM posts AS p, json_each(p.body) AS j;\n",
		queries: []QueryFile{query("<crud>", crud)},
		want: []Diagnostic{{Msg: `database x: sqlc cannot read the schema: column "value" does not exist, at ` +
			`"CREATE VIEW tagged AS SELECT p.id, j.value FROM posts AS p, json_each(p.body) AS j;"`}},
	}, {
		name:    "a query name defined twice",
		schema:  usersSchema,
		queries: []QueryFile{query("<crud>", crud), query("accounts/queries.sql", "-- name: Mine :one\nSELECT 1;\n\n-- name: GetUser :one\nSELECT 2;\n")},
		want:    []Diagnostic{{Path: "accounts/queries.sql", Line: 4, Msg: "query GetUser is already defined at <crud>:1; rename it"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Generate(context.Background(), []Job{{Package: "x", Schema: tt.schema, Queries: tt.queries}})
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Generate: got %v, want an *Error", err)
			}
			if diff := cmp.Diff(tt.want, e.Diagnostics); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
			checkNoScratchPaths(t, err.Error())
		})
	}
}

// TestErrorsOfSeveralDatabases checks that each database's problems are
// reported with its own files while the others still compile.
func TestErrorsOfSeveralDatabases(t *testing.T) {
	jobs := []Job{
		{Package: "good", Schema: usersSchema, Queries: []QueryFile{query("<crud>", crud)}},
		{Package: "bad1", Schema: usersSchema, Queries: []QueryFile{query("bad1/queries.sql", "-- name: A :one\nSELECT x FROM users;\n")}},
		{Package: "bad2", Schema: usersSchema, Queries: []QueryFile{query("bad2/queries.sql", "\n-- name: B :one\nSELECT y FROM users;\n")}},
	}
	_, err := Generate(context.Background(), jobs)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("Generate: got %v, want an *Error", err)
	}
	want := []Diagnostic{
		{Path: "bad1/queries.sql", Line: 2, Col: 8, Msg: "no such column: x"},
		{Path: "bad2/queries.sql", Line: 3, Col: 8, Msg: "no such column: y"},
	}
	if diff := cmp.Diff(want, e.Diagnostics); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

func TestScratchFolderRemoved(t *testing.T) {
	root := t.TempDir()
	t.Setenv("TMPDIR", root)
	for _, sql := range []string{crud, "-- name: Bad :one\nSELECT nope FROM users;\n"} {
		Generate(context.Background(), []Job{{Package: "x", Schema: usersSchema, Queries: []QueryFile{query("<crud>", sql)}}})
		left, err := os.ReadDir(root)
		if err != nil {
			t.Fatal(err)
		}
		if len(left) > 0 {
			t.Errorf("Generate left %s in the temporary folder", left[0].Name())
		}
	}
}

func TestCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Generate(ctx, []Job{{Package: "x", Schema: usersSchema, Queries: []QueryFile{query("<crud>", crud)}}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Generate: got %v, want context.Canceled", err)
	}
}

func checkNoScratchPaths(t *testing.T, msg string) {
	t.Helper()
	for _, leak := range []string{"dbgen-sqlc-", os.TempDir(), "/dev/shm", "sqlc.json", "j000", "f000_q"} {
		if strings.Contains(msg, leak) {
			t.Errorf("message shows the scratch folder (%q):\n%s", leak, msg)
		}
	}
}
