package runtime

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

// FuzzDecodeCursor: any token decodes into as many values as the order has
// keys, each of a storage class SQLite binds, or fails with
// VALIDATION_FAILED; never a panic. A decoded cursor encodes and decodes
// back to the same values. The input is the token itself (raw) or the JSON
// inside it, so that mutations reach the decoder's cases.
func FuzzDecodeCursor(f *testing.F) {
	for _, s := range []string{
		`{"o":"abc123","k":[42]}`,
		`{"o":"abc123","k":[null,-7,{"f":"1.5"},"a\"b",{"b":"AP8B"}]}`,
		`{"o":"abc123","k":[{"f":"NaN"}]}`,
		`{"o":"abc123","k":[{"f":"+Inf"},{"f":"-0"}]}`,
		`{"o":"abc123","k":[{"x":1}]}`,
		`{"o":"abc123","k":[1e300, 9223372036854775808, true]}`,
		`{"o":"abc123","k":[{"f":null,"b":null}]}`,
		`{"o":"abc123","k":[{"b":"!!"}]}`,
		`{"o":"abc123","k":[],"extra":1}`,
		`{"o":"other","k":[1]}`,
		`{"o":"abc123","k":[1]} {}`,
		`[`,
	} {
		f.Add([]byte(s), false, uint8(1))
	}
	f.Add([]byte("eyJvIjoiYWJjMTIzIiwiayI6WzQyXX0"), true, uint8(1))
	f.Add([]byte("not base64!"), true, uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, raw bool, nkeys uint8) {
		const order = "abc123"
		n := int(nkeys % 8)
		token := base64.RawURLEncoding.EncodeToString(data)
		if raw {
			token = string(data)
		}
		vals, err := decodeCursor("shop", token, order, n)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code != CodeValidationFailed {
				t.Fatalf("error %T %v, want VALIDATION_FAILED", err, err)
			}
			return
		}
		if len(vals) != n {
			t.Fatalf("%d values for %d keys", len(vals), n)
		}
		for i, v := range vals {
			switch v := v.(type) {
			case nil, int64, string, []byte:
			case float64:
				if math.IsNaN(v) {
					t.Fatalf("value %d is NaN, which SQLite binds as NULL", i)
				}
			default:
				t.Fatalf("value %d is a %T", i, v)
			}
		}
		again, err := encodeCursor(order, vals)
		if err != nil {
			t.Fatalf("a decoded cursor does not encode: %v", err)
		}
		back, err := decodeCursor("shop", again, order, n)
		if err != nil {
			t.Fatalf("a re-encoded cursor does not decode: %v", err)
		}
		if diff := gocmp.Diff(vals, back); diff != "" {
			t.Fatalf("cursor values change through encode and decode (-first +again):\n%s", diff)
		}
	})
}

// fuzzTable has a column of each family, nullable and not.
var fuzzTable = &Table{
	Name: "items",
	Columns: []Column{
		{Name: "id", SQLType: "INTEGER", PrimaryKey: true, RowID: true},
		{Name: "n", SQLType: "INTEGER"},
		{Name: "r", SQLType: "REAL", Nullable: true},
		{Name: "num", SQLType: "NUMERIC", Nullable: true},
		{Name: "s", SQLType: "TEXT"},
		{Name: "b", SQLType: "BLOB", Nullable: true},
		{Name: "nb", SQLType: "BLOB"},
		{Name: "ok", SQLType: "BOOLEAN", Nullable: true},
		{Name: "day", SQLType: "DATE", Nullable: true},
		{Name: "at", SQLType: "DATETIME"},
		{Name: "doc", SQLType: "JSON", Nullable: true},
		{Name: "ndoc", SQLType: "JSON"},
		{Name: "u", Nullable: true},
	},
	PrimaryKey: []string{"id"},
}

// FuzzRecordFromJSON: any JSON object decodes into a record whose values
// bind, or fails with VALIDATION_FAILED; never a panic.
func FuzzRecordFromJSON(f *testing.F) {
	for _, s := range []string{
		`{"id":1,"n":2,"r":1.5,"num":"3","s":"x","b":"AP8=","nb":"","ok":true,"day":"2026-01-02","at":"2026-01-02 10:00:00","doc":{"a":[1]},"ndoc":null,"u":"z"}`,
		`{"id":"abc"}`, `{"id":1.5}`, `{"id":1e300}`, `{"id":18446744073709551616}`, `{"id":[1]}`, `{"id":{}}`,
		`{"r":"Infinity","num":"-Infinity","n":1e400}`,
		`{"at":12345,"day":"yesterday","b":"not base64","nb":null}`,
		`{"ok":"maybe","u":[1,{"x":null}],"s":{"a":1}}`,
		`{"at":"2026-01-02T10:00:00+02:00","day":"2026-13-40"}`,
		`{"nope":1}`,
		`{"doc":"text","ndoc":"null"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var fields map[string]json.RawMessage
		if json.Unmarshal(body, &fields) != nil {
			return // the admin body decoder refuses it first (FuzzRecordBody)
		}
		rec, err := RecordFromJSON("shop", fuzzTable, fields)
		if err != nil {
			validationOnly(t, "RecordFromJSON", err)
			return
		}
		if len(rec) != len(fields) {
			t.Fatalf("%d values from %d fields", len(rec), len(fields))
		}
		for col, v := range rec {
			if _, err := BindValue("shop", fuzzTable, col, v); err != nil {
				validationOnly(t, "BindValue("+col+")", err)
			}
		}
	})
}

func validationOnly(t *testing.T, what string, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeValidationFailed {
		t.Fatalf("%s: error %T %v, want VALIDATION_FAILED", what, err, err)
	}
}
