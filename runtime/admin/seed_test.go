package admin

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dbgen-dev/dbgen/runtime"
)

// tablesDef is a database called "tables", whose paths are also the seed's
// (/api/v1/db/tables/tables), with a table "notes" that misc has too.
func tablesDef() *runtime.Definition {
	return &runtime.Definition{
		Name: "tables",
		DDL: `CREATE TABLE tables (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
CREATE TABLE schema (k TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;`,
		Tables: []runtime.Table{
			{Name: "tables", PrimaryKey: []string{"id"}, Columns: []runtime.Column{
				{Name: "id", SQLType: "INTEGER", PrimaryKey: true, RowID: true}, {Name: "name", SQLType: "TEXT"}}},
			{Name: "notes", PrimaryKey: []string{"id"}, Columns: []runtime.Column{
				{Name: "id", SQLType: "INTEGER", PrimaryKey: true, RowID: true}, {Name: "body", SQLType: "TEXT", Nullable: true}}},
			{Name: "schema", WithoutRowID: true, PrimaryKey: []string{"k"}, Columns: []runtime.Column{
				{Name: "k", SQLType: "TEXT", PrimaryKey: true}}},
		},
	}
}

// TestSeedRoutes calls the seed's documented paths as a client written for
// the framework does: a table by its name alone, the seed's fields beside
// dbgen's.
func TestSeedRoutes(t *testing.T) {
	m := openManager(t, tablesDef())
	db, _ := m.DB("tables")
	if _, err := db.Create(context.Background(), "tables", map[string]any{"id": 1, "name": "first"}); err != nil {
		t.Fatal(err)
	}
	h := NewHandler(m, Options{Token: testToken})

	tests := []struct {
		name   string
		req    request
		status int
		code   string
		check  func(t *testing.T, r response)
	}{
		{name: "status", req: request{path: "/api/v1/db/status"}, status: 200, check: func(t *testing.T, r response) {
			if r.body["status"] != "connected" || r.body["engine"] != "sqlite" || r.body["ready"] != true {
				t.Errorf("status, engine, ready = %v, %v, %v", r.body["status"], r.body["engine"], r.body["ready"])
			}
			want := map[string]any{"complete": true, "databases": 7.0, "initialized": 7.0, "pending_migrations": 0.0}
			if diff := cmp.Diff(want, r.body["initialization"]); diff != "" {
				t.Errorf("initialization (-want +got):\n%s", diff)
			}
			tables := strs(r.body["tables"])
			for _, name := range []string{"users", "logs", "misc.notes", "tables.notes", "tables", "odd table"} {
				if !slices.Contains(tables, name) {
					t.Errorf("tables lacks %q: %v", name, tables)
				}
			}
			if slices.Contains(tables, "notes") || slices.Contains(tables, "dbgen_revisions") {
				t.Errorf("tables = %v: notes is ambiguous, the revisions table hidden", tables)
			}
			if r.body["table_count"] != float64(len(tables)) {
				t.Errorf("table_count = %v, %d tables", r.body["table_count"], len(tables))
			}
		}},
		{name: "tables", req: request{path: "/api/v1/db/tables"}, status: 200, check: func(t *testing.T, r response) {
			list, _ := r.body["tables"].([]any)
			var users map[string]any
			for _, x := range list {
				if tb := x.(map[string]any); tb["name"] == "users" {
					users = tb
				}
			}
			want := map[string]any{"name": "users", "database": "accounts", "qualified_name": "accounts.users", "type": "table",
				"columns": 9.0, "primary_key": []any{"id"}, "writable": true}
			if diff := cmp.Diff(want, users); diff != "" || r.body["success"] != true || r.body["table_count"] != float64(len(list)) {
				t.Errorf("users (-want +got):\n%s\nbody %.300s", diff, r.raw)
			}
		}},
		{name: "rows", req: request{path: "/api/v1/db/tables/users?page_size=5&sort=id&status=active"}, status: 200, check: func(t *testing.T, r response) {
			if r.body["success"] != true || r.body["table"] != "users" || r.body["database"] != "accounts" || r.body["page"] != 1.0 ||
				r.body["total_records"] != 40.0 || r.body["total"] != 40.0 || len(r.records()) != 5 || r.records()[0]["id"] != 3.0 {
				t.Errorf("body %.400s", r.raw)
			}
			if !strings.Contains(r.header.Get("Link"), `/api/v1/db/tables/users?`) {
				t.Errorf("Link = %q", r.header.Get("Link"))
			}
		}},
		{name: "rows cursor page", req: request{path: "/api/v1/db/tables/logs?cursor=&page_size=2"}, status: 200, check: func(t *testing.T, r response) {
			if v, ok := r.body["total_records"]; !ok || v != nil || r.body["next_cursor"] == "" {
				t.Errorf("body %.300s", r.raw)
			}
		}},
		{name: "rows by database.table", req: request{path: "/api/v1/db/tables/misc.notes?page_size=1"}, status: 200, check: func(t *testing.T, r response) {
			if r.body["database"] != "misc" || r.body["total_records"] != float64(seedNotes+1) {
				t.Errorf("body %.300s", r.raw)
			}
		}},
		{name: "rows ambiguous", req: request{path: "/api/v1/db/tables/notes"}, status: 409, code: "AMBIGUOUS_TABLE", check: func(t *testing.T, r response) {
			want := []any{
				map[string]any{"database": "misc", "table": "notes", "name": "misc.notes", "path": "/api/v1/db/misc/tables/notes"},
				map[string]any{"database": "tables", "table": "notes", "name": "tables.notes", "path": "/api/v1/db/tables/tables/notes"},
			}
			if diff := cmp.Diff(want, r.errDetails()["candidates"]); diff != "" {
				t.Errorf("candidates (-want +got):\n%s", diff)
			}
		}},
		{name: "rows unknown table", req: request{path: "/api/v1/db/tables/nope"}, status: 404, code: "TABLE_NOT_FOUND", check: func(t *testing.T, r response) {
			if names := strs(r.errDetails()["tables"]); !slices.Contains(names, "misc.notes") || !slices.Contains(names, "users") {
				t.Errorf("details.tables = %v", names)
			}
		}},
		{name: "rows unknown column", req: request{path: "/api/v1/db/tables/users?sort=nope"}, status: 400, code: "COLUMN_NOT_FOUND"},
		{name: "rows revisions table hidden", req: request{path: "/api/v1/db/tables/dbgen_revisions"}, status: 404, code: "TABLE_NOT_FOUND"},
		{name: "schema", req: request{path: "/api/v1/db/tables/users/schema"}, status: 200, check: func(t *testing.T, r response) {
			def, _ := r.body["schema_definition"].(string)
			if r.body["success"] != true || r.body["database"] != "accounts" || !strings.HasPrefix(def, "CREATE TABLE users") ||
				len(r.body["columns"].([]any)) != 9 {
				t.Errorf("body %.400s", r.raw)
			}
		}},
		{name: "schema ambiguous", req: request{path: "/api/v1/db/tables/notes/schema"}, status: 409, code: "AMBIGUOUS_TABLE"},
		{name: "seed path, other method", req: request{method: "DELETE", path: "/api/v1/db/tables/users", token: testToken}, status: 405,
			code: "METHOD_NOT_ALLOWED", check: func(t *testing.T, r response) {
				if r.header.Get("Allow") != "GET, HEAD" {
					t.Errorf("Allow = %q", r.header.Get("Allow"))
				}
			}},

		// Precedence: a path that is both the seed's and dbgen's (database
		// "tables") is the seed's; dbgen's other paths are unchanged.
		{name: "seed wins: table tables", req: request{path: "/api/v1/db/tables/tables"}, status: 200, check: func(t *testing.T, r response) {
			if r.body["success"] != true || r.body["table"] != "tables" || r.body["database"] != "tables" || r.body["total_records"] != 1.0 {
				t.Errorf("body %.300s", r.raw)
			}
		}},
		{name: "seed wins: schema of table tables", req: request{path: "/api/v1/db/tables/tables/schema"}, status: 200, check: func(t *testing.T, r response) {
			if r.body["success"] != true || r.body["table"] != "tables" {
				t.Errorf("body %.300s", r.raw)
			}
		}},
		{name: "seed: table schema of database tables", req: request{path: "/api/v1/db/tables/schema"}, status: 200, check: func(t *testing.T, r response) {
			if r.body["success"] != true || r.body["table"] != "schema" || r.body["database"] != "tables" {
				t.Errorf("body %.300s", r.raw)
			}
		}},
		{name: "dbgen: a record of database tables", req: request{path: "/api/v1/db/tables/tables/tables/records/1"}, status: 200, check: func(t *testing.T, r response) {
			if rec, _ := r.body["record"].(map[string]any); rec["name"] != "first" {
				t.Errorf("body %.300s", r.raw)
			}
		}},
		{name: "dbgen: rows of table tables of database tables", req: request{path: "/api/v1/db/tables/tables/tables"}, status: 200, check: func(t *testing.T, r response) {
			if _, seed := r.body["success"]; seed || r.body["database"] != "tables" || r.body["table"] != "tables" {
				t.Errorf("body %.300s", r.raw)
			}
		}},
		{name: "dbgen: rows of database tables", req: request{path: "/api/v1/db/tables/tables/notes"}, status: 200, check: func(t *testing.T, r response) {
			if _, seed := r.body["success"]; seed || r.body["database"] != "tables" || r.body["table"] != "notes" {
				t.Errorf("body %.300s", r.raw)
			}
		}},
		{name: "dbgen: migrations of database tables", req: request{path: "/api/v1/db/tables/migrations/status"}, status: 200, check: func(t *testing.T, r response) {
			if r.body["database"] != "tables" {
				t.Errorf("body %.300s", r.raw)
			}
		}},
		{name: "dbgen: tables of a database", req: request{path: "/api/v1/db/accounts/tables"}, status: 200, check: func(t *testing.T, r response) {
			if _, seed := r.body["success"]; seed || r.body["database"] != "accounts" {
				t.Errorf("body %.300s", r.raw)
			}
		}},

		// Migrations of every database.
		{name: "migrations status", req: request{path: "/api/v1/db/migrations/status"}, status: 200, check: func(t *testing.T, r response) {
			dbs, _ := r.body["databases"].([]any)
			if r.body["success"] != true || r.body["up_to_date"] != true || r.body["pending_count"] != 0.0 || len(dbs) != 7 {
				t.Errorf("body %.300s", r.raw)
			}
			if first := dbs[0].(map[string]any); first["database"] != "accounts" || first["current"] == "" || first["migrations"] != true {
				t.Errorf("accounts: %v", first)
			}
		}},
		{name: "migrations run", req: request{method: "POST", path: "/api/v1/db/migrations/run", token: testToken,
			body: map[string]any{"target": "head"}}, status: 200, check: func(t *testing.T, r response) {
			if r.body["success"] != true || r.body["up_to_date"] != true {
				t.Errorf("body %.300s", r.raw)
			}
		}},
		{name: "migrations run other target", req: request{method: "POST", path: "/api/v1/db/migrations/run", token: testToken,
			body: map[string]any{"target": "base"}}, status: 400, code: "VALIDATION_FAILED"},
		{name: "migrations run without token", req: request{method: "POST", path: "/api/v1/db/migrations/run",
			body: map[string]any{"target": "head"}}, status: 401, code: "UNAUTHORIZED"},
		{name: "generate without schema files", req: request{method: "POST", path: "/api/v1/db/migrations/generate", token: testToken,
			body: map[string]any{"message": "add avatar"}}, status: 409, code: "NO_SCHEMA_FILES", check: func(t *testing.T, r response) {
			if msg := r.body["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "dbgen serve --root") {
				t.Errorf("message %q does not say how to enable it", msg)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, h, tt.req)
			if r.status != tt.status || r.errCode() != tt.code {
				t.Fatalf("got %d %q, want %d %q: %.400s", r.status, r.errCode(), tt.status, tt.code, r.raw)
			}
			if tt.check != nil {
				tt.check(t, r)
			}
		})
	}
}

// TestGenerate: POST /migrations/generate hands the request to the
// Planner the server was given, one at a time, and passes its coded errors
// on as the envelope.
func TestGenerate(t *testing.T) {
	m := openManager(t)
	var got []PlanRequest
	var fail error
	planner := func(_ context.Context, req PlanRequest) (PlanResult, error) {
		got = append(got, req)
		if fail != nil {
			return PlanResult{}, fail
		}
		if req.Database == "billing" {
			return PlanResult{Unchanged: []string{"billing"}}, nil
		}
		return PlanResult{Migrations: []PlannedMigration{{Database: "accounts", Version: "20270101000000",
			Files: []string{"gen/accounts/migrations/20270101000000_add_avatar.sql"}}}}, nil
	}
	h := NewHandler(m, Options{Token: testToken, Planner: planner})
	post := func(body any) response {
		return do(t, h, request{method: "POST", path: "/api/v1/db/migrations/generate", token: testToken, body: body})
	}

	r := post(map[string]any{"message": "  add avatar ", "allow_destructive": true, "renames": []string{"users.name=display_name"}})
	if r.status != http.StatusCreated || r.body["success"] != true {
		t.Fatalf("generate: %d %s", r.status, r.raw)
	}
	want := []any{map[string]any{"database": "accounts", "version": "20270101000000",
		"files": []any{"gen/accounts/migrations/20270101000000_add_avatar.sql"}, "findings": []any{}}}
	if diff := cmp.Diff(want, r.body["migrations"]); diff != "" {
		t.Errorf("migrations (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]PlanRequest{{Message: "add avatar", AllowDestructive: true, Renames: []string{"users.name=display_name"}}}, got); diff != "" {
		t.Errorf("planner got (-want +got):\n%s", diff)
	}

	if r := post(map[string]any{"message": "nothing", "database": "billing"}); r.status != http.StatusOK ||
		len(r.body["migrations"].([]any)) != 0 || len(r.body["unchanged"].([]any)) != 1 {
		t.Errorf("no change: %d %s", r.status, r.raw)
	}
	for _, body := range []any{map[string]any{}, map[string]any{"message": "  "}, map[string]any{"message": strings.Repeat("x", 201)},
		map[string]any{"message": "x", "nope": 1}, `{"message": 1}`} {
		if r := post(body); r.status != http.StatusBadRequest || r.errCode() != "VALIDATION_FAILED" {
			t.Errorf("body %v: %d %s", body, r.status, r.raw)
		}
	}
	fail = &runtime.Error{Code: CodeDestructiveChange, Module: "accounts", Message: "the change drops column users.name",
		Details: map[string]any{"findings": []string{"DS103"}}}
	if r := post(map[string]any{"message": "drop name"}); r.status != http.StatusConflict || r.errCode() != "DESTRUCTIVE_CHANGE" ||
		r.body["error"].(map[string]any)["module"] != "accounts" {
		t.Errorf("destructive: %d %s", r.status, r.raw)
	}
	fail = &runtime.Error{Code: CodeSchemaInvalid, Message: "schemas/a.sql:3:1: near \"CREAT\": syntax error"}
	if r := post(map[string]any{"message": "x"}); r.status != http.StatusUnprocessableEntity || r.errCode() != "SCHEMA_INVALID" {
		t.Errorf("schema invalid: %d %s", r.status, r.raw)
	}
}

func strs(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}
