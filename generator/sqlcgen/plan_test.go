package sqlcgen

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dbgen-dev/dbgen/generator/diag"
)

func TestOutputName(t *testing.T) {
	taken := map[string]bool{}
	var got []string
	for _, p := range []string{"<crud>", "accounts/queries.sql", "billing/queries.sql", "users.queries.sql", "a b/ünï.sql", "x/.sql", "queries_2.sql"} {
		got = append(got, outputName(p, taken))
	}
	want := []string{"crud.sql.go", "queries.sql.go", "queries_2.sql.go", "users.queries.sql.go", "n.sql.go", "queries_3.sql.go", "queries_2_2.sql.go"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("output names (-want +got):\n%s", diff)
	}
}

func TestPlanQueryNameClash(t *testing.T) {
	jobs := []Job{{
		Package: "accounts",
		Queries: []QueryFile{
			{Path: "<crud>", SQL: []byte("-- name: GetUser :one\nSELECT 1;\n-- name: CountUsers :one\nSELECT 2;\n")},
			{Path: "accounts/queries.sql", SQL: []byte("\n-- name: Mine :one\nSELECT 3;\n-- name: GetUser :one\nSELECT 4;\n-- name: Mine :many\nSELECT 5;\n")},
		},
	}, {
		// Another database may reuse the names.
		Package: "billing",
		Queries: []QueryFile{{Path: "billing/queries.sql", SQL: []byte("-- name: GetUser :one\nSELECT 1;\n")}},
	}}
	_, err := newPlan(jobs, true)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("newPlan: got %v, want an *Error", err)
	}
	want := []Diagnostic{
		{Path: "accounts/queries.sql", Line: 4, Msg: "query GetUser is already defined at <crud>:1; rename it"},
		{Path: "accounts/queries.sql", Line: 6, Msg: "query Mine is already defined at accounts/queries.sql:2; rename it"},
	}
	if diff := cmp.Diff(want, e.Diagnostics); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	var list diag.List
	if !errors.As(err, &list) {
		t.Errorf("the error does not unwrap to a diag.List")
	}
}

func TestPlanRejects(t *testing.T) {
	tests := []struct {
		name string
		jobs []Job
		want string
	}{
		{"bad package", []Job{{Package: "my-db"}}, `"my-db" is not a valid package name`},
		{"keyword", []Job{{Package: "func"}}, `"func" is not a valid package name`},
		{"twice", []Job{{Package: "a"}, {Package: "a"}}, "package a is given twice"},
		{"override without target", []Job{{Package: "a", Options: Options{Overrides: []Override{{GoType: "string"}}}}}, "an override needs either a db type or a column"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newPlan(tt.jobs, true)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("newPlan: got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
