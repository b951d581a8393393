package admin

import (
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCursorPages follows the Link header from the first page to the last:
// every row once, in order, with sort and filters kept.
func TestCursorPages(t *testing.T) {
	h := NewHandler(openManager(t), Options{})
	next := regexp.MustCompile(`<([^>]+)>; rel="next"`)
	path := "/api/v1/db/framework/tables/logs?level__in=warn,error&sort=-created_at&page_size=40&cursor="
	// An empty cursor starts keyset paging: no total is counted.
	var ids []float64
	for pages := 0; path != ""; pages++ {
		if pages > 10 {
			t.Fatal("more pages than rows")
		}
		r := do(t, h, request{path: path})
		if r.status != http.StatusOK || r.body["total"] != nil {
			t.Fatalf("%s: %d, total %v", path, r.status, r.body["total"])
		}
		for _, rec := range r.records() {
			ids = append(ids, rec["id"].(float64))
		}
		path = ""
		if m := next.FindStringSubmatch(r.header.Get("Link")); m != nil {
			path = m[1]
			if !strings.Contains(path, "level__in=warn%2Cerror") || !strings.Contains(path, "sort=-created_at") {
				t.Fatalf("next link lost the request's filters or sort: %s", path)
			}
		}
	}
	var want []float64
	for i := seedLogs; i >= 1; i-- {
		if i%4 == 2 || i%4 == 3 { // warn, error
			want = append(want, float64(i))
		}
	}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("ids over every page (-want +got):\n%s", diff)
	}
}

// TestMigrationRoundTrip reverts a database to base and runs it back to
// head through the API.
func TestMigrationRoundTrip(t *testing.T) {
	h := NewHandler(openManager(t), Options{Token: testToken})
	st := do(t, h, request{path: "/api/v1/db/content/migrations/status"})
	head := st.body["current"]
	r := do(t, h, request{method: "POST", path: "/api/v1/db/content/migrations/downgrade", token: testToken, body: map[string]any{"target": "base"}})
	if r.status != http.StatusOK || r.body["current"] != "" || len(r.body["pending"].([]any)) != 1 {
		t.Fatalf("downgrade: %d %s", r.status, r.raw)
	}
	r = do(t, h, request{path: "/api/v1/db/content/tables/tags"})
	if r.status != http.StatusInternalServerError || r.errCode() != "INTERNAL" || strings.Contains(string(r.raw), "no such table") {
		t.Errorf("rows of a dropped table: %d %s (want a 500 that does not leak the cause)", r.status, r.raw)
	}
	r = do(t, h, request{method: "POST", path: "/api/v1/db/content/migrations/run", token: testToken, body: map[string]any{"target": "head"}})
	if r.status != http.StatusOK || r.body["current"] != head || len(r.body["pending"].([]any)) != 0 {
		t.Fatalf("run: %d %s", r.status, r.raw)
	}
	if r := do(t, h, request{path: "/api/v1/db/content/tables/tags"}); r.status != http.StatusOK {
		t.Errorf("rows after run: %d %s", r.status, r.raw)
	}
}

func TestKeys(t *testing.T) {
	for _, parts := range [][]string{
		{"42"}, {"7", "ci/deploy"}, {"a,b", "tax rate"}, {"~", "+", "%", ""}, {"é", "\x00", "🙂"}, {"it's; --"},
	} {
		enc := encodeKey(parts)
		if strings.ContainsAny(enc, "/?#% ") {
			t.Errorf("encodeKey(%q) = %q: not one clean path segment", parts, enc)
		}
		got, ok := decodeKey(enc)
		if !ok || !cmp.Equal(parts, got) {
			t.Errorf("decodeKey(encodeKey(%q)) = %q, %v", parts, got, ok)
		}
	}
	for _, bad := range []string{"~", "~2", "~ZZ", "a~4"} {
		if _, ok := decodeKey(bad); ok {
			t.Errorf("decodeKey(%q) accepted a malformed escape", bad)
		}
	}
}

func FuzzDecodeKey(f *testing.F) {
	for _, s := range []string{"1", "7,ci~2Fdeploy", "a+b,~7E", "~", ",,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		parts, ok := decodeKey(s)
		if !ok {
			return
		}
		if again, ok := decodeKey(encodeKey(parts)); !ok || !cmp.Equal(parts, again) {
			t.Errorf("%q: decode, encode, decode gives %q, not %q", s, again, parts)
		}
	})
}

// TestDependencies keeps the admin API linkable by applications: like
// runtime, it must not pull in the generator, sqlc or cobra.
func TestDependencies(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, f := range []string{"github.com/dbgen-dev/dbgen/generator", "github.com/dbgen-dev/dbgen/cmd", "github.com/sqlc-dev/sqlc", "github.com/spf13/cobra"} {
			if pkg == f || strings.HasPrefix(pkg, f+"/") {
				t.Errorf("runtime/admin depends on %s", pkg)
			}
		}
	}
}

// TestInfinity: SQLite stores infinities, JSON cannot spell them; the API
// writes them as strings rather than failing the whole page.
func TestInfinity(t *testing.T) {
	m := openManager(t)
	db, _ := m.DB("misc")
	if _, err := db.Writer().Exec(`INSERT INTO notes (body, score) VALUES ('inf', 9e999), ('-inf', -9e999)`); err != nil {
		t.Fatal(err)
	}
	r := do(t, NewHandler(m, Options{}), request{path: "/api/v1/db/misc/tables/notes?body__in=inf,-inf&sort=body"})
	var scores []any
	for _, rec := range r.records() {
		scores = append(scores, rec["score"])
	}
	if r.status != http.StatusOK || !cmp.Equal(scores, []any{"-Infinity", "Infinity"}) {
		t.Errorf("%d, scores %v", r.status, scores)
	}
}
