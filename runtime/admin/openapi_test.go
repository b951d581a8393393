package admin

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
)

type openAPIOp struct {
	Security  []map[string][]string `json:"security"`
	Responses map[string]any        `json:"responses"`
	Params    []map[string]any      `json:"parameters"`
	Body      map[string]any        `json:"requestBody"`
}

// TestOpenAPIMatchesRoutes holds the served document and the route table
// to each other: every route is documented, every documented operation is
// a route, and mutating ones document the token and its refusals.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	var doc struct {
		OpenAPI string                          `json:"openapi"`
		Paths   map[string]map[string]openAPIOp `json:"paths"`
	}
	m := openManager(t)
	r := do(t, NewHandler(m, Options{}), request{path: prefix + "/openapi.json"})
	if r.status != http.StatusOK {
		t.Fatalf("GET openapi.json: %d", r.status)
	}
	if err := json.Unmarshal(r.raw, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}

	registered := map[string]route{}
	for _, rt := range routes {
		registered[strings.ToLower(rt.method)+" "+rt.path] = rt
		op, ok := doc.Paths[rt.path][strings.ToLower(rt.method)]
		if !ok {
			t.Errorf("%s %s is served but not documented", rt.method, rt.path)
			continue
		}
		secured := slices.ContainsFunc(op.Security, func(s map[string][]string) bool { _, ok := s["bearer"]; return ok })
		if secured != rt.mutating {
			t.Errorf("%s %s: documented bearer security %v, route mutating %v", rt.method, rt.path, secured, rt.mutating)
		}
		if rt.mutating {
			for _, status := range []string{"401", "403", "413"} {
				if _, ok := op.Responses[status]; !ok {
					t.Errorf("%s %s: mutating but documents no %s", rt.method, rt.path, status)
				}
			}
		}
		// Every path wildcard is a documented parameter.
		for _, w := range regexp.MustCompile(`\{(\w+)\}`).FindAllStringSubmatch(rt.path, -1) {
			if !slices.ContainsFunc(op.Params, func(p map[string]any) bool { return p["$ref"] == "#/components/parameters/"+w[1] }) {
				t.Errorf("%s %s: path parameter %s is not documented", rt.method, rt.path, w[1])
			}
		}
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if _, ok := registered[method+" "+path]; !ok {
				t.Errorf("%s %s is documented but not served", strings.ToUpper(method), path)
			}
		}
	}
}

// TestOpenAPIRefs checks that every $ref of the document points at
// something it defines.
func TestOpenAPIRefs(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				var node any = doc
				for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
					m, _ := node.(map[string]any)
					node = m[part]
				}
				if node == nil {
					t.Errorf("$ref %s resolves to nothing", ref)
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
}
