package admin

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRoutes calls every route for each status it can answer, and checks
// the status, the error code and what the body says.
func TestRoutes(t *testing.T) {
	tests := []struct {
		name   string
		req    request
		status int
		code   string                         // error code, "" on success
		check  func(t *testing.T, r response) // optional
	}{
		// Service routes.
		{name: "openapi", req: request{path: "/api/v1/db/openapi.json"}, status: 200, check: func(t *testing.T, r response) {
			if r.body["openapi"] != "3.1.0" {
				t.Errorf("openapi = %v", r.body["openapi"])
			}
		}},
		{name: "status", req: request{path: "/api/v1/db/status"}, status: 200, check: func(t *testing.T, r response) {
			if r.body["ready"] != true {
				t.Errorf("ready = %v", r.body["ready"])
			}
			dbs := r.body["databases"].([]any)
			acc := dbs[0].(map[string]any)
			if acc["name"] != "accounts" || acc["status"] != "ready" || acc["table_count"] != 5.0 || acc["initialized"] != true ||
				acc["migration_version"] == "" || acc["migrations"] != true || acc["size_bytes"].(float64) <= 0 {
				t.Errorf("accounts status = %v", acc)
			}
			for _, tb := range acc["tables"].([]any) {
				if tb == "dbgen_revisions" {
					t.Error("status lists the revisions table")
				}
			}
		}},
		{name: "is-ready", req: request{path: "/api/v1/db/is-ready"}, status: 200, check: func(t *testing.T, r response) {
			if diff := cmp.Diff(map[string]any{"ready": true, "status": "ready"}, r.body); diff != "" {
				t.Error(diff)
			}
		}},
		{name: "databases", req: request{path: "/api/v1/db/databases"}, status: 200, check: func(t *testing.T, r response) {
			var names []string
			for _, d := range r.body["databases"].([]any) {
				names = append(names, d.(map[string]any)["name"].(string))
			}
			if diff := cmp.Diff([]string{"accounts", "billing", "content", "framework", "store", "misc"}, names); diff != "" {
				t.Error(diff)
			}
		}},

		// Tables and schema.
		{name: "tables", req: request{path: "/api/v1/db/framework/tables"}, status: 200, check: func(t *testing.T, r response) {
			want := []any{
				map[string]any{"name": "modules", "type": "table", "columns": 4.0, "primary_key": []any{"name"}, "writable": true},
				map[string]any{"name": "settings", "type": "table", "columns": 4.0, "primary_key": []any{"module", "key"}, "writable": true},
				map[string]any{"name": "logs", "type": "table", "columns": 6.0, "primary_key": []any{"id"}, "writable": true},
			}
			if diff := cmp.Diff(want, r.body["tables"]); diff != "" {
				t.Error(diff)
			}
		}},
		{name: "tables of unknown db", req: request{path: "/api/v1/db/nope/tables"}, status: 404, code: "DATABASE_NOT_FOUND"},
		{name: "schema", req: request{path: "/api/v1/db/framework/tables/logs/schema"}, status: 200, check: func(t *testing.T, r response) {
			idx := r.body["indexes"].([]any)
			if len(idx) != 2 || idx[1].(map[string]any)["where"] != "level = 'error'" {
				t.Errorf("indexes = %v", idx)
			}
			col := r.body["columns"].([]any)[0].(map[string]any)
			if col["name"] != "id" || col["primary_key"] != true || col["autoincrement"] != true {
				t.Errorf("first column = %v", col)
			}
		}},
		{name: "schema foreign keys", req: request{path: "/api/v1/db/accounts/tables/users/schema"}, status: 200, check: func(t *testing.T, r response) {
			want := []any{map[string]any{"columns": []any{"organization_id"}, "ref_table": "organizations", "ref_columns": []any{"id"}, "on_delete": "CASCADE"}}
			if diff := cmp.Diff(want, r.body["foreign_keys"]); diff != "" {
				t.Error(diff)
			}
		}},
		{name: "schema of unknown table", req: request{path: "/api/v1/db/framework/tables/nope/schema"}, status: 404, code: "TABLE_NOT_FOUND",
			check: func(t *testing.T, r response) {
				if diff := cmp.Diff([]any{"modules", "settings", "logs"}, r.errDetails()["tables"]); diff != "" {
					t.Errorf("available tables: %s", diff)
				}
			}},
		{name: "revisions table is hidden", req: request{path: "/api/v1/db/framework/tables/dbgen_revisions"}, status: 404, code: "TABLE_NOT_FOUND"},
		{name: "revisions schema is hidden", req: request{path: "/api/v1/db/framework/tables/dbgen_revisions/schema"}, status: 404, code: "TABLE_NOT_FOUND"},

		// Rows.
		{name: "rows first page", req: request{path: "/api/v1/db/framework/tables/logs?page_size=10"}, status: 200, check: func(t *testing.T, r response) {
			if r.body["total"] != float64(seedLogs) || r.body["page"] != 1.0 || r.body["has_more"] != true || len(r.records()) != 10 {
				t.Errorf("page = total %v page %v has_more %v, %d records", r.body["total"], r.body["page"], r.body["has_more"], len(r.records()))
			}
			if !strings.Contains(r.header.Get("Link"), `page=2&page_size=10>; rel="next"`) {
				t.Errorf("Link = %q", r.header.Get("Link"))
			}
		}},
		{name: "rows filter and sort", req: request{path: "/api/v1/db/accounts/tables/users?status=active&id__lte=30&sort=-id"}, status: 200,
			check: func(t *testing.T, r response) {
				var ids []float64
				for _, rec := range r.records() {
					ids = append(ids, rec["id"].(float64))
				}
				if diff := cmp.Diff([]float64{30, 27, 24, 21, 18, 15, 12, 9, 6, 3}, ids); diff != "" {
					t.Error(diff)
				}
				if r.body["total"] != 10.0 {
					t.Errorf("total = %v", r.body["total"])
				}
			}},
		{name: "rows every operator", req: request{path: "/api/v1/db/accounts/tables/users?" + strings.Join([]string{
			"id__gt=1", "id__gte=2", "id__lt=100", "id__lte=99", "id__not=50", "id__in=3,6,9,50,60", "id__notin=[9]",
			"email__contains=user0", "email__startswith=user", "email__endswith=.com", "display_name__like=User%25",
			"avatar__isnull=1", "created_at__notnull=1", "status__exact=active"}, "&")}, status: 200,
			check: func(t *testing.T, r response) {
				var ids []float64
				for _, rec := range r.records() {
					ids = append(ids, rec["id"].(float64))
				}
				if diff := cmp.Diff([]float64{3, 6, 60}, ids); diff != "" {
					t.Error(diff)
				}
			}},
		{name: "rows of a view", req: request{path: "/api/v1/db/accounts/tables/active_users?page_size=5&sort=email"}, status: 200,
			check: func(t *testing.T, r response) {
				if len(r.records()) != 5 || r.body["total"] != 40.0 {
					t.Errorf("%d records, total %v", len(r.records()), r.body["total"])
				}
				if diff := cmp.Diff([]any{"", "", "", "", ""}, r.body["keys"]); diff != "" {
					t.Errorf("a view's rows have keys: %s", diff)
				}
			}},
		{name: "keyset rows of a view", req: request{path: "/api/v1/db/accounts/tables/active_users?cursor="}, status: 400,
			code: "VALIDATION_FAILED"},
		{name: "rows keyed by rowid", req: request{path: "/api/v1/db/misc/tables/notes?page_size=2"}, status: 200, check: func(t *testing.T, r response) {
			if diff := cmp.Diff([]any{"1", "2"}, r.body["keys"]); diff != "" {
				t.Error(diff)
			}
			if r.body["columns"].([]any)[0] != "rowid" {
				t.Errorf("columns = %v", r.body["columns"])
			}
		}},
		{name: "rows column named like a parameter", req: request{path: "/api/v1/db/misc/tables/notes?page__exact=3&odd__name=x"}, status: 200,
			check: func(t *testing.T, r response) {
				if recs := r.records(); len(recs) != 1 || recs[0]["body"] != "note 3" {
					t.Errorf("records = %v", recs)
				}
			}},
		{name: "rows of an untyped view column", req: request{path: "/api/v1/db/misc/tables/note_pages?twice__gt=50&twice__lte=54"}, status: 200,
			check: func(t *testing.T, r response) {
				if recs := r.records(); len(recs) != 2 || recs[0]["twice"] != 52.0 {
					t.Errorf("records = %v", recs)
				}
			}},
		{name: "rows keys escaped", req: request{path: "/api/v1/db/accounts/tables/api_tokens?sort=name"}, status: 200, check: func(t *testing.T, r response) {
			want := []any{"7,a~2Cb", "7,ci~2Fdeploy", "7,plain", "7,tax+rate", "7,~7Ehome"}
			if diff := cmp.Diff(want, r.body["keys"]); diff != "" {
				t.Error(diff)
			}
		}},
		{name: "rows unknown table", req: request{path: "/api/v1/db/accounts/tables/nope"}, status: 404, code: "TABLE_NOT_FOUND"},
		{name: "rows unknown db", req: request{path: "/api/v1/db/nope/tables/users"}, status: 404, code: "DATABASE_NOT_FOUND"},
		{name: "rows unknown filter column", req: request{path: "/api/v1/db/accounts/tables/users?nope=1"}, status: 400, code: "COLUMN_NOT_FOUND",
			check: func(t *testing.T, r response) {
				if cols, _ := r.errDetails()["columns"].([]any); len(cols) != 10 || cols[0] != "rowid" {
					t.Errorf("details.columns = %v", r.errDetails()["columns"])
				}
			}},
		{name: "rows unknown sort column", req: request{path: "/api/v1/db/accounts/tables/users?sort=-nope"}, status: 400, code: "COLUMN_NOT_FOUND"},
		{name: "rows unknown operator", req: request{path: "/api/v1/db/accounts/tables/users?id__between=1"}, status: 400, code: "VALIDATION_FAILED"},
		{name: "rows bad number", req: request{path: "/api/v1/db/accounts/tables/users?id=abc"}, status: 400, code: "VALIDATION_FAILED"},
		{name: "rows bad page", req: request{path: "/api/v1/db/accounts/tables/users?page=-1"}, status: 400, code: "VALIDATION_FAILED"},
		{name: "rows page size over the cap", req: request{path: "/api/v1/db/accounts/tables/users?page_size=1001"}, status: 400, code: "VALIDATION_FAILED"},
		{name: "rows page twice", req: request{path: "/api/v1/db/accounts/tables/users?page=1&page=2"}, status: 400, code: "VALIDATION_FAILED"},
		{name: "rows bad cursor", req: request{path: "/api/v1/db/accounts/tables/users?cursor=bogus"}, status: 400, code: "VALIDATION_FAILED"},
		{name: "rows cursor and page", req: request{path: "/api/v1/db/accounts/tables/users?cursor=x&page=2"}, status: 400, code: "VALIDATION_FAILED"},

		// Records.
		{name: "read record", req: request{path: "/api/v1/db/accounts/tables/users/records/5"}, status: 200, check: func(t *testing.T, r response) {
			rec := r.body["record"].(map[string]any)
			if r.body["key"] != "5" || rec["email"] != "user005@example.com" {
				t.Errorf("body = %v", r.body)
			}
			if !strings.HasPrefix(string(r.raw), `{"key":"5","record":{"id":5,"organization_id":2,"email":`) {
				t.Errorf("columns not in table order: %.100s", r.raw)
			}
		}},
		{name: "read composite key", req: request{path: "/api/v1/db/accounts/tables/api_tokens/records/7,a~2Cb"}, status: 200,
			check: func(t *testing.T, r response) {
				if r.body["record"].(map[string]any)["name"] != "a,b" {
					t.Errorf("body = %v", r.body)
				}
			}},
		{name: "read percent-encoded key", req: request{path: "/api/v1/db/framework/tables/settings/records/billing,tax%20rate"}, status: 200},
		{name: "read quoted table", req: request{path: "/api/v1/db/misc/tables/odd%20table/records/it~27s~3B+--"}, status: 200},
		{name: "read missing record", req: request{path: "/api/v1/db/accounts/tables/users/records/9999"}, status: 404, code: "RECORD_NOT_FOUND"},
		{name: "read bad key type", req: request{path: "/api/v1/db/accounts/tables/users/records/abc"}, status: 400, code: "VALIDATION_FAILED"},
		{name: "read key with too many parts", req: request{path: "/api/v1/db/accounts/tables/users/records/1,2"}, status: 400, code: "VALIDATION_FAILED"},
		{name: "read malformed escape", req: request{path: "/api/v1/db/framework/tables/modules/records/bill~Z1"}, status: 400, code: "VALIDATION_FAILED"},
		{name: "read a view's record", req: request{path: "/api/v1/db/accounts/tables/active_users/records/1"}, status: 400, code: "VALIDATION_FAILED"},
		{name: "read record unknown table", req: request{path: "/api/v1/db/accounts/tables/nope/records/1"}, status: 404, code: "TABLE_NOT_FOUND"},
		{name: "create", req: request{method: "POST", path: "/api/v1/db/framework/tables/modules/records", token: testToken,
			body: map[string]any{"name": "crm/v2", "version": "2.0"}}, status: 201, check: func(t *testing.T, r response) {
			if r.body["key"] != "crm~2Fv2" || r.header.Get("Location") != "/api/v1/db/framework/tables/modules/records/crm~2Fv2" {
				t.Errorf("key %v, Location %q", r.body["key"], r.header.Get("Location"))
			}
			if rec := r.body["record"].(map[string]any); rec["enabled"] != true {
				t.Errorf("default not applied: %v", rec)
			}
		}},
		{name: "create big integer stays exact", req: request{method: "POST", path: "/api/v1/db/misc/tables/notes/records", token: testToken,
			body: `{"page": 9007199254740993}`}, status: 201, check: func(t *testing.T, r response) {
			if !strings.Contains(string(r.raw), `"page":9007199254740993`) {
				t.Errorf("body = %s", r.raw)
			}
		}},
		{name: "create unique violation", req: request{method: "POST", path: "/api/v1/db/accounts/tables/users/records", token: testToken,
			body: map[string]any{"organization_id": 1, "email": "user001@example.com", "display_name": "Dup"}}, status: 409, code: "CONSTRAINT_VIOLATION",
			check: func(t *testing.T, r response) {
				if r.errDetails()["kind"] != "unique" {
					t.Errorf("details = %v", r.errDetails())
				}
			}},
		{name: "create foreign key violation", req: request{method: "POST", path: "/api/v1/db/accounts/tables/users/records", token: testToken,
			body: map[string]any{"organization_id": 99, "email": "x@y", "display_name": "X"}}, status: 409, code: "CONSTRAINT_VIOLATION"},
		{name: "create check violation", req: request{method: "POST", path: "/api/v1/db/accounts/tables/users/records", token: testToken,
			body: map[string]any{"organization_id": 1, "email": "x@y", "display_name": "X", "status": "zombie"}}, status: 409, code: "CONSTRAINT_VIOLATION"},
		{name: "create unknown column", req: request{method: "POST", path: "/api/v1/db/accounts/tables/users/records", token: testToken,
			body: map[string]any{"nope": 1}}, status: 400, code: "COLUMN_NOT_FOUND"},
		{name: "create generated column", req: request{method: "POST", path: "/api/v1/db/accounts/tables/users/records", token: testToken,
			body: map[string]any{"email_domain": "x"}}, status: 400, code: "VALIDATION_FAILED"},
		{name: "create in a view", req: request{method: "POST", path: "/api/v1/db/accounts/tables/active_users/records", token: testToken,
			body: map[string]any{"email": "x"}}, status: 400, code: "VALIDATION_FAILED"},
		{name: "create body not an object", req: request{method: "POST", path: "/api/v1/db/framework/tables/modules/records", token: testToken,
			body: `[1,2]`}, status: 400, code: "VALIDATION_FAILED"},
		{name: "create body null", req: request{method: "POST", path: "/api/v1/db/framework/tables/modules/records", token: testToken,
			body: `null`}, status: 400, code: "VALIDATION_FAILED"},
		{name: "create body empty", req: request{method: "POST", path: "/api/v1/db/framework/tables/modules/records", token: testToken,
			body: ``}, status: 400, code: "VALIDATION_FAILED"},
		{name: "create body trailing data", req: request{method: "POST", path: "/api/v1/db/framework/tables/modules/records", token: testToken,
			body: `{"name":"a","version":"1"} {}`}, status: 400, code: "VALIDATION_FAILED"},
		{name: "create body not JSON", req: request{method: "POST", path: "/api/v1/db/framework/tables/modules/records", token: testToken,
			body: `name=a`, contentType: "application/x-www-form-urlencoded"}, status: 415, code: "UNSUPPORTED_MEDIA_TYPE"},
		{name: "create body too large", req: request{method: "POST", path: "/api/v1/db/framework/tables/logs/records", token: testToken,
			body: `{"level":"info","message":"` + strings.Repeat("x", DefaultMaxBodyBytes) + `"}`}, status: 413, code: "BODY_TOO_LARGE"},
		{name: "update", req: request{method: "PATCH", path: "/api/v1/db/accounts/tables/users/records/6", token: testToken,
			body: map[string]any{"display_name": "Six"}}, status: 200, check: func(t *testing.T, r response) {
			if rec := r.body["record"].(map[string]any); rec["display_name"] != "Six" || rec["email"] != "user006@example.com" {
				t.Errorf("record = %v", rec)
			}
		}},
		{name: "update missing record", req: request{method: "PATCH", path: "/api/v1/db/accounts/tables/users/records/9999", token: testToken,
			body: map[string]any{"display_name": "X"}}, status: 404, code: "RECORD_NOT_FOUND"},
		{name: "update no changes", req: request{method: "PATCH", path: "/api/v1/db/accounts/tables/users/records/6", token: testToken,
			body: map[string]any{}}, status: 400, code: "VALIDATION_FAILED"},
		{name: "update violates", req: request{method: "PATCH", path: "/api/v1/db/accounts/tables/users/records/6", token: testToken,
			body: map[string]any{"email": "user001@example.com"}}, status: 409, code: "CONSTRAINT_VIOLATION"},
		{name: "delete", req: request{method: "DELETE", path: "/api/v1/db/accounts/tables/api_tokens/records/7,~7Ehome", token: testToken}, status: 204},
		{name: "delete missing", req: request{method: "DELETE", path: "/api/v1/db/accounts/tables/api_tokens/records/7,nope", token: testToken},
			status: 404, code: "RECORD_NOT_FOUND"},
		{name: "delete restricted", req: request{method: "DELETE", path: "/api/v1/db/framework/tables/modules/records/billing", token: testToken},
			status: 204}, // settings cascade

		// Migrations.
		{name: "migration status", req: request{path: "/api/v1/db/billing/migrations/status"}, status: 200, check: func(t *testing.T, r response) {
			if r.body["migrations"] != true || r.body["current"] == "" || len(r.body["applied"].([]any)) != 1 || len(r.body["pending"].([]any)) != 0 {
				t.Errorf("body = %v", r.body)
			}
		}},
		{name: "migration status without folder", req: request{path: "/api/v1/db/misc/migrations/status"}, status: 200, check: func(t *testing.T, r response) {
			want := map[string]any{"database": "misc", "migrations": false, "current": "", "applied": []any{}, "pending": []any{}}
			if diff := cmp.Diff(want, r.body); diff != "" {
				t.Error(diff)
			}
		}},
		{name: "migration status unknown db", req: request{path: "/api/v1/db/nope/migrations/status"}, status: 404, code: "DATABASE_NOT_FOUND"},
		{name: "migration run at head", req: request{method: "POST", path: "/api/v1/db/billing/migrations/run", token: testToken,
			body: map[string]any{"target": "head"}}, status: 200},
		{name: "migration run empty body", req: request{method: "POST", path: "/api/v1/db/billing/migrations/run", token: testToken}, status: 200},
		{name: "migration run other target", req: request{method: "POST", path: "/api/v1/db/billing/migrations/run", token: testToken,
			body: map[string]any{"target": "20200101000000"}}, status: 400, code: "VALIDATION_FAILED"},
		{name: "migration downgrade no target", req: request{method: "POST", path: "/api/v1/db/billing/migrations/downgrade", token: testToken,
			body: map[string]any{}}, status: 400, code: "VALIDATION_FAILED"},
		{name: "migration downgrade unknown version", req: request{method: "POST", path: "/api/v1/db/billing/migrations/downgrade", token: testToken,
			body: map[string]any{"target": "19990101000000"}}, status: 400, code: "VALIDATION_FAILED"},
		{name: "migration downgrade without folder", req: request{method: "POST", path: "/api/v1/db/misc/migrations/downgrade", token: testToken,
			body: map[string]any{"target": "base"}}, status: 400, code: "VALIDATION_FAILED"},
		{name: "migration downgrade unknown db", req: request{method: "POST", path: "/api/v1/db/nope/migrations/downgrade", token: testToken,
			body: map[string]any{"target": "base"}}, status: 404, code: "DATABASE_NOT_FOUND"},

		// The rest of the URL space.
		{name: "unknown route", req: request{path: "/api/v1/db/accounts/nope"}, status: 404, code: "NOT_FOUND"},
		{name: "wrong method", req: request{method: "PUT", path: "/api/v1/db/accounts/tables/users/records/1", token: testToken},
			status: 405, code: "METHOD_NOT_ALLOWED", check: func(t *testing.T, r response) {
				if r.header.Get("Allow") != "GET, PATCH, DELETE, HEAD" {
					t.Errorf("Allow = %q", r.header.Get("Allow"))
				}
			}},
		{name: "root redirects to the page", req: request{path: "/"}, status: 302},
		{name: "page", req: request{path: "/admin/"}, status: 200, check: func(t *testing.T, r response) {
			if !strings.Contains(string(r.raw), "<title>") || r.header.Get("Content-Security-Policy") == "" {
				t.Errorf("page: %.200s, CSP %q", r.raw, r.header.Get("Content-Security-Policy"))
			}
		}},
	}
	m := openManager(t)
	h := NewHandler(m, Options{Token: testToken})
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

// TestNotReady: a database that stops answering turns is-ready into 503
// and status into ready:false, with the reason.
func TestNotReady(t *testing.T) {
	m := openManager(t)
	h := NewHandler(m, Options{})
	db, _ := m.DB("billing")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	r := do(t, h, request{path: "/api/v1/db/is-ready"})
	if r.status != http.StatusServiceUnavailable || r.errCode() != "NOT_READY" || r.header.Get("Retry-After") == "" {
		t.Errorf("is-ready: %d %s", r.status, r.raw)
	}
	r = do(t, h, request{path: "/api/v1/db/status"})
	if r.status != 200 || r.body["ready"] != false {
		t.Errorf("status: %d %s", r.status, r.raw)
	}
}

// TestAllowedHosts: a server answers only the host names it lists, and
// without a list only loopback names, which is what defeats DNS rebinding
// against a loopback server; "*" answers any host.
func TestAllowedHosts(t *testing.T) {
	m := openManager(t)
	tests := []struct {
		name  string
		hosts []string
		want  map[string]int
	}{
		{"listed", []string{"localhost", "127.0.0.1", "::1"}, map[string]int{
			"localhost:8080": 200, "127.0.0.1:1": 200, "[::1]:8080": 200, "LOCALHOST": 200,
			"evil.example": 403, "evil.example:8080": 403, "127.0.0.2": 403,
		}},
		{"none listed: loopback only", nil, map[string]int{
			"localhost:8080": 200, "localhost": 200, "127.0.0.1:1": 200, "127.0.0.2": 200, "[::1]:8080": 200, "::1": 200,
			"evil.example": 403, "evil.example:8080": 403, "localhost.evil.example": 403, "10.0.0.1": 403,
			"[::2]:8080": 403, "": 403,
		}},
		{"any", []string{"*"}, map[string]int{
			"localhost:8080": 200, "evil.example": 200, "10.0.0.1:80": 200,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := NewHandler(m, Options{AllowedHosts: tt.hosts})
			for host, want := range tt.want {
				r := httptest.NewRequest("GET", "/api/v1/db/databases", nil)
				r.Host = host
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code != want || want == 403 && !strings.Contains(w.Body.String(), "HOST_NOT_ALLOWED") {
					t.Errorf("Host %q: %d %s, want %d", host, w.Code, w.Body, want)
				}
			}
		})
	}
}
