package sqlcgen

import (
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSplitMatchesWhole checks the premise of splitting: the Go files
// merged from the pieces are byte for byte those sqlc writes for the whole
// queries files.
func TestSplitMatchesWhole(t *testing.T) {
	schema := `CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT,
  settings JSON,
  born DATETIME,
  active BOOLEAN NOT NULL DEFAULT 1
);
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id), body BLOB, at TIMESTAMP NOT NULL);
`
	crudSQL := `-- name: CreateUser :one
INSERT INTO users (email, name, settings, born, active)
VALUES (?, ?, ?, ?, ?)
RETURNING *;

-- name: GetUser :one
SELECT * FROM users WHERE id = ?;

-- name: UpdateUser :execrows
UPDATE users SET name = ?, settings = ? WHERE id = ?;

-- name: DeleteUser :exec
DELETE FROM users WHERE id = ?;

-- name: CountUsers :one
SELECT count(*) FROM users;
`
	moduleSQL := `-- Queries of the accounts module.

-- name: UsersByIDs :many
SELECT id, email FROM users WHERE id IN (sqlc.slice(ids)) ORDER BY id;

-- name: PostsSince :many
-- PostsSince lists a user's posts after a time.
-- It is written by hand.
SELECT p.*, u.email FROM posts AS p JOIN users AS u ON u.id = p.user_id
WHERE p.user_id = @user_id AND p.at > @since;

-- name: AddPost :execlastid
INSERT INTO posts (user_id, body, at) VALUES (?, ?, ?);

-- name: TouchPosts :execresult
UPDATE posts SET at = ? WHERE user_id = sqlc.narg(user_id) OR sqlc.narg(user_id) IS NULL;

-- name: Settings :one
SELECT settings, 'a;b' AS literal FROM users WHERE email = ? LIMIT 1;
`
	jobs := []Job{{
		Package: "accounts",
		Schema:  schema,
		Queries: []QueryFile{
			query("<crud>", crudSQL),
			query("accounts/queries.sql", moduleSQL),
			query("other/queries.sql", "-- name: Emails :many\nSELECT email FROM users;\n"),
		},
	}, {
		Package: "pointers",
		Schema:  schema,
		Queries: []QueryFile{query("<crud>", crudSQL), query("accounts/queries.sql", moduleSQL)},
		Options: Options{PointersForNull: true, Rename: map[string]string{"users": "User", "posts": "Post"}},
	}}
	split, err := generate(context.Background(), jobs, true)
	if err != nil {
		t.Fatal(err)
	}
	whole, err := generate(context.Background(), jobs, false)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(toStrings(whole), toStrings(split)); diff != "" {
		t.Errorf("split and merged differs from whole (-whole +split):\n%s", diff)
	}
	want := []string{"crud.sql.go", "db.go", "models.go", "queries.sql.go", "queries_2.sql.go"}
	if diff := cmp.Diff(want, sortedKeys(split["accounts"].Files)); diff != "" {
		t.Errorf("files of accounts (-want +got):\n%s", diff)
	}
	for _, o := range split {
		checkGo(t, o.Files)
	}
}

func toStrings(in map[string]*Output) map[string]map[string]string {
	out := map[string]map[string]string{}
	for pkg, o := range in {
		out[pkg] = map[string]string{}
		for name, data := range o.Files {
			out[pkg][name] = string(data)
		}
	}
	return out
}

func sortedKeys(m map[string][]byte) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
