package admin

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// errMessage is the envelope's error message, "" when there is none.
func (r response) errMessage() string {
	e, _ := r.body["error"].(map[string]any)
	msg, _ := e["message"].(string)
	return msg
}

// TestMethodNotAllowedAgrees: a 405's Allow header, its message and its
// details.allow list the same methods, HEAD with GET (the message and the
// header listed HEAD, details.allow did not).
func TestMethodNotAllowedAgrees(t *testing.T) {
	h := NewHandler(openManager(t), Options{Token: testToken})
	for _, tc := range []struct {
		req  request
		want []string
	}{
		{request{method: "PUT", path: "/api/v1/db/accounts/tables/users/records/1", token: testToken}, []string{"GET", "PATCH", "DELETE", "HEAD"}},
		{request{method: "DELETE", path: "/api/v1/db/tables/users", token: testToken}, []string{"GET", "HEAD"}},
		{request{method: "GET", path: "/api/v1/db/accounts/migrations/run"}, []string{"POST"}},
	} {
		r := do(t, h, tc.req)
		if r.status != http.StatusMethodNotAllowed {
			t.Fatalf("%s %s: %d %s", tc.req.method, tc.req.path, r.status, r.raw)
		}
		var got []string
		for _, m := range r.errDetails()["allow"].([]any) {
			got = append(got, m.(string))
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s %s: details.allow (-want +got):\n%s", tc.req.method, tc.req.path, diff)
		}
		allow := strings.Join(tc.want, ", ")
		if r.header.Get("Allow") != allow || !strings.HasSuffix(r.errMessage(), "use "+allow) {
			t.Errorf("%s %s: Allow %q, message %q; want both to list %s", tc.req.method, tc.req.path, r.header.Get("Allow"), r.errMessage(), allow)
		}
	}
}

// TestDowngradeBody: a command body's unknown fields are a 400 naming
// them ({"to": "-1"} used to be ignored, and then answered "give a
// target"); a missing target names the field; -N reverts the latest N as
// dbgen migrate down --to -N does.
func TestDowngradeBody(t *testing.T) {
	h := NewHandler(openManager(t), Options{Token: testToken})
	const path = "/api/v1/db/content/migrations/downgrade"
	post := func(body any) response {
		return do(t, h, request{method: "POST", path: path, token: testToken, body: body})
	}
	for _, tc := range []struct {
		body    any
		message []string // parts of the 400's message
	}{
		{map[string]any{"to": "-1"}, []string{`unknown field "to"`, "takes target"}},
		{map[string]any{"to": "-1", "force": true, "target": "base"}, []string{`unknown fields "force", "to"`}},
		{map[string]any{}, []string{`"target"`, "-N"}},
		{map[string]any{"target": "-x"}, []string{`target "-x"`, "-N"}},
		{map[string]any{"target": "-0"}, []string{`target "-0"`}},
		{map[string]any{"target": "-2"}, []string{"only 1 applied", `"base"`}},
		{map[string]any{"target": 1}, []string{"field target must be a JSON string"}},
	} {
		r := post(tc.body)
		if r.status != http.StatusBadRequest || r.errCode() != "VALIDATION_FAILED" {
			t.Errorf("%v: %d %s, want a 400", tc.body, r.status, r.raw)
			continue
		}
		for _, part := range tc.message {
			if !strings.Contains(r.errMessage(), part) {
				t.Errorf("%v: message %q does not say %s", tc.body, r.errMessage(), part)
			}
		}
	}
	if r := post(map[string]any{"to": "-1"}); r.errDetails()["fields"] == nil {
		t.Errorf("unknown field: details %v name no fields", r.errDetails())
	}
	r := post(map[string]any{"target": "-1"})
	if r.status != http.StatusOK || r.body["current"] != "" || len(r.body["pending"].([]any)) != 1 {
		t.Fatalf("downgrade -1: %d %s", r.status, r.raw)
	}
	r = do(t, h, request{method: "POST", path: "/api/v1/db/content/migrations/run", token: testToken, body: map[string]any{"target": "head", "to": "x"}})
	if r.status != http.StatusBadRequest || !strings.Contains(r.errMessage(), `unknown field "to"`) {
		t.Errorf("run with an unknown field: %d %s", r.status, r.raw)
	}
	r = do(t, h, request{method: "POST", path: "/api/v1/db/content/migrations/run", token: testToken})
	if r.status != http.StatusOK || len(r.body["pending"].([]any)) != 0 {
		t.Errorf("run without a body: %d %s", r.status, r.raw)
	}
}

// TestReadOnlyNamesTheFlag: the read-only 403 names the flag that starts
// dbgen serve with a token.
func TestReadOnlyNamesTheFlag(t *testing.T) {
	h := NewHandler(openManager(t), Options{})
	r := do(t, h, request{method: "POST", path: "/api/v1/db/content/migrations/run"})
	if r.status != http.StatusForbidden || !strings.Contains(r.errMessage(), "--token-env") {
		t.Errorf("read-only: %d %s, want a 403 naming --token-env", r.status, r.raw)
	}
}
