package admin

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPageForms runs the page's form rules (static/form.js) in Node: how
// each kind of column's value goes into its input and back to the JSON the
// API reads, and where an API error is shown.
func TestPageForms(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("no node on PATH: the browser test covers the forms where chromium is installed")
	}
	script := `
const vm = require("vm"), fs = require("fs");
const ctx = {};
vm.createContext(ctx);
vm.runInContext(fs.readFileSync(process.argv[1], "utf8"), ctx);
const out = {};
for (const [name, expr] of Object.entries(JSON.parse(process.argv[2]))) out[name] = vm.runInContext(expr, ctx);
console.log(JSON.stringify(out));`
	cases := map[string]struct {
		expr string
		want any
	}{
		"kind generated":     {`inputKind({family: "text", generated: true})`, "generated"},
		"kind numeric":       {`inputKind({family: "numeric"})`, "number"},
		"kind untyped":       {`inputKind({family: "untyped"})`, "text"},
		"kind jsonb":         {`inputKind({family: "json"})`, "json"},
		"value datetime":     {`inputValue("datetime", "2026-01-05T10:00:00Z")`, "2026-01-05T10:00:00"},
		"value datetime ms":  {`inputValue("datetime", "2026-01-05T10:00:00.123456Z")`, "2026-01-05T10:00:00.123"},
		"value datetime tz":  {`inputValue("datetime", "2026-01-05T12:00:00+02:00")`, "2026-01-05T10:00:00"},
		"value datetime bad": {`inputValue("datetime", "soon")`, nil},
		"value date":         {`inputValue("date", "2026-03-01T00:00:00Z")`, "2026-03-01"},
		"value bool":         {`[inputValue("bool", true), inputValue("bool", 1), inputValue("bool", null)]`, []any{true, true, false}},
		"value json":         {`inputValue("json", {"a": [1]})`, "{\n  \"a\": [\n    1\n  ]\n}"},
		"value null":         {`inputValue("text", null)`, ""},
		"big integer exact":  {`encodeField("integer", " 9007199254740993 ")`, map[string]any{"json": "9007199254740993"}},
		"integer zeros":      {`encodeField("integer", "-007")`, map[string]any{"json": "-7"}},
		"not an integer":     {`encodeField("integer", "1.5")`, map[string]any{"error": "a whole number"}},
		"number spelling":    {`[".5", "5.", "-0.25e3", "12"].map((s) => encodeField("number", s).json)`, []any{"0.5", "5", "-0.25e3", "12"}},
		"not a number":       {`encodeField("number", "1,5")`, map[string]any{"error": "a number"}},
		"datetime":           {`encodeField("datetime", "2026-01-05T10:00")`, map[string]any{"json": `"2026-01-05 10:00:00"`}},
		"datetime seconds":   {`encodeField("datetime", "2026-01-05T10:00:07.5")`, map[string]any{"json": `"2026-01-05 10:00:07.5"`}},
		"date":               {`encodeField("date", "2026-03-01")`, map[string]any{"json": `"2026-03-01"`}},
		"bad json":           {`encodeField("json", "{").error.startsWith("not valid JSON")`, true},
		"json kept":          {`encodeField("json", " [1, 2] ")`, map[string]any{"json": "[1, 2]"}},
		"text":               {`encodeField("text", 'say "hi"')`, map[string]any{"json": `"say \"hi\""`}},
		"body": {`recordBody([["id", "9007199254740993"], ["odd \"name\"", "null"], ["tags", "[1]"]])`,
			`{"id":9007199254740993,"odd \"name\"":null,"tags":[1]}`},
	}
	schema := `{columns: [{name: "email"}, {name: "org_id"}, {name: "status"}, {name: "a"}, {name: "b"}],
		foreign_keys: [{columns: ["org_id"], ref_table: "orgs"}]}`
	for name, c := range map[string]struct {
		err  string
		want any
	}{
		"unique":        {`{code: "CONSTRAINT_VIOLATION", message: "m", details: {kind: "unique", columns: ["email"]}}`, map[string]any{"fields": map[string]any{"email": "already taken: it must be unique"}, "form": ""}},
		"unique pair":   {`{code: "CONSTRAINT_VIOLATION", message: "m", details: {kind: "unique", columns: ["a", "b"]}}`, map[string]any{"fields": map[string]any{"a": "this combination (a, b) is already taken: it must be unique", "b": "this combination (a, b) is already taken: it must be unique"}, "form": ""}},
		"check":         {`{code: "CONSTRAINT_VIOLATION", message: "m", details: {kind: "check", constraint: "status IN ('a','b') AND a > 0"}}`, map[string]any{"fields": map[string]any{"status": "fails the CHECK status IN ('a','b') AND a > 0", "a": "fails the CHECK status IN ('a','b') AND a > 0"}, "form": ""}},
		"foreign key":   {`{code: "CONSTRAINT_VIOLATION", message: "m", details: {kind: "foreign key"}}`, map[string]any{"fields": map[string]any{"org_id": "no such row in orgs"}, "form": ""}},
		"not null":      {`{code: "CONSTRAINT_VIOLATION", message: "m", details: {kind: "not null", columns: ["b"]}}`, map[string]any{"fields": map[string]any{"b": "required: the column is NOT NULL"}, "form": ""}},
		"validation":    {`{code: "VALIDATION_FAILED", message: "value of t.a is not valid JSON", details: {column: "a"}}`, map[string]any{"fields": map[string]any{"a": "value of t.a is not valid JSON"}, "form": ""}},
		"other":         {`{code: "DATABASE_LOCKED", message: "busy", details: {}}`, map[string]any{"fields": map[string]any{}, "form": "DATABASE_LOCKED: busy"}},
		"unknown field": {`{code: "VALIDATION_FAILED", message: "m", details: {column: "zz"}}`, map[string]any{"fields": map[string]any{}, "form": "VALIDATION_FAILED: m"}},
	} {
		cases["errors "+name] = struct {
			expr string
			want any
		}{`fieldErrors(` + c.err + `, ` + schema + `)`, c.want}
	}
	exprs := map[string]string{}
	want := map[string]any{}
	for name, c := range cases {
		exprs[name], want[name] = c.expr, c.want
	}
	args, _ := json.Marshal(exprs)
	out, err := exec.Command(node, "-e", script, filepath.Join("static", "form.js"), string(args)).CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var got map[string]any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("form.js (-want +got):\n%s", diff)
	}
}
