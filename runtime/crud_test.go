package runtime

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ncruces/go-sqlite3/driver"
)

func TestCRUDRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := openShop(t)

	created, err := db.Create(ctx, "users", map[string]any{
		"email": "ann@x", "name": "Ann", "age": json.Number("31"), "score": 2.5, "avatar": []byte{1, 2},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"id": int64(1), "email": "ann@x", "name": "Ann", "age": int64(31), "status": nil,
		"score": 2.5, "avatar": []byte{1, 2}, "name_upper": "ANN",
	}
	if diff := cmp.Diff(want, created); diff != "" {
		t.Errorf("Create (-want +got):\n%s", diff)
	}
	for _, key := range []map[string]any{{"id": 1}, {"email": "ann@x"}} {
		got, err := db.Read(ctx, "users", key)
		if err != nil {
			t.Fatalf("Read %v: %v", key, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Read %v (-want +got):\n%s", key, diff)
		}
	}
	updated, err := db.Update(ctx, "users", map[string]any{"id": 1}, map[string]any{"name": "Anna", "status": "active"})
	if err != nil {
		t.Fatal(err)
	}
	if updated["name"] != "Anna" || updated["status"] != "active" || updated["name_upper"] != "ANNA" {
		t.Errorf("Update returned %v", updated)
	}
	if err := db.Delete(ctx, "users", map[string]any{"email": "ann@x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Read(ctx, "users", map[string]any{"id": 1}); !errors.Is(err, ErrNotFound) {
		t.Errorf("Read after Delete: %v", err)
	}

	// A composite key, and a table keyed by its rowid.
	post, err := db.Create(ctx, "posts", map[string]any{"user_id": nil, "title": "x"})
	if !errors.Is(err, ErrConstraint) {
		t.Fatalf("post without user: %v %v", post, err)
	}
	u, _ := db.Create(ctx, "users", map[string]any{"email": "bo@x", "name": "Bo"})
	post, err = db.Create(ctx, "posts", map[string]any{"user_id": u["id"], "title": "hello"})
	if err != nil {
		t.Fatal(err)
	}
	tag := map[string]any{"post_id": post["id"], "tag": "go"}
	if _, err := db.Create(ctx, "tags", tag); err != nil {
		t.Fatal(err)
	}
	if got, err := db.Read(ctx, "tags", tag); err != nil || got["tag"] != "go" {
		t.Errorf("Read tag: %v %v", got, err)
	}
	note, err := db.Create(ctx, "notes", map[string]any{})
	if err != nil || note["rowid"] != int64(1) || note["body"] != nil {
		t.Fatalf("Create note: %v %v", note, err)
	}
	// A JSON object is a value only a JSON column holds (see
	// TestCRUDCodec): a TEXT column refuses it rather than store its text.
	if _, err := db.Update(ctx, "notes", map[string]any{"rowid": 1}, map[string]any{"body": map[string]any{"json": true}}); !errors.Is(err, ErrValidation) {
		t.Errorf("JSON object into a TEXT column: %v, want VALIDATION_FAILED", err)
	}
	if _, err := db.Update(ctx, "notes", map[string]any{"rowid": 1}, map[string]any{"body": `{"json":true}`}); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Read(ctx, "notes", map[string]any{"rowid": 1}); got["body"] != `{"json":true}` {
		t.Errorf("note body %v, want the text", got["body"])
	}
}

func TestListRecords(t *testing.T) {
	ctx := context.Background()
	db := openShop(t)
	for i := range 30 {
		rec := map[string]any{"email": fmt.Sprintf("u%02d@x", i), "name": []string{"ann", "bob", "cy_d"}[i%3], "age": i}
		if i%5 == 0 {
			rec["status"] = "active"
		}
		if _, err := db.Create(ctx, "users", rec); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(p RecordPage) []int64 {
		var out []int64
		for _, r := range p.Records {
			out = append(out, r["id"].(int64))
		}
		return out
	}
	tests := []struct {
		name  string
		req   ListRequest
		ids   []int64
		total int64
	}{
		{"exact", ListRequest{Filters: []Filter{{Column: "name", Value: "bob"}}, PageSize: 3}, []int64{2, 5, 8}, 10},
		{"not", ListRequest{Filters: []Filter{{"name", "not", "bob"}, {"age", "lt", "6"}}}, []int64{1, 3, 4, 6}, 4},
		{"gt gte", ListRequest{Filters: []Filter{{"age", "gt", 25}, {"id", "gte", 28}}}, []int64{28, 29, 30}, 3},
		{"lte", ListRequest{Filters: []Filter{{"age", "lte", "1"}}}, []int64{1, 2}, 2},
		{"contains escapes _", ListRequest{Filters: []Filter{{"name", "contains", "_"}, {"age", "lt", 9}}}, []int64{3, 6, 9}, 3},
		{"startswith", ListRequest{Filters: []Filter{{"email", "startswith", "u2"}}, Sort: "-id", PageSize: 2}, []int64{30, 29}, 10},
		{"endswith", ListRequest{Filters: []Filter{{"email", "endswith", "7@x"}}}, []int64{8, 18, 28}, 3},
		{"like", ListRequest{Filters: []Filter{{"email", "like", "u0_@%"}}, PageSize: 2, Page: 5}, []int64{9, 10}, 10},
		{"in list", ListRequest{Filters: []Filter{{"id", "in", []any{3, 1, 99}}}}, []int64{1, 3}, 2},
		{"in text", ListRequest{Filters: []Filter{{"id", "in", "4,5"}}}, []int64{4, 5}, 2},
		{"in json", ListRequest{Filters: []Filter{{"id", "in", "[6, 7]"}}}, []int64{6, 7}, 2},
		{"notin", ListRequest{Filters: []Filter{{"id", "notin", "1,2,3"}, {"id", "lt", 6}}}, []int64{4, 5}, 2},
		{"isnull", ListRequest{Filters: []Filter{{"status", "isnull", nil}, {"id", "lt", 4}}}, []int64{2, 3}, 2},
		{"notnull", ListRequest{Filters: []Filter{{"status", "notnull", "1"}}, Sort: "-age"}, []int64{26, 21, 16, 11, 6, 1}, 6},
		{"sort two", ListRequest{Sort: "name,-age", PageSize: 4}, []int64{28, 25, 22, 19}, 30},
		{"past the end", ListRequest{Page: 9, PageSize: 5}, nil, 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := db.ListRecords(ctx, "users", tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.ids, ids(page)); diff != "" || page.Total != tt.total {
				t.Errorf("total %d want %d; ids (-want +got):\n%s", page.Total, tt.total, diff)
			}
		})
	}

	// Cursor pages: no total, and every row once.
	var got []int64
	req := ListRequest{Sort: "-name", PageSize: 7}
	for {
		page, err := db.ListRecords(ctx, "users", req)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ids(page)...)
		if !page.HasMore {
			break
		}
		if wantTotal := map[bool]int64{true: 30, false: -1}[req.Cursor == ""]; page.Total != wantTotal {
			t.Errorf("total %d, want %d (counted for the first page only)", page.Total, wantTotal)
		}
		req.Cursor = page.NextCursor
	}
	// Ties on name are broken by id, descending like the name.
	want := []int64{30, 27, 24, 21, 18, 15, 12, 9, 6, 3, 29, 26, 23, 20, 17, 14, 11, 8, 5, 2, 28, 25, 22, 19, 16, 13, 10, 7, 4, 1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cursor pages (-want +got):\n%s", diff)
	}
}

// TestCRUDErrors provokes every error code the generic CRUD can return and
// checks its details, which clients rely on.
func TestCRUDErrors(t *testing.T) {
	ctx := context.Background()
	db := openShop(t)
	u, err := db.Create(ctx, "users", map[string]any{"email": "a@x", "name": "A"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Create(ctx, "posts", map[string]any{"user_id": u["id"], "title": "t"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Create(ctx, "tags", map[string]any{"post_id": 1, "tag": "x"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		run     func() error
		code    Code
		details map[string]any // checked key by key
	}{
		{"unknown table", func() error { _, err := db.Read(ctx, "nope", nil); return err },
			CodeTableNotFound, map[string]any{"table": "nope"}},
		{"unknown column in record", func() error {
			_, err := db.Create(ctx, "users", map[string]any{"email": "b@x", "name": "B", "colour": "red"})
			return err
		}, CodeColumnNotFound, map[string]any{"table": "users", "column": "colour"}},
		{"unknown column in key", func() error { _, err := db.Read(ctx, "users", map[string]any{"uid": 1}); return err },
			CodeColumnNotFound, map[string]any{"column": "uid"}},
		{"unknown filter column", func() error {
			_, err := db.ListRecords(ctx, "users", ListRequest{Filters: []Filter{{"x", "exact", 1}}})
			return err
		}, CodeColumnNotFound, map[string]any{"column": "x"}},
		{"unknown sort column", func() error { _, err := db.ListRecords(ctx, "users", ListRequest{Sort: "-x"}); return err },
			CodeColumnNotFound, map[string]any{"column": "x"}},
		{"missing record", func() error { _, err := db.Read(ctx, "users", map[string]any{"id": 42}); return err },
			CodeRecordNotFound, map[string]any{"table": "users"}},
		{"update missing", func() error {
			_, err := db.Update(ctx, "users", map[string]any{"id": 42}, map[string]any{"name": "x"})
			return err
		}, CodeRecordNotFound, nil},
		{"delete missing", func() error { return db.Delete(ctx, "tags", map[string]any{"post_id": 1, "tag": "y"}) },
			CodeRecordNotFound, nil},
		{"write a view", func() error { _, err := db.Create(ctx, "active_users", map[string]any{"name": "v"}); return err },
			CodeValidationFailed, map[string]any{"table": "active_users"}},
		{"write a generated column", func() error {
			_, err := db.Update(ctx, "users", map[string]any{"id": 1}, map[string]any{"name_upper": "X"})
			return err
		}, CodeValidationFailed, map[string]any{"column": "name_upper"}},
		{"key is not a key", func() error { _, err := db.Read(ctx, "users", map[string]any{"name": "A"}); return err },
			CodeValidationFailed, map[string]any{"table": "users"}},
		{"partial composite key", func() error { return db.Delete(ctx, "tags", map[string]any{"post_id": 1}) },
			CodeValidationFailed, nil},
		{"view has no key", func() error { _, err := db.Read(ctx, "active_users", map[string]any{"id": 1}); return err },
			CodeValidationFailed, nil},
		{"unsupported value", func() error {
			_, err := db.Create(ctx, "notes", map[string]any{"body": struct{}{}})
			return err
		}, CodeValidationFailed, map[string]any{"column": "body"}},
		{"no changes", func() error { _, err := db.Update(ctx, "users", map[string]any{"id": 1}, nil); return err },
			CodeValidationFailed, nil},
		{"page past any table", func() error {
			// (page-1)*page_size wraps to 4: without the cap, page 2 came back.
			_, err := db.ListRecords(ctx, "users", ListRequest{Page: 1<<62 + 2, PageSize: 4})
			return err
		}, CodeValidationFailed, map[string]any{"page": 1<<62 + 2}},
		{"bad operator", func() error {
			_, err := db.ListRecords(ctx, "users", ListRequest{Filters: []Filter{{"id", "approx", 1}}})
			return err
		}, CodeValidationFailed, map[string]any{"op": "approx"}},
		{"contains a number", func() error {
			_, err := db.ListRecords(ctx, "users", ListRequest{Filters: []Filter{{"name", "contains", 1}}})
			return err
		}, CodeValidationFailed, nil},
		{"page and cursor", func() error {
			_, err := db.ListRecords(ctx, "users", ListRequest{Page: 2, Cursor: "abc"})
			return err
		}, CodeValidationFailed, nil},
		{"unique", func() error {
			_, err := db.Create(ctx, "users", map[string]any{"email": "a@x", "name": "dup"})
			return err
		},
			CodeConstraintViolation, map[string]any{"kind": "unique", "table": "users", "columns": []string{"email"}}},
		{"not null", func() error { _, err := db.Create(ctx, "users", map[string]any{"email": "c@x"}); return err },
			CodeConstraintViolation, map[string]any{"kind": "not null", "table": "users", "columns": []string{"name"}}},
		{"check", func() error {
			_, err := db.Update(ctx, "users", map[string]any{"id": 1}, map[string]any{"age": -1})
			return err
		}, CodeConstraintViolation, map[string]any{"kind": "check", "table": "users", "constraint": "age >= 0"}},
		{"primary key", func() error { _, err := db.Create(ctx, "tags", map[string]any{"post_id": 1, "tag": "x"}); return err },
			CodeConstraintViolation, map[string]any{"kind": "primary key", "table": "tags", "columns": []string{"post_id", "tag"}}},
		{"rowid primary key", func() error {
			_, err := db.Create(ctx, "posts", map[string]any{"id": 1, "user_id": 1, "title": "t"})
			return err
		},
			CodeConstraintViolation, map[string]any{"kind": "primary key", "table": "posts", "columns": []string{"id"}}},
		{"foreign key on insert", func() error {
			_, err := db.Create(ctx, "posts", map[string]any{"user_id": 99, "title": "t"})
			return err
		}, CodeConstraintViolation, map[string]any{"kind": "foreign key", "table": "posts", "columns": []string{"user_id"}}},
		{"foreign key on delete", func() error { return db.Delete(ctx, "users", map[string]any{"id": 1}) },
			CodeConstraintViolation, map[string]any{"kind": "foreign key", "table": "users"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			var e *Error
			if !errors.As(err, &e) || e.Code != tt.code {
				t.Fatalf("err = %v, want %s", err, tt.code)
			}
			if e.Module != "shop" {
				t.Errorf("Module = %q", e.Module)
			}
			for k, v := range tt.details {
				if diff := cmp.Diff(v, e.Details[k]); diff != "" {
					t.Errorf("Details[%s] (-want +got):\n%s\nall: %v", k, diff, e.Details)
				}
			}
		})
	}
}

func TestCRUDLocked(t *testing.T) {
	ctx := context.Background()
	db := openShop(t, WithBusyTimeout(10*time.Millisecond), WithMaxRetries(1), WithBackoff(time.Millisecond, time.Millisecond))
	other, err := driver.Open("file:" + db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := other.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	_, err = db.Create(ctx, "notes", map[string]any{"body": "x"})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("err = %v, want DATABASE_LOCKED", err)
	}
	if st := db.Stats(); st.Retries != 1 || st.GaveUp != 1 {
		t.Errorf("stats %+v", st)
	}
}

// Generic CRUD binds through the same codec as the typed methods: JSON
// values as JSON text, times given as text in SQLite's form, BLOBs byte for
// byte; and RecordFromJSON reads back the JSON form of a record the admin
// API writes.
func TestCRUDCodec(t *testing.T) {
	ctx := context.Background()
	c := openCatalog(t)
	db := c.db
	rec, err := db.Create(ctx, "products", map[string]any{
		"sku": "A1", "name": "Apple", "attrs": map[string]any{"a": []any{1, "é"}}, "extra": `{"x": 1}`,
		"created_at": "2026-12-01T20:11:55.6+02:00", "born": "2026-12-01", "image": []byte{0, 1, 0xff},
		"stock": json.Number("9223372036854775807"), "live": true,
	})
	if err != nil {
		t.Fatal(err)
	}
	id := rec["id"].(int64)
	for expr, want := range map[string]any{
		"attrs": `{"a":[1,"é"]}`, "typeof(attrs)": "text", "extra": `{"x": 1}`, "json_extract(extra, '$.x')": int64(1),
		"created_at": "2026-12-01 18:11:55.6", "born": "2026-12-01", "hex(image)": "0001FF",
		"stock": int64(math.MaxInt64), "live": int64(1), "thumb": []byte{},
	} {
		if _, got := c.stored(t, id, expr); !cmp.Equal(want, got) {
			t.Errorf("%s = %#v, want %#v", expr, got, want)
		}
	}
	if _, ok := rec["attrs"].(JSON); !ok {
		t.Errorf("attrs read as %T, want JSON", rec["attrs"])
	}
	// A typed read of the same row agrees.
	p, err := c.products.Get(ctx, db, id)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]any{"created_at": p.CreatedAt, "image": p.Image, "attrs": p.Attrs, "stock": p.Stock},
		map[string]any{"created_at": rec["created_at"], "image": rec["image"], "attrs": rec["attrs"], "stock": rec["stock"]}, equalTimes); diff != "" {
		t.Errorf("generic Create's record (-typed +generic):\n%s", diff)
	}

	// The JSON form of the record, read back by RecordFromJSON and written
	// again, changes nothing.
	data, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		t.Fatal(err)
	}
	delete(fields, "id")
	delete(fields, "upper_name")
	changes, err := RecordFromJSON("catalog", c.products.Table(), fields)
	if err != nil {
		t.Fatal(err)
	}
	again, err := db.Update(ctx, "products", map[string]any{"id": id}, changes)
	if err != nil {
		t.Fatal(err)
	}
	// encoding/json compacts JSON values: compare them as JSON. (The
	// comparer also sees []byte values, which are assignable to JSON.)
	sameJSON := cmp.Comparer(func(a, b JSON) bool {
		var ca, cb bytes.Buffer
		return bytes.Equal(a, b) && (a == nil) == (b == nil) ||
			json.Compact(&ca, a) == nil && json.Compact(&cb, b) == nil && ca.String() == cb.String()
	})
	if diff := cmp.Diff(rec, again, equalTimes, sameJSON); diff != "" {
		t.Errorf("record written back from its JSON form (-before +after):\n%s", diff)
	}

	// What the admin API receives.
	changes, err = RecordFromJSON("catalog", c.products.Table(), map[string]json.RawMessage{
		"sku": json.RawMessage(`"B1"`), "name": json.RawMessage(`"Banana"`), "attrs": json.RawMessage(`{"k": [true, null]}`),
		"extra": json.RawMessage(`null`), "image": json.RawMessage(`"AAEC"`), "stock": json.RawMessage(`-9223372036854775808`),
		"created_at": json.RawMessage(`"2026-12-01 18:11:55"`), "price": json.RawMessage(`0.1`),
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.Create(ctx, "products", changes)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"attrs": JSON(`{"k": [true, null]}`), "extra": nil, "image": []byte{0, 1, 2},
		"stock": int64(math.MinInt64), "created_at": time.Date(2026, 12, 1, 18, 11, 55, 0, time.UTC), "price": 0.1}
	for k, v := range want {
		if diff := cmp.Diff(v, b[k], equalTimes); diff != "" {
			t.Errorf("%s (-want +got):\n%s", k, diff)
		}
	}

	// Refused, and nothing written.
	refused := map[string]map[string]any{
		"invalid JSON text": {"sku": "C", "name": "C", "attrs": `{"a":`},
		"invalid JSON":      {"sku": "C", "name": "C", "extra": JSON(`[1,`)},
		"not a time":        {"sku": "C", "name": "C", "created_at": "yesterday"},
		"year 10000":        {"sku": "C", "name": "C", "created_at": "10000-01-01"},
		"NaN":               {"sku": "C", "name": "C", "price": math.NaN()},
		"JSON in TEXT":      {"sku": "C", "name": "C", "note": []any{1}},
		"rowid not an int":  {"sku": "C", "name": "C", "id": "7"},
	}
	for name, rec := range refused {
		if _, err := db.Create(ctx, "products", rec); !errors.Is(err, ErrValidation) {
			t.Errorf("%s: %v, want VALIDATION_FAILED", name, err)
		}
	}
	for name, raw := range map[string]string{"image": `"not base64!"`, "thumb": `12`, "stock": `{`} {
		if _, err := RecordFromJSON("catalog", c.products.Table(), map[string]json.RawMessage{name: json.RawMessage(raw)}); !errors.Is(err, ErrValidation) {
			t.Errorf("RecordFromJSON %s=%s: %v, want VALIDATION_FAILED", name, raw, err)
		}
	}
	if n := c.count(t, "products"); n != 2 {
		t.Errorf("%d rows, want 2", n)
	}
	// Filters compare times as times: the row CURRENT_TIMESTAMP dated is
	// found by a time.Time.
	if _, err := db.Create(ctx, "products", map[string]any{"sku": "now", "name": "n"}); err != nil {
		t.Fatal(err)
	}
	page, err := db.ListRecords(ctx, "products", ListRequest{Filters: []Filter{{Column: "created_at", Op: "gte", Value: time.Now().Add(-time.Hour)}}})
	if err != nil || page.Total != 1 || page.Records[0]["sku"] != "now" {
		t.Errorf("records of the last hour: %+v, %v", page, err)
	}
}
