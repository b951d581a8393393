package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestBindValueRowID: the rowid and its alias take integers only, and a
// number beyond what a float holds exactly is refused, not rounded:
// -9223372036854775809 must not address the row -2^63.
func TestBindValueRowID(t *testing.T) {
	users := shopDef().Table("users")
	for _, tt := range []struct {
		v    any
		want any // nil: refused
	}{
		{json.Number("42"), int64(42)},
		{json.Number("1e3"), int64(1000)},
		{json.Number("-9223372036854775808"), int64(math.MinInt64)},
		{float64(1 << 53), int64(1 << 53)},
		{json.Number("-9223372036854775809"), nil},
		{json.Number("9223372036854775808"), nil},
		{json.Number("18446744073709551616"), nil},
		{json.Number("1e300"), nil},
		{json.Number("1.5"), nil},
		{float64(1<<53 + 2), nil},
		{math.Inf(1), nil},
		{"1", nil},
		{true, nil},
		{[]any{int64(1)}, nil},
		{map[string]any{}, nil},
	} {
		got, err := BindValue("shop", users, "id", tt.v)
		if tt.want == nil {
			if !errors.Is(err, ErrValidation) {
				t.Errorf("BindValue(id, %#v) = %v, %v; want VALIDATION_FAILED", tt.v, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("BindValue(id, %#v) = %#v, %v; want %#v", tt.v, got, err, tt.want)
		}
	}
}

// TestInputError: what SQLite says about a value the client sent is a
// VALIDATION_FAILED; what it says about our own statement stays INTERNAL.
func TestInputError(t *testing.T) {
	ctx := context.Background()
	db := openShop(t)
	users := db.Definition().Table("users")
	_, err := db.Writer().ExecContext(ctx, `INSERT INTO users (id, email, name) VALUES ('abc', 'a@b', 'A')`)
	mismatch := Translate("shop", err)
	if !errors.Is(mismatch, ErrInternal) {
		t.Fatalf("datatype mismatch translates to %v, want INTERNAL before inputError", mismatch)
	}
	if err := inputError("shop", users, false, mismatch); !errors.Is(err, ErrValidation) {
		t.Errorf("datatype mismatch: %v, want VALIDATION_FAILED", err)
	}
	_, err = db.Reader().QueryContext(ctx, `SELECT nope FROM users`)
	logic := Translate("shop", err)
	if err := inputError("shop", users, true, logic); !errors.Is(err, ErrInternal) {
		t.Errorf("an error of the statement on a table: %v, want INTERNAL", err)
	}
	fts := &Table{Name: "docs", Virtual: true}
	if err := inputError("shop", fts, true, logic); !errors.Is(err, ErrValidation) {
		t.Errorf("an error of a filtered virtual table: %v, want VALIDATION_FAILED", err)
	}
	if err := inputError("shop", fts, false, logic); !errors.Is(err, ErrInternal) {
		t.Errorf("an error of an unfiltered virtual table: %v, want INTERNAL", err)
	}
	if err := inputError("shop", users, false, ErrNotFound); !errors.Is(err, ErrNotFound) {
		t.Errorf("other errors pass: %v", err)
	}
}

// TestReadValue: a BLOB column's text reads as its bytes (its JSON form is
// then the base64 of those bytes); a JSON column's text that is not JSON
// stays text, so that it still marshals.
func TestReadValue(t *testing.T) {
	for _, tt := range []struct {
		f    Family
		in   any
		want any
	}{
		{FamilyBlob, []byte{0, 0xff}, []byte{0, 0xff}},
		{FamilyBlob, "AP8=", []byte("AP8=")},
		{FamilyBlob, int64(7), int64(7)},
		{FamilyBlob, nil, nil},
		{FamilyJSON, `{"a":1}`, JSON(`{"a":1}`)},
		{FamilyJSON, "not json", "not json"},
		{FamilyJSON, int64(3), JSON("3")},
		{FamilyJSON, nil, nil},
		{FamilyText, "x", "x"},
	} {
		got := ReadValue(tt.f, tt.in)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ReadValue(%v, %#v) (-want +got):\n%s", tt.f, tt.in, diff)
		}
		if _, err := json.Marshal(got); err != nil {
			t.Errorf("ReadValue(%v, %#v) does not marshal: %v", tt.f, tt.in, err)
		}
	}
}
