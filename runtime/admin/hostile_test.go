package admin

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/dbgen-dev/dbgen/runtime"
)

// searchDDL adds what the example application lacks: an FTS5 table, and a
// table with a column of each family whose JSON form is not plain (BLOB,
// JSON, DATETIME, BOOLEAN).
const searchDDL = `
CREATE VIRTUAL TABLE docs USING fts5(title, body);
CREATE TABLE items (id INTEGER PRIMARY KEY, data BLOB, doc JSON, at DATETIME, ok BOOLEAN);
`

func searchDef() *runtime.Definition {
	return &runtime.Definition{
		Name: "search",
		DDL:  searchDDL,
		Tables: []runtime.Table{
			{
				Name:    "docs",
				Virtual: true,
				Columns: []runtime.Column{
					{Name: "title", Nullable: true},
					{Name: "body", Nullable: true},
					// FTS5's hidden columns, as a hand-written Definition may
					// list them (introspection leaves them out): an exact
					// filter on docs is an FTS5 MATCH, a value written to it
					// a command such as 'delete-all'.
					{Name: "docs", Nullable: true},
					{Name: "rank", Nullable: true},
				},
			},
			{
				Name: "items",
				Columns: []runtime.Column{
					{Name: "id", SQLType: "INTEGER", PrimaryKey: true, RowID: true},
					{Name: "data", SQLType: "BLOB", Nullable: true},
					{Name: "doc", SQLType: "JSON", Nullable: true},
					{Name: "at", SQLType: "DATETIME", Nullable: true},
					{Name: "ok", SQLType: "BOOLEAN", Nullable: true},
				},
				PrimaryKey: []string{"id"},
			},
		},
	}
}

// openHostile opens the test databases with search, seeded. Row 2 of items
// holds what SQLite accepts but the codec never writes: a number in the
// DATETIME column (it reads as a Julian day, 4713 BC), text that is not
// JSON in the JSON column, text in the BOOLEAN and BLOB columns.
func openHostile(t testing.TB) *runtime.Manager {
	t.Helper()
	m := openManager(t, searchDef())
	db, err := m.DB("search")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Writer().ExecContext(context.Background(), `
		INSERT INTO docs (title, body) VALUES ('a', 'hello world'), ('b', 'bye');
		INSERT INTO items VALUES (1, x'00FF', '{"a":1}', '2026-01-01 10:00:00', 1);
		INSERT INTO items VALUES (2, 'AP8=', 'not json', 1, 'maybe');
		INSERT INTO items VALUES (3, NULL, '[1,', 1e300, NULL);`); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestClientMistakes: every mistake a client can make is a 4xx with the
// error envelope, never a 500 (which means a bug of ours); and none of the
// refused requests changes a row.
func TestClientMistakes(t *testing.T) {
	m := openHostile(t)
	h := NewHandler(m, Options{Token: testToken})
	before := fingerprint(t, m)

	type mistake struct {
		name   string
		req    request
		status int
		code   string // "" for a success
		msg    string // a part of the error message, when it matters
	}
	post := func(path, body string) request {
		return request{method: "POST", path: "/api/v1/db/" + path, token: testToken, body: body}
	}
	patch := func(path, body string) request {
		return request{method: "PATCH", path: "/api/v1/db/" + path, token: testToken, body: body}
	}
	get := func(path string) request { return request{path: "/api/v1/db/" + path} }
	cursor := func(json string) string { return base64.RawURLEncoding.EncodeToString([]byte(json)) }
	var cases []mistake

	// Non-integers for an INTEGER PRIMARY KEY and for the rowid, in bodies
	// and in the URL key.
	for _, v := range []string{`"abc"`, `1.5`, `1e300`, `18446744073709551616`, `-9223372036854775809`, `"2^64"`, `[1]`, `{}`, `true`, `"1"`} {
		cases = append(cases,
			mistake{"POST users id=" + v, post("accounts/tables/users/records",
				`{"id":`+v+`,"organization_id":1,"email":"new@example.com","display_name":"New"}`), 400, "VALIDATION_FAILED", "users.id"},
			mistake{"PATCH users id=" + v, patch("accounts/tables/users/records/1", `{"id":`+v+`}`), 400, "VALIDATION_FAILED", "users.id"},
			mistake{"POST notes rowid=" + v, post("misc/tables/notes/records", `{"rowid":`+v+`,"body":"x"}`), 400, "VALIDATION_FAILED", "rowid"},
			mistake{"PATCH notes rowid=" + v, patch("misc/tables/notes/records/1", `{"rowid":`+v+`}`), 400, "VALIDATION_FAILED", "rowid"},
			mistake{"POST items id=" + v, post("search/tables/items/records", `{"id":`+v+`}`), 400, "VALIDATION_FAILED", "items.id"},
		)
	}
	for _, k := range []string{"abc", "1.5", "1e300", "18446744073709551616", "-9223372036854775809", "0x10", "1e-5", "+", "~20"} {
		cases = append(cases,
			mistake{"GET users key " + k, get("accounts/tables/users/records/" + k), 400, "VALIDATION_FAILED", ""},
			mistake{"PATCH users key " + k, patch("accounts/tables/users/records/"+k, `{"display_name":"X"}`), 400, "VALIDATION_FAILED", ""},
			mistake{"GET notes key " + k, get("misc/tables/notes/records/" + k), 400, "VALIDATION_FAILED", ""},
		)
	}

	// A virtual table: read, never written through generic CRUD; what its
	// module makes of a filter's value is the client's mistake when it fails.
	cases = append(cases,
		mistake{"POST docs", post("search/tables/docs/records", `{"title":"c","body":"new"}`), 400, "VALIDATION_FAILED", "virtual table"},
		mistake{"POST docs with a rowid", post("search/tables/docs/records", `{"rowid":10,"title":"c"}`), 400, "VALIDATION_FAILED", "virtual table"},
		mistake{"POST docs hidden column", post("search/tables/docs/records", `{"docs":"delete-all"}`), 400, "VALIDATION_FAILED", "virtual table"},
		mistake{"POST docs rank", post("search/tables/docs/records", `{"rank":"bm25(10.0)"}`), 400, "VALIDATION_FAILED", "virtual table"},
		mistake{"PATCH docs", patch("search/tables/docs/records/1", `{"title":"z"}`), 400, "VALIDATION_FAILED", "virtual table"},
		mistake{"DELETE docs", request{method: "DELETE", path: "/api/v1/db/search/tables/docs/records/1", token: testToken}, 400, "VALIDATION_FAILED", "virtual table"},
		mistake{"GET docs record", get("search/tables/docs/records/1"), 400, "VALIDATION_FAILED", "virtual table"},
		mistake{"MATCH unterminated", get("search/tables/docs?docs=%22unterminated"), 400, "VALIDATION_FAILED", "refused a filter"},
		mistake{"MATCH NEAR(", get("search/tables/docs?docs=NEAR("), 400, "VALIDATION_FAILED", "fts5: syntax error"},
		mistake{"MATCH unknown column", get("search/tables/docs?docs=nosuch:hello"), 400, "VALIDATION_FAILED", "no such column: nosuch"},
		mistake{"MATCH special query", get("search/tables/docs?docs=*"), 400, "VALIDATION_FAILED", ""},
		mistake{"MATCH NUL", get("search/tables/docs?docs=%00"), 400, "VALIDATION_FAILED", ""},
		mistake{"MATCH in a list", get("search/tables/docs?docs__in=hello,%22x"), 400, "VALIDATION_FAILED", ""},
		mistake{"MATCH", get("search/tables/docs?docs=hello"), 200, "", ""},
		mistake{"docs by title", get("search/tables/docs?title=%22x&sort=-rowid"), 200, "", ""},
		mistake{"docs keyset", get("search/tables/docs?sort=rowid&cursor="), 200, "", ""},
	)

	// Values SQLite holds but JSON cannot spell as the codec writes them,
	// and a time given as a number.
	cases = append(cases,
		mistake{"GET stored odd values", get("search/tables/items?sort=id"), 200, "", ""},
		mistake{"GET a stored odd row", get("search/tables/items/records/2"), 200, "", ""},
		mistake{"GET a time in 4713 BC", get("search/tables/items?id=2"), 200, "", ""},
		mistake{"POST a time as a number", post("search/tables/items/records", `{"at":1}`), 400, "VALIDATION_FAILED", "items.at"},
		mistake{"PATCH a time as a number", patch("search/tables/items/records/1", `{"at":2460000.5}`), 400, "VALIDATION_FAILED", "items.at"},
		mistake{"PATCH a time as a bool", patch("search/tables/items/records/1", `{"at":true}`), 400, "VALIDATION_FAILED", "items.at"},
		mistake{"PATCH a time that is not one", patch("search/tables/items/records/1", `{"at":"soon"}`), 400, "VALIDATION_FAILED", "items.at"},
		mistake{"PATCH a blob that is not base64", patch("search/tables/items/records/1", `{"data":"AP8"}`), 400, "VALIDATION_FAILED", "base64"},
		mistake{"PATCH a blob as a number", patch("search/tables/items/records/1", `{"data":1}`), 400, "VALIDATION_FAILED", "base64"},
		mistake{"PATCH a real too large", patch("misc/tables/notes/records/1", `{"score":1e400}`), 400, "VALIDATION_FAILED", ""},
		mistake{"PATCH a generated column", patch("accounts/tables/users/records/1", `{"email_domain":"x"}`), 400, "VALIDATION_FAILED", ""},
		mistake{"PATCH a strict column with text", patch("accounts/tables/organizations/records/1", `{"id":"x"}`), 400, "VALIDATION_FAILED", ""},
	)

	// Page numbers and sizes, cursors, operators, sorts, filters on BLOB
	// and JSON columns, keys with the wrong number of parts.
	cases = append(cases,
		mistake{"huge page", get("accounts/tables/users?page=99999999999999999999"), 400, "VALIDATION_FAILED", ""},
		mistake{"page past any table", get("accounts/tables/users?page=2147483648"), 400, "VALIDATION_FAILED", ""},
		mistake{"offset past any table", get("accounts/tables/users?page=2147483647&page_size=500"), 400, "VALIDATION_FAILED", ""},
		mistake{"negative page", get("accounts/tables/users?page=-1"), 400, "VALIDATION_FAILED", ""},
		mistake{"negative size", get("accounts/tables/users?page_size=-5"), 400, "VALIDATION_FAILED", ""},
		mistake{"size too large", get("accounts/tables/users?page_size=100000"), 400, "VALIDATION_FAILED", ""},
		mistake{"size not a number", get("accounts/tables/users?page_size=ten"), 400, "VALIDATION_FAILED", ""},
		mistake{"page twice", get("accounts/tables/users?page=1&page=2"), 400, "VALIDATION_FAILED", ""},
		mistake{"cursor garbage", get("accounts/tables/users?cursor=!!!"), 400, "VALIDATION_FAILED", ""},
		mistake{"cursor not JSON", get("accounts/tables/users?cursor=" + cursor("garbage")), 400, "VALIDATION_FAILED", ""},
		mistake{"cursor of another order", get("accounts/tables/users?cursor=" + cursor(`{"o":"x","k":[1]}`)), 400, "VALIDATION_FAILED", ""},
		mistake{"cursor with bad values", get("accounts/tables/users?cursor=" + cursor(`{"o":"x","k":[{"b":"!!"},{"f":"x"}]}`)), 400, "VALIDATION_FAILED", ""},
		mistake{"cursor and page", get("accounts/tables/users?cursor=&page=2"), 400, "VALIDATION_FAILED", ""},
		mistake{"cursor on a view", get("accounts/tables/active_users?cursor="), 400, "VALIDATION_FAILED", ""},
		mistake{"unknown op", get("accounts/tables/users?email__bogus=x"), 400, "VALIDATION_FAILED", ""},
		mistake{"no column before __", get("accounts/tables/users?__exact=1"), 400, "COLUMN_NOT_FOUND", ""},
		mistake{"only __", get("accounts/tables/users?__=1"), 400, "COLUMN_NOT_FOUND", ""},
		mistake{"op without a name", get("accounts/tables/users?id__=1"), 400, "VALIDATION_FAILED", ""},
		mistake{"in: not a list", get("accounts/tables/users?id__in=[1,"), 400, "VALIDATION_FAILED", ""},
		mistake{"in: an object", get("search/tables/items?doc__in=[1,{}]"), 400, "VALIDATION_FAILED", ""},
		mistake{"number column, text", get("accounts/tables/users?id__gt=abc"), 400, "VALIDATION_FAILED", ""},
		mistake{"number too large", get("accounts/tables/users?id=1e999"), 400, "VALIDATION_FAILED", ""},
		mistake{"blob filter", get("search/tables/items?data=AP8%3D"), 200, "", ""},
		mistake{"blob contains", get("search/tables/items?data__contains=x"), 200, "", ""},
		mistake{"blob gt", get("search/tables/items?data__gt=1"), 200, "", ""},
		mistake{"json gt", get("search/tables/items?doc__gt=%7B%7D"), 200, "", ""},
		mistake{"json like", get("search/tables/items?doc__like=%25a%25"), 200, "", ""},
		mistake{"json in", get("search/tables/items?doc__in=[1,%22a%22]"), 200, "", ""},
		// SQLite's LIKE pattern limit (sqliteconn.LikePatternLength, 2000
		// bytes) counts the pattern dbgen builds: the value with its
		// escapes and the % around it.
		mistake{"like pattern at the limit", get("accounts/tables/users?email__like=" + strings.Repeat("a", 2000)), 200, "", ""},
		mistake{"like pattern too long", get("accounts/tables/users?email__like=" + strings.Repeat("a", 2001)), 400, "VALIDATION_FAILED", "at most 2000 bytes"},
		mistake{"like pattern of many %", get("accounts/tables/users?email__like=" + strings.Repeat("%25a", 1001)), 400, "VALIDATION_FAILED", "at most 2000 bytes"},
		mistake{"contains too long", get("accounts/tables/users?email__contains=" + strings.Repeat("a", 1999)), 400, "VALIDATION_FAILED", "at most 2000 bytes"},
		mistake{"contains too long once escaped", get("accounts/tables/users?email__contains=" + strings.Repeat("_", 1000)), 400, "VALIDATION_FAILED", "at most 2000 bytes"},
		mistake{"startswith too long", get("accounts/tables/users?email__startswith=" + strings.Repeat("a", 2000)), 400, "VALIDATION_FAILED", "at most 2000 bytes"},
		mistake{"endswith at the limit", get("accounts/tables/users?email__endswith=" + strings.Repeat("a", 1999)), 200, "", ""},
		mistake{"like on a view, too long", get("accounts/tables/active_users?email__like=" + strings.Repeat("a", 4000)), 400, "VALIDATION_FAILED", "at most 2000 bytes"},
		mistake{"sort by rowid of a view", get("accounts/tables/active_users?sort=rowid"), 400, "COLUMN_NOT_FOUND", ""},
		mistake{"sort by rowid, WITHOUT ROWID", get("accounts/tables/sessions?sort=-rowid"), 400, "COLUMN_NOT_FOUND", ""},
		mistake{"filter rowid, WITHOUT ROWID", get("accounts/tables/sessions?rowid=1"), 400, "COLUMN_NOT_FOUND", ""},
		mistake{"sort empty part", get("accounts/tables/users?sort=id,,email"), 400, "VALIDATION_FAILED", ""},
		mistake{"sort only -", get("accounts/tables/users?sort=-"), 400, "VALIDATION_FAILED", ""},
		mistake{"sort --", get("accounts/tables/users?sort=--id"), 400, "COLUMN_NOT_FOUND", ""},
		mistake{"too many parameters", get("accounts/tables/users?" + strings.Repeat("id=1&", 65)), 400, "VALIDATION_FAILED", ""},
		mistake{"key: too few parts", get("accounts/tables/api_tokens/records/7"), 400, "VALIDATION_FAILED", "2 part(s)"},
		mistake{"key: too many parts", get("accounts/tables/api_tokens/records/7,a,b"), 400, "VALIDATION_FAILED", "2 part(s)"},
		mistake{"key: empty parts", get("accounts/tables/api_tokens/records/,"), 400, "VALIDATION_FAILED", ""},
		mistake{"key: two for one", get("accounts/tables/users/records/1,2"), 400, "VALIDATION_FAILED", "1 part(s)"},
		mistake{"key: bad escape", get("accounts/tables/api_tokens/records/7,~ZZ"), 400, "VALIDATION_FAILED", ""},
		mistake{"key: escape cut short", get("accounts/tables/api_tokens/records/7,~4"), 400, "VALIDATION_FAILED", ""},
		mistake{"key of a view", get("accounts/tables/active_users/records/1"), 400, "VALIDATION_FAILED", "view"},
		mistake{"key: no such row", get("accounts/tables/api_tokens/records/7,nope"), 404, "RECORD_NOT_FOUND", ""},
	)

	// Bodies.
	cases = append(cases,
		mistake{"body: array", post("misc/tables/notes/records", `[]`), 400, "VALIDATION_FAILED", ""},
		mistake{"body: null", post("misc/tables/notes/records", `null`), 400, "VALIDATION_FAILED", ""},
		mistake{"body: string", post("misc/tables/notes/records", `"x"`), 400, "VALIDATION_FAILED", ""},
		mistake{"body: two values", post("misc/tables/notes/records", `{"body":"a"}{"body":"b"}`), 400, "VALIDATION_FAILED", ""},
		mistake{"body: cut short", post("misc/tables/notes/records", `{"body":`), 400, "VALIDATION_FAILED", ""},
		mistake{"body: no changes", patch("misc/tables/notes/records/1", `{}`), 400, "VALIDATION_FAILED", ""},
		mistake{"body: unknown column", patch("misc/tables/notes/records/1", `{"nope":1}`), 400, "COLUMN_NOT_FOUND", ""},
		mistake{"body: missing NOT NULL", post("accounts/tables/organizations/records", `{}`), 409, "CONSTRAINT_VIOLATION", ""},
		mistake{"body: as text/plain", request{method: "POST", path: "/api/v1/db/misc/tables/notes/records", token: testToken,
			body: `{"body":"x"}`, contentType: "text/plain"}, 415, "UNSUPPORTED_MEDIA_TYPE", ""},
		mistake{"POST to a view", post("accounts/tables/active_users/records", `{"email":"x"}`), 400, "VALIDATION_FAILED", "view"},
		mistake{"migrations: run to a version", post("billing/migrations/run", `{"target":1}`), 400, "VALIDATION_FAILED", ""},
		mistake{"migrations: downgrade to null", post("billing/migrations/downgrade", `{"target":null}`), 400, "VALIDATION_FAILED", ""},
		mistake{"migrations: downgrade without a folder", post("misc/migrations/downgrade", `{"target":"base"}`), 400, "VALIDATION_FAILED", ""},
		mistake{"migrations: downgrade, body an array", post("billing/migrations/downgrade", `[]`), 400, "VALIDATION_FAILED", ""},
	)

	for _, c := range cases {
		r := do(t, h, c.req)
		if r.status != c.status || r.errCode() != c.code {
			t.Errorf("%s: %s %s: got %d %q, want %d %q: %.300s", c.name, c.req.method, c.req.path, r.status, r.errCode(), c.status, c.code, r.raw)
			continue
		}
		e, _ := r.body["error"].(map[string]any)
		if msg, _ := e["message"].(string); c.msg != "" && !strings.Contains(msg, c.msg) {
			t.Errorf("%s: message %q, want it to say %q", c.name, msg, c.msg)
		}
	}
	if after := fingerprint(t, m); after != before {
		t.Error("a refused request changed rows")
	}

	// A virtual table is listed as not writable.
	r := do(t, h, get("search/tables"))
	for _, tb := range r.body["tables"].([]any) {
		tb := tb.(map[string]any)
		if want := tb["type"] == "table"; tb["writable"] != want {
			t.Errorf("%s (%s): writable %v, want %v", tb["name"], tb["type"], tb["writable"], want)
		}
	}
}
