package admin

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/dbgen-dev/dbgen/runtime"
)

// The fuzz targets drive the handler as a client can: any query string,
// cursor, record key or body, on tables of every kind. The invariant of
// each: the parser gives a result or a client error, never a panic; the
// handler never answers 500 (which means a bug of ours), and every 4xx
// carries the error envelope.

// fuzzTables are the tables the targets choose from by index: plain,
// composite and text keys, WITHOUT ROWID, views, FTS5, each family.
var fuzzTables = [][2]string{
	{"accounts", "users"},
	{"accounts", "api_tokens"},
	{"accounts", "sessions"},
	{"accounts", "active_users"},
	{"framework", "logs"},
	{"framework", "settings"},
	{"misc", "notes"},
	{"misc", "odd table"},
	{"misc", "note_pages"},
	{"search", "docs"},
	{"search", "items"},
}

func fuzzTable(i uint8) (db, table string) {
	t := fuzzTables[int(i)%len(fuzzTables)]
	return t[0], t[1]
}

func tablePath(db, table string) string {
	return prefix + "/" + url.PathEscape(db) + "/tables/" + url.PathEscape(table)
}

// fuzzServe sends one request to h and checks the handler's invariant.
func fuzzServe(t *testing.T, h http.Handler, method, path, rawQuery, contentType string, body []byte) (int, []byte) {
	t.Helper()
	status, raw := send(h, method, path, rawQuery, contentType, body)
	if status >= 500 {
		t.Fatalf("%s %s?%s: %d (a bug, not the client's mistake): %s", method, path, rawQuery, status, raw)
	}
	if status >= 400 {
		var env struct {
			Error *struct {
				Code    string         `json:"code"`
				Message string         `json:"message"`
				Details map[string]any `json:"details"`
			} `json:"error"`
		}
		if err := json.Unmarshal(raw, &env); err != nil || env.Error == nil || env.Error.Code == "" || env.Error.Message == "" {
			t.Fatalf("%s %s?%s: %d without the error envelope: %s", method, path, rawQuery, status, raw)
		}
	}
	return status, raw
}

// send serves one request: path as a client escapes it, the query string
// as sent, the token on every mutating method.
func send(h http.Handler, method, path, rawQuery, contentType string, body []byte) (int, []byte) {
	r := httptest.NewRequest(method, "/", bytes.NewReader(body))
	r.Host = "localhost"
	r.URL.Path, r.URL.RawPath, r.URL.RawQuery = path, "", rawQuery
	if u, err := url.PathUnescape(path); err == nil {
		r.URL.Path, r.URL.RawPath = u, path
	}
	r.RequestURI = r.URL.RequestURI()
	if body == nil {
		r.ContentLength = 0
	}
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	if method != http.MethodGet {
		r.Header.Set("Authorization", "Bearer "+testToken)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	res := w.Result()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, raw
}

// clientError fails unless err is an API error whose status is a 4xx.
func clientError(t *testing.T, what string, err error) {
	t.Helper()
	var e *runtime.Error
	if !errors.As(err, &e) {
		t.Fatalf("%s: error %T %v is not a *runtime.Error", what, err, err)
	}
	if s := statusOf[e.Code]; s < 400 || s >= 500 {
		t.Fatalf("%s: error %s (%v) is status %d, want a 4xx", what, e.Code, err, s)
	}
}

func fuzzHandler(f *testing.F) (*runtime.Manager, http.Handler) {
	m := openHostile(f)
	return m, NewHandler(m, Options{Token: testToken})
}

// FuzzListQuery: the rows route's query string (filters, sort, page,
// page_size, cursor) read into a runtime.ListRequest, then served.
func FuzzListQuery(f *testing.F) {
	m, h := fuzzHandler(f)
	for _, s := range []string{
		"",
		"page=2&page_size=10&sort=-created_at,email&status__in=active,suspended",
		"email__contains=%25&email__startswith=user_&display_name__like=U%25",
		"id__gt=abc", "id__gte=1e400", "id=1.5", "rowid=9223372036854775808", "rowid__in=1,2,x",
		"sort=email;DROP%20TABLE%20users", "sort=,", "sort=-", "sort=nope", "nope=1", "id__nope=1",
		"page=99999999999", "page_size=-1", "page=1&page=2", "page=2147483648&page_size=1000",
		"cursor=", "cursor=abc", "cursor=&page=1", "cursor=&sort=-id",
		"last_login_at__isnull=true", "last_login_at__notnull=maybe", "status__notin=",
		"status__in=%22a,b%22,c", "status__in=%22open", "docs=%22unterminated", "docs=NEAR(", "docs=*",
		"rank__lt=1", "at__gte=2026-01-01", "at=12", "ok=true", "ok=maybe", "data=AP8=", "doc__contains=a",
		"twice__lt=3", "odd__name=x", "odd__name__exact=x", "k=it%27s%3B%20--", "level=error&sort=-id&page=2",
		"a=%zz", "a;b=1", "%=1", "&&&", "=&=",
	} {
		for i := range fuzzTables {
			f.Add(uint8(i), s)
		}
	}
	f.Fuzz(func(t *testing.T, table uint8, rawQuery string) {
		dbName, name := fuzzTable(table)
		if q, err := url.ParseQuery(rawQuery); err == nil {
			db, err := m.DB(dbName)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := listRequest(dbName, db.Definition().Table(name), q); err != nil {
				clientError(t, "listRequest", err)
			}
		}
		fuzzServe(t, h, http.MethodGet, tablePath(dbName, name), rawQuery, "", nil)
	})
}

// FuzzRowsCursor: a cursor of the rows route, given as the JSON inside the
// token (so that mutations reach the decoder's cases) or as the token
// itself, with a sort that may or may not be the cursor's.
func FuzzRowsCursor(f *testing.F) {
	_, h := fuzzHandler(f)
	sorts := []string{"", "-created_at", "email", "-id,email", "level,-created_at", "page", "k", "at,-ok", "rowid"}
	for i := range fuzzTables {
		db, table := fuzzTable(uint8(i))
		for _, sort := range sorts {
			q := url.Values{"cursor": {""}, "page_size": {"2"}}
			if sort != "" {
				q.Set("sort", sort)
			}
			status, raw := send(h, http.MethodGet, tablePath(db, table), q.Encode(), "", nil)
			var page struct {
				NextCursor string `json:"next_cursor"`
			}
			if status != http.StatusOK || json.Unmarshal(raw, &page) != nil || page.NextCursor == "" {
				continue
			}
			if data, err := base64.RawURLEncoding.DecodeString(page.NextCursor); err == nil {
				f.Add(uint8(i), sort, data, false)
			}
			f.Add(uint8(i), sort, []byte(page.NextCursor), true)
		}
	}
	f.Add(uint8(0), "", []byte(`{"o":"x","k":[{"f":"NaN"},{"b":"!!"},1e400,{"f":"+Inf"}]}`), false)
	f.Add(uint8(0), "", []byte("%%%"), true)
	f.Fuzz(func(t *testing.T, table uint8, sort string, cursor []byte, raw bool) {
		db, name := fuzzTable(table)
		token := base64.RawURLEncoding.EncodeToString(cursor)
		if raw {
			token = string(cursor)
		}
		q := url.Values{"cursor": {token}, "page_size": {"2"}}
		if sort != "" {
			q.Set("sort", sort)
		}
		fuzzServe(t, h, http.MethodGet, tablePath(db, name), q.Encode(), "", nil)
	})
}

// FuzzRecordKey: the {key} segment of the records routes, read into key
// values (parseKey) and served. FuzzDecodeKey holds decodeKey to encodeKey.
func FuzzRecordKey(f *testing.F) {
	m, h := fuzzHandler(f)
	for _, s := range []string{
		"1", "7,ci~2Fdeploy", "7,a~2Cb", "7,tax+rate", "7,~7Ehome", "it~27s~3B+--", "billing,tax+rate",
		"", ",", "1,2,3", "~", "~4", "~zz", "~41", "1.0", "1e300", "-9223372036854775809", "abc", "+", "%2F",
		"1,", "x\x00y", "\xff", strings.Repeat("~41", 100),
	} {
		for i := range fuzzTables {
			f.Add(uint8(i), s)
		}
	}
	f.Fuzz(func(t *testing.T, table uint8, key string) {
		dbName, name := fuzzTable(table)
		db, err := m.DB(dbName)
		if err != nil {
			t.Fatal(err)
		}
		tbl := db.Definition().Table(name)
		if vals, err := parseKey(dbName, tbl, key); err != nil {
			clientError(t, "parseKey", err)
		} else if len(vals) != len(tbl.Key()) {
			t.Fatalf("key %q of %s gives %d values for %d key columns", key, name, len(vals), len(tbl.Key()))
		}
		fuzzServe(t, h, http.MethodGet, tablePath(dbName, name)+"/records/"+url.PathEscape(key), "", "", nil)
	})
}

// FuzzRecordBody: the JSON body of POST records, PATCH records/{key} and
// the migration commands, with any Content-Type, decoded (decodeBody,
// runtime.RecordFromJSON) and served with the token.
func FuzzRecordBody(f *testing.F) {
	_, h := fuzzHandler(f)
	for _, s := range []string{
		`{}`, `null`, `[]`, `"x"`, `{"a":1} {"b":2}`, `{"a":1}x`, `{`, ``, ` `,
		`{"id":"abc"}`, `{"id":1.5}`, `{"id":1e300}`, `{"id":18446744073709551616}`, `{"id":[1]}`, `{"id":{}}`,
		`{"organization_id":1,"email":"new@example.com","display_name":"New","avatar":"AP8="}`,
		`{"status":"nope"}`, `{"email":null}`, `{"email_domain":"x"}`, `{"nope":1}`,
		`{"user_id":7,"name":"n","hash":"!!","scopes":{"a":[1]},"revoked":"maybe","created_at":5}`,
		`{"token":"t","user_id":999,"expires_at":"2026-01-01T00:00:00Z"}`,
		`{"level":"error","module":"billing","message":"m","created_at":"2026-13-45 99:99:99"}`,
		`{"body":"x","page":"1e400","score":"Infinity","odd__name":null}`,
		`{"k":"new","v":"x"}`, `{"title":"a","body":"b","docs":"delete-all","rank":1}`,
		`{"data":"AP8=","doc":{"a":1},"at":"2026-01-01","ok":true}`, `{"data":1,"doc":"not json","at":1,"ok":2}`,
		`{"target":"head"}`, `{"target":"base"}`, `{"target":""}`, `{"target":1}`,
	} {
		for route := range uint8(8) {
			f.Add(uint8(route), uint8(route), "1", "application/json", []byte(s))
		}
	}
	f.Add(uint8(1), uint8(1), "7,plain", "application/json; charset=utf-8", []byte(`{"revoked":true}`))
	f.Add(uint8(0), uint8(7), "", "text/plain", []byte(`{}`))
	f.Add(uint8(0), uint8(7), "", "application/json; charset=\"", []byte(`{}`))
	f.Add(uint8(0), uint8(0), "", "", []byte(nil))
	f.Fuzz(func(t *testing.T, route, table uint8, key, contentType string, body []byte) {
		db, name := fuzzTable(table)
		method, path := http.MethodPost, tablePath(db, name)+"/records"
		switch route % 4 {
		case 1:
			method, path = http.MethodPatch, tablePath(db, name)+"/records/"+url.PathEscape(key)
		case 2:
			path = prefix + "/misc/migrations/run" // misc has no migrations: nothing runs
		case 3:
			path = prefix + "/misc/migrations/downgrade"
		}
		fuzzServe(t, h, method, path, "", contentType, body)
	})
}
