package admin

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dbgen-dev/dbgen/gen"
	"github.com/dbgen-dev/dbgen/runtime"
)

const testToken = "s3cret-token"

// miscDDL adds the shapes the example application lacks: a table keyed by
// its rowid, columns named like parameters or holding "__", a quoted table
// name with a space, and a text key that needs escaping.
const miscDDL = `
CREATE TABLE notes (body TEXT, page INTEGER, "odd__name" TEXT, score REAL);
CREATE TABLE "odd table" (k TEXT PRIMARY KEY NOT NULL, v TEXT) WITHOUT ROWID;
CREATE VIEW note_pages AS SELECT body, page * 2 AS twice FROM notes;
`

func miscDef() *runtime.Definition {
	return &runtime.Definition{
		Name: "misc",
		DDL:  miscDDL,
		Tables: []runtime.Table{
			{
				Name: "notes",
				Columns: []runtime.Column{
					{Name: "body", SQLType: "TEXT", Nullable: true},
					{Name: "page", SQLType: "INTEGER", Nullable: true},
					{Name: "odd__name", SQLType: "TEXT", Nullable: true},
					{Name: "score", SQLType: "REAL", Nullable: true},
				},
				PrimaryKey: []string{"rowid"},
			},
			{
				Name:         "odd table",
				WithoutRowID: true,
				Columns: []runtime.Column{
					{Name: "k", SQLType: "TEXT", PrimaryKey: true},
					{Name: "v", SQLType: "TEXT", Nullable: true},
				},
				PrimaryKey: []string{"k"},
			},
			{
				Name: "note_pages",
				View: true,
				Columns: []runtime.Column{
					{Name: "body", SQLType: "TEXT", Nullable: true},
					{Name: "twice", Nullable: true}, // an expression: no type
				},
			},
		},
	}
}

// openManager opens the example application plus misc (and extra) in a
// temporary folder and seeds it.
func openManager(t testing.TB, extra ...*runtime.Definition) *runtime.Manager {
	t.Helper()
	return openManagerIn(t, t.TempDir(), extra...)
}

// openManagerIn is openManager in folder dir, which may hold the files of
// extra already.
func openManagerIn(t testing.TB, dir string, extra ...*runtime.Definition) *runtime.Manager {
	t.Helper()
	ctx := context.Background()
	reg := append(append(gen.Registry(), miscDef()), extra...)
	m, err := runtime.OpenManager(ctx, dir, reg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	seed(t, m)
	return m
}

// Seeded sizes, which tests count on.
const (
	seedUsers = 120
	seedLogs  = 300
	seedNotes = 30
)

var statuses = []string{"active", "suspended", "deleted"}

func seed(t testing.TB, m *runtime.Manager) {
	t.Helper()
	ctx := context.Background()
	must := func(db string, table string, rec map[string]any) {
		t.Helper()
		d, err := m.DB(db)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Create(ctx, table, rec); err != nil {
			t.Fatalf("seed %s.%s %v: %v", db, table, rec, err)
		}
	}
	must("accounts", "organizations", map[string]any{"id": 1, "slug": "acme", "name": "Acme"})
	must("accounts", "organizations", map[string]any{"id": 2, "slug": "globex", "name": "Globex"})
	for i := 1; i <= seedUsers; i++ {
		must("accounts", "users", map[string]any{
			"id": i, "organization_id": 1 + i%2, "email": fmt.Sprintf("user%03d@example.com", i),
			"display_name": fmt.Sprintf("User %03d", i), "status": statuses[i%3],
			"created_at": fmt.Sprintf("2026-01-%02d 10:00:00", 1+i%28),
		})
	}
	// Key parts that need escaping: a slash, a comma, a space, a tilde.
	for _, name := range []string{"ci/deploy", "a,b", "tax rate", "~home", "plain"} {
		must("accounts", "api_tokens", map[string]any{"user_id": 7, "name": name, "hash": []byte(name)})
	}
	must("framework", "modules", map[string]any{"name": "billing", "version": "1.0.0"})
	must("framework", "settings", map[string]any{"module": "billing", "key": "tax rate", "value": `{"rate":0.2}`})
	for i := 1; i <= seedLogs; i++ {
		must("framework", "logs", map[string]any{
			"level": []string{"debug", "info", "warn", "error"}[i%4], "module": "billing",
			"message": fmt.Sprintf("message %d", i), "created_at": fmt.Sprintf("2026-02-01 10:%02d:%02d", i/60, i%60),
		})
	}
	for i := 1; i <= seedNotes; i++ {
		must("misc", "notes", map[string]any{"body": fmt.Sprintf("note %d", i), "page": i, "odd__name": "x", "score": float64(i) / 2})
	}
	must("misc", "odd table", map[string]any{"k": "it's; --", "v": "quoted"})
	// A row whose text is an attack: filters must find it as plain data.
	must("misc", "notes", map[string]any{"body": `'; DROP TABLE notes; --`, "page": 0})
}

// response is what a test reads back.
type response struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any // nil unless the body is a JSON object
}

// errCode is the envelope's error code, "" when there is none.
func (r response) errCode() string {
	e, _ := r.body["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}

func (r response) errDetails() map[string]any {
	e, _ := r.body["error"].(map[string]any)
	d, _ := e["details"].(map[string]any)
	return d
}

func (r response) records() []map[string]any {
	list, _ := r.body["records"].([]any)
	out := make([]map[string]any, len(list))
	for i, v := range list {
		out[i], _ = v.(map[string]any)
	}
	return out
}

// request describes one call.
type request struct {
	method, path string
	body         any // marshalled to JSON unless a string or []byte
	token        string
	contentType  string
}

func do(t testing.TB, h http.Handler, req request) response {
	t.Helper()
	var body io.Reader
	switch b := req.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		body = bytes.NewReader(data)
	}
	method := req.method
	if method == "" {
		method = http.MethodGet
	}
	r := httptest.NewRequest(method, req.path, body)
	r.Host = "localhost" // a handler without AllowedHosts answers loopback names only
	if body != nil {
		ct := req.contentType
		if ct == "" {
			ct = "application/json"
		}
		r.Header.Set("Content-Type", ct)
	}
	if req.token != "" {
		r.Header.Set("Authorization", "Bearer "+req.token)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	res := response{status: w.Code, header: w.Header(), raw: w.Body.Bytes()}
	_ = json.Unmarshal(res.raw, &res.body)
	if res.status >= 400 && res.errCode() == "" {
		t.Errorf("%s %s: status %d without the error envelope: %s", method, req.path, res.status, res.raw)
	}
	return res
}

// fingerprint is a checksum of every row of every database: equal before
// and after means nothing was written.
func fingerprint(t testing.TB, m *runtime.Manager) string {
	t.Helper()
	ctx := context.Background()
	h := sha256.New()
	for _, name := range m.Names() {
		db, err := m.DB(name)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := db.Reader().QueryContext(ctx,
			`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
		if err != nil {
			t.Fatal(err)
		}
		var tables []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			tables = append(tables, n)
		}
		rows.Close()
		for _, tb := range tables {
			rows, err := db.Reader().QueryContext(ctx, `SELECT * FROM "`+strings.ReplaceAll(tb, `"`, `""`)+`"`)
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			n := 0
			for rows.Next() {
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				fmt.Fprintf(h, "%v\x00", vals)
				n++
			}
			if err := rows.Close(); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(h, "%s.%s:%d\n", name, tb, n)
		}
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}
