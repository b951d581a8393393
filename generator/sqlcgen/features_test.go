package sqlcgen

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ncruces/go-sqlite3"
	"github.com/ncruces/go-sqlite3/ext/fts5"
)

// TestSQLiteFeatures runs sqlc over the SQLite features dbgen supports and
// checks that the Go is valid and gofmt'd, that the models are as expected,
// and that the SQL sqlc rewrites (it expands *) still prepares in SQLite.
func TestSQLiteFeatures(t *testing.T) {
	tests := []struct {
		name    string
		schema  string
		queries string
		models  map[string][]field // checked when set
	}{{
		name:    "fts5",
		schema:  "CREATE VIRTUAL TABLE docs USING fts5(title, body UNINDEXED);",
		queries: "-- name: Search :many\nSELECT title, body FROM docs WHERE title MATCH ? ORDER BY rank;\n-- name: CountDocs :one\nSELECT count(*) FROM docs;",
		models:  map[string][]field{"Doc": {{"Title", "string", "title"}, {"Body", "string", "body"}}},
	}, {
		name:    "strict and without rowid",
		schema:  "CREATE TABLE s1 (id INTEGER PRIMARY KEY, n TEXT NOT NULL, v ANY) STRICT;\nCREATE TABLE w (k TEXT PRIMARY KEY, v BLOB) STRICT, WITHOUT ROWID;",
		queries: "-- name: GetS :one\nSELECT * FROM s1 WHERE id = ?;\n-- name: GetW :one\nSELECT * FROM w WHERE k = ?;",
		models: map[string][]field{
			"S1": {{"ID", "int64", "id"}, {"N", "string", "n"}, {"V", "interface{}", "v"}},
			"W":  {{"K", "string", "k"}, {"V", "[]byte", "v"}},
		},
	}, {
		name:    "generated columns and returning",
		schema:  "CREATE TABLE g (id INTEGER PRIMARY KEY AUTOINCREMENT, a INTEGER NOT NULL, twice INTEGER GENERATED ALWAYS AS (a * 2) STORED, label TEXT AS ('#' || a) VIRTUAL);",
		queries: "-- name: CreateG :one\nINSERT INTO g (a) VALUES (?) RETURNING *;\n-- name: UpdateG :one\nUPDATE g SET a = ? WHERE id = ? RETURNING twice, label;\n-- name: DeleteG :one\nDELETE FROM g WHERE id = ? RETURNING id;",
		models:  map[string][]field{"G": {{"ID", "int64", "id"}, {"A", "int64", "a"}, {"Twice", "sql.NullInt64", "twice"}, {"Label", "sql.NullString", "label"}}},
	}, {
		name:   "reserved words",
		schema: `CREATE TABLE "order" ("type" TEXT NOT NULL, "select" INTEGER, "group" TEXT, "default" TEXT, "from" DATETIME);`,
		queries: "-- name: CreateOrder :one\nINSERT INTO \"order\" (\"type\", \"select\", \"group\", \"default\", \"from\") VALUES (?, ?, ?, ?, ?) RETURNING *;\n" +
			"-- name: ListOrders :many\nSELECT * FROM \"order\" WHERE \"type\" = ? AND \"select\" > ? ORDER BY \"group\";",
		models: map[string][]field{"Order": {{"Type", "string", "type"}, {"Select", "sql.NullInt64", "select"}, {"Group", "sql.NullString", "group"}, {"Default", "sql.NullString", "default"}, {"From", "sql.NullTime", "from"}}},
	}, {
		name:   "go keywords",
		schema: "CREATE TABLE type (func TEXT NOT NULL, go INTEGER, chan TEXT, map TEXT, package TEXT, range INTEGER, interface BLOB);",
		queries: "-- name: CreateType :one\nINSERT INTO type (func, go, chan, map, package, range, interface) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *;\n" +
			"-- name: ByFunc :many\nSELECT * FROM type WHERE func = ? AND package = ? AND range = ?;",
		models: map[string][]field{"Type": {{"Func", "string", "func"}, {"Go", "sql.NullInt64", "go"}, {"Chan", "sql.NullString", "chan"}, {"Map", "sql.NullString", "map"}, {"Package", "sql.NullString", "package"}, {"Range", "sql.NullInt64", "range"}, {"Interface", "[]byte", "interface"}}},
	}, {
		name:    "views, composite keys, triggers",
		schema:  "CREATE TABLE m (a INTEGER NOT NULL, b TEXT NOT NULL, n INTEGER CHECK (n > 0), PRIMARY KEY (a, b));\nCREATE INDEX m_n ON m (n) WHERE n > 10;\nCREATE VIEW big AS SELECT a, b FROM m WHERE n > 10;\nCREATE TRIGGER m_t AFTER INSERT ON m BEGIN UPDATE m SET n = 1 WHERE a = NEW.a AND n IS NULL; END;",
		queries: "-- name: GetM :one\nSELECT * FROM m WHERE a = ? AND b = ?;\n-- name: ListBig :many\nSELECT * FROM big;",
		models:  map[string][]field{"M": {{"A", "int64", "a"}, {"B", "string", "b"}, {"N", "sql.NullInt64", "n"}}, "Big": {{"A", "int64", "a"}, {"B", "string", "b"}}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := generateOne(t, tt.schema, Options{}, query("q.sql", tt.queries))
			if tt.models != nil {
				if diff := cmp.Diff(tt.models, structs(t, files["models.go"])); diff != "" {
					t.Errorf("models (-want +got):\n%s", diff)
				}
			}
			checkPrepares(t, tt.schema, querySQL(t, files["q.sql.go"]))
		})
	}
}

// checkPrepares fails unless every query prepares in SQLite over the schema.
func checkPrepares(t *testing.T, schema string, queries map[string]string) {
	t.Helper()
	if len(queries) == 0 {
		t.Fatal("no queries in the generated code")
	}
	conn, err := sqlite3.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// FTS5 is an extension in this SQLite build: it needs registering.
	if err := fts5.Register(conn); err != nil {
		t.Fatal(err)
	}
	if err := conn.Exec(schema); err != nil {
		t.Fatalf("schema: %v", err)
	}
	for name, q := range queries {
		stmt, _, err := conn.Prepare(q)
		if err != nil {
			t.Errorf("query %s does not prepare in SQLite: %v\n%s", name, err, q)
			continue
		}
		stmt.Close()
	}
}
