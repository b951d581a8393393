package admin

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestMalformedQuery: a query string that does not parse is a 400 on every
// route. Go's url.Values drops the pairs it cannot read, so
// ?sort=email;DROP TABLE users used to answer 200 with an unsorted page.
func TestMalformedQuery(t *testing.T) {
	m := openManager(t)
	h := NewHandler(m, Options{Token: testToken})
	before := fingerprint(t, m)
	fill := strings.NewReplacer("{db}", "framework", "{table}", "modules", "{key}", "billing")
	bodies := map[string]string{
		prefix + "/{db}/tables/{table}/records":       `{"name":"new","version":"1"}`,
		prefix + "/{db}/tables/{table}/records/{key}": `{"version":"2"}`,
		prefix + "/{db}/migrations/run":               `{"target":"head"}`,
		prefix + "/{db}/migrations/downgrade":         `{"target":"base"}`,
	}
	for _, rt := range routes {
		for _, q := range []string{"sort=name;DROP%20TABLE%20modules", "name=billing;x", "a=%zz", "%", "page=1&%gg=2"} {
			req := request{method: rt.method, path: fill.Replace(rt.path) + "?" + q}
			if rt.mutating {
				req.token, req.body = testToken, bodies[rt.path]
			}
			r := do(t, h, req)
			if r.status != http.StatusBadRequest || r.errCode() != "VALIDATION_FAILED" {
				t.Errorf("%s %s: %d %q, want 400 VALIDATION_FAILED: %.200s", req.method, req.path, r.status, r.errCode(), r.raw)
			}
		}
	}
	// Well-formed queries still mean what they say.
	r := do(t, h, request{path: "/api/v1/db/accounts/tables/users?" + url.Values{"sort": {"-email"}, "email__startswith": {"user00"}}.Encode()})
	if recs := r.records(); r.status != http.StatusOK || len(recs) != 9 || recs[0]["email"] != "user009@example.com" {
		t.Errorf("sorted and filtered: %d, %d records", r.status, len(recs))
	}
	if fingerprint(t, m) != before {
		t.Error("a request with a malformed query string changed rows")
	}
}
