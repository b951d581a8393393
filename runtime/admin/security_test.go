package admin

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dbgen-dev/dbgen/runtime"
)

// loadPayloads reads the injection corpus, testdata/injection.json: what an
// attacker (or a careless script) puts where a name or a value goes:
// quotes, statement separators, comments, SQL keywords, SQLite's own tables,
// control and direction characters, and sizes far beyond any real name.
// cmd/dbgen's read-only serve test sends the same corpus to a real process.
func loadPayloads(t testing.TB) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "injection.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Payloads []json.RawMessage `json:"payloads"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(doc.Payloads))
	for i, raw := range doc.Payloads {
		if json.Unmarshal(raw, &out[i]) == nil {
			continue
		}
		var rep struct {
			Repeat string `json:"repeat"`
			Times  int    `json:"times"`
		}
		if err := json.Unmarshal(raw, &rep); err != nil || rep.Times <= 0 {
			t.Fatalf("injection.json item %d: %s", i, raw)
		}
		out[i] = strings.Repeat(rep.Repeat, rep.Times)
	}
	return out
}

// TestInjection sends every payload in every place the API takes a name or
// a value from the client. Each answer is a 400 with a code, or a clean 404
// for a name in the path; and afterwards no row of any database differs.
func TestInjection(t *testing.T) {
	payloads := loadPayloads(t)
	m := openManager(t)
	h := NewHandler(m, Options{Token: testToken})
	before := fingerprint(t, m)

	type place struct {
		name  string
		req   func(p string) request
		codes []string // acceptable error codes; the status follows from the code
	}
	q := func(path, name, value string) string {
		return path + "?" + url.Values{name: {value}}.Encode()
	}
	seg := url.PathEscape
	places := []place{
		{"database in path", func(p string) request { return request{path: "/api/v1/db/" + seg(p) + "/tables"} },
			[]string{"DATABASE_NOT_FOUND"}},
		{"table in path", func(p string) request { return request{path: "/api/v1/db/accounts/tables/" + seg(p)} },
			[]string{"TABLE_NOT_FOUND"}},
		{"table of schema", func(p string) request { return request{path: "/api/v1/db/accounts/tables/" + seg(p) + "/schema"} },
			[]string{"TABLE_NOT_FOUND"}},
		{"table of create", func(p string) request {
			return request{method: "POST", path: "/api/v1/db/accounts/tables/" + seg(p) + "/records", token: testToken, body: map[string]any{"id": 1}}
		}, []string{"TABLE_NOT_FOUND"}},
		{"table of delete", func(p string) request {
			return request{method: "DELETE", path: "/api/v1/db/accounts/tables/" + seg(p) + "/records/1", token: testToken}
		}, []string{"TABLE_NOT_FOUND"}},
		{"filter column", func(p string) request { return request{path: q("/api/v1/db/accounts/tables/users", p, "1")} },
			[]string{"COLUMN_NOT_FOUND", "VALIDATION_FAILED"}},
		{"filter operator", func(p string) request { return request{path: q("/api/v1/db/accounts/tables/users", "email__"+p, "x")} },
			[]string{"VALIDATION_FAILED"}},
		{"filter value, integer column", func(p string) request { return request{path: q("/api/v1/db/accounts/tables/users", "id", p)} },
			[]string{"VALIDATION_FAILED"}},
		{"filter list, integer column", func(p string) request { return request{path: q("/api/v1/db/accounts/tables/users", "id__in", "1,"+p)} },
			[]string{"VALIDATION_FAILED"}},
		{"sort", func(p string) request { return request{path: q("/api/v1/db/accounts/tables/users", "sort", p)} },
			[]string{"COLUMN_NOT_FOUND", "VALIDATION_FAILED"}},
		{"descending sort", func(p string) request { return request{path: q("/api/v1/db/accounts/tables/users", "sort", "-"+p)} },
			[]string{"COLUMN_NOT_FOUND", "VALIDATION_FAILED"}},
		{"page", func(p string) request { return request{path: q("/api/v1/db/accounts/tables/users", "page", p)} },
			[]string{"VALIDATION_FAILED"}},
		{"page size", func(p string) request { return request{path: q("/api/v1/db/accounts/tables/users", "page_size", p)} },
			[]string{"VALIDATION_FAILED"}},
		{"cursor", func(p string) request { return request{path: q("/api/v1/db/accounts/tables/users", "cursor", p)} },
			[]string{"VALIDATION_FAILED"}},
		{"integer key", func(p string) request {
			return request{path: "/api/v1/db/accounts/tables/users/records/" + seg(p)}
		}, []string{"VALIDATION_FAILED"}},
		{"composite key", func(p string) request {
			return request{method: "DELETE", path: "/api/v1/db/accounts/tables/api_tokens/records/" + seg(p), token: testToken}
		}, []string{"VALIDATION_FAILED"}},
		{"text key, update", func(p string) request {
			return request{method: "PATCH", path: "/api/v1/db/framework/tables/modules/records/" + seg(p), token: testToken,
				body: map[string]any{"version": "9"}}
		}, []string{"RECORD_NOT_FOUND", "VALIDATION_FAILED"}},
		{"text key, delete", func(p string) request {
			return request{method: "DELETE", path: "/api/v1/db/framework/tables/modules/records/" + seg(p), token: testToken}
		}, []string{"RECORD_NOT_FOUND", "VALIDATION_FAILED"}},
		{"body column, create", func(p string) request {
			return request{method: "POST", path: "/api/v1/db/misc/tables/notes/records", token: testToken, body: map[string]any{p: "x"}}
		}, []string{"COLUMN_NOT_FOUND"}},
		{"body column, update", func(p string) request {
			return request{method: "PATCH", path: "/api/v1/db/misc/tables/notes/records/1", token: testToken, body: map[string]any{p: "x"}}
		}, []string{"COLUMN_NOT_FOUND"}},
		{"migration run target", func(p string) request {
			return request{method: "POST", path: "/api/v1/db/billing/migrations/run", token: testToken, body: map[string]any{"target": p}}
		}, []string{"VALIDATION_FAILED"}},
		{"migration downgrade target", func(p string) request {
			return request{method: "POST", path: "/api/v1/db/billing/migrations/downgrade", token: testToken, body: map[string]any{"target": p}}
		}, []string{"VALIDATION_FAILED"}},
	}
	for _, pl := range places {
		t.Run(pl.name, func(t *testing.T) {
			for _, p := range payloads {
				r := do(t, h, pl.req(p))
				want := statusOf[codeOf(pl.codes, r.errCode())]
				if !slices.Contains(pl.codes, r.errCode()) || r.status != want {
					t.Errorf("payload %.40q: got %d %q, want one of %v: %.300s", p, r.status, r.errCode(), pl.codes, r.raw)
				}
				if r.status == http.StatusInternalServerError || strings.Contains(string(r.raw), "SELECT") && !strings.Contains(p, "SELECT") {
					t.Errorf("payload %.40q: the answer leaks SQL: %.300s", p, r.raw)
				}
			}
		})
	}
	if after := fingerprint(t, m); after != before {
		t.Fatal("the injection corpus changed rows")
	}
}

// codeOf is the code whose status to expect: the one received when it is
// acceptable, else the first acceptable one.
func codeOf(codes []string, got string) runtime.Code {
	if slices.Contains(codes, got) {
		return runtime.Code(got)
	}
	return runtime.Code(codes[0])
}

// TestValuesAreData: in a value, a payload is only data. Filters on text
// columns find exactly the rows that hold the payload, and a written
// payload reads back byte for byte.
func TestValuesAreData(t *testing.T) {
	payloads := loadPayloads(t)
	m := openManager(t)
	h := NewHandler(m, Options{Token: testToken})
	for _, p := range payloads {
		if len(p) > maxValueBytes {
			continue // refused in the URL; see TestInjection
		}
		r := do(t, h, request{path: "/api/v1/db/misc/tables/notes?" + url.Values{"body": {p}}.Encode()})
		if r.status != http.StatusOK || len(r.records()) != 0 {
			t.Errorf("filter body=%.40q: %d, %d records", p, r.status, len(r.records()))
		}
	}
	r := do(t, h, request{path: "/api/v1/db/misc/tables/notes?" + url.Values{"body__startswith": {`'; DROP`}}.Encode()})
	if recs := r.records(); len(recs) != 1 || recs[0]["body"] != `'; DROP TABLE notes; --` {
		t.Errorf("the stored attack text is not found as data: %s", r.raw)
	}
	for i, p := range payloads {
		r := do(t, h, request{method: "POST", path: "/api/v1/db/misc/tables/odd%20table/records", token: testToken,
			body: map[string]any{"k": fmt.Sprint("payload-", i), "v": p}})
		if r.status != http.StatusCreated {
			t.Fatalf("create with payload %.40q: %d %s", p, r.status, r.raw)
		}
		r = do(t, h, request{path: "/api/v1/db/misc/tables/odd%20table/records/payload-" + fmt.Sprint(i)})
		if got := r.body["record"].(map[string]any)["v"]; got != p {
			t.Errorf("payload %.40q read back as %.40q", p, got)
		}
	}
	r = do(t, h, request{path: "/api/v1/db/misc/tables/odd%20table?page_size=1"})
	if r.body["total"] != float64(len(payloads)+1) {
		t.Errorf("odd table holds %v rows, want %d", r.body["total"], len(payloads)+1)
	}
}

// TestAuth calls every mutating route without a token, with a wrong one,
// with a malformed header, and on a read-only server, on targets that exist
// (so a hole would show as a change), and checks that nothing changed.
func TestAuth(t *testing.T) {
	m := openManager(t)
	secured := NewHandler(m, Options{Token: testToken})
	readOnly := NewHandler(m, Options{})
	bodies := map[string]any{
		prefix + "/{db}/tables/{table}/records":       map[string]any{"name": "new", "version": "1"},
		prefix + "/{db}/tables/{table}/records/{key}": map[string]any{"version": "2"},
		prefix + "/{db}/migrations/run":               map[string]any{"target": "head"},
		prefix + "/{db}/migrations/downgrade":         map[string]any{"target": "base"},
		prefix + "/migrations/run":                    map[string]any{"target": "head"},
		prefix + "/migrations/generate":               map[string]any{"message": "add avatar"},
	}
	fill := strings.NewReplacer("{db}", "framework", "{table}", "modules", "{key}", "billing")
	before := fingerprint(t, m)
	n := 0
	for _, rt := range routes {
		if !rt.mutating {
			continue
		}
		n++
		path := fill.Replace(rt.path)
		for _, c := range []struct {
			name   string
			h      http.Handler
			header string
			status int
			code   string
		}{
			{"no token", secured, "", 401, "UNAUTHORIZED"},
			{"wrong token", secured, "Bearer wrong", 401, "UNAUTHORIZED"},
			{"token prefix", secured, "Bearer " + testToken[:len(testToken)-1], 401, "UNAUTHORIZED"},
			{"token with a suffix", secured, "Bearer " + testToken + "x", 401, "UNAUTHORIZED"},
			{"basic scheme", secured, "Basic " + testToken, 401, "UNAUTHORIZED"},
			{"empty bearer", secured, "Bearer ", 401, "UNAUTHORIZED"},
			{"read-only server", readOnly, "Bearer " + testToken, 403, "READ_ONLY"},
			{"read-only server, no token", readOnly, "", 403, "READ_ONLY"},
		} {
			t.Run(rt.method+" "+rt.path+"/"+c.name, func(t *testing.T) {
				r := do(t, headerSetter{c.h, c.header}, request{method: rt.method, path: path, body: bodies[rt.path]})
				if r.status != c.status || r.errCode() != c.code {
					t.Errorf("got %d %q, want %d %q", r.status, r.errCode(), c.status, c.code)
				}
				if c.status == 401 && r.header.Get("WWW-Authenticate") == "" {
					t.Error("401 without WWW-Authenticate")
				}
			})
		}
	}
	if n != 7 {
		t.Errorf("%d mutating routes, want 7: update this test's bodies", n)
	}
	if fingerprint(t, m) != before {
		t.Fatal("a refused request changed rows")
	}
}

// headerSetter sets the Authorization header as given, verbatim.
type headerSetter struct {
	h      http.Handler
	header string
}

func (s headerSetter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.header != "" {
		r.Header.Set("Authorization", s.header)
	}
	s.h.ServeHTTP(w, r)
}
