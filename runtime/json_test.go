package runtime

import (
	"database/sql/driver"
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestJSONValue(t *testing.T) {
	for _, tt := range []struct {
		in   JSON
		want driver.Value
	}{
		{nil, nil},
		{JSON(`{"a":[1,"é",null]}`), `{"a":[1,"é",null]}`},
		{JSON(`null`), `null`}, // the JSON value null, not SQL NULL
		{JSON(` "s" `), ` "s" `},
		{JSON(`1e400`), `1e400`},
	} {
		got, err := tt.in.Value()
		if err != nil || got != tt.want {
			t.Errorf("JSON(%q).Value() = %#v, %v; want %#v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []JSON{{}, JSON(`{`), JSON(`{"a":1,}`), JSON(`'a'`), JSON(`NaN`), JSON("\xff")} {
		_, err := bad.Value()
		if !errors.Is(err, ErrValidation) {
			t.Errorf("JSON(%q).Value() = %v, want VALIDATION_FAILED", bad, err)
		}
	}
}

func TestJSONScan(t *testing.T) {
	src := []byte(`{"b":1}`)
	tests := []struct {
		src  any
		want JSON
	}{
		{nil, nil},
		{`{"a":1}`, JSON(`{"a":1}`)},
		{src, JSON(`{"b":1}`)},
		{[]byte{}, JSON{}},
		// NUMERIC affinity turns JSON numbers written as text into numbers.
		{int64(math.MinInt64), JSON("-9223372036854775808")},
		{1.5, JSON("1.5")},
		{1e21, JSON("1e+21")},
		{true, JSON("true")},
	}
	for _, tt := range tests {
		var j JSON
		if err := j.Scan(tt.src); err != nil {
			t.Errorf("Scan(%#v): %v", tt.src, err)
			continue
		}
		if diff := cmp.Diff(tt.want, j); diff != "" || (tt.want == nil) != (j == nil) {
			t.Errorf("Scan(%#v) (-want +got):\n%s", tt.src, diff)
		}
	}
	// A BLOB is copied: the driver reuses its buffer.
	var j JSON
	j.Scan(src)
	src[2] = 'x'
	if string(j) != `{"b":1}` {
		t.Errorf("Scan kept the driver's buffer: %s", j)
	}
	for _, bad := range []any{math.NaN(), math.Inf(1), struct{}{}} {
		if err := j.Scan(bad); err == nil {
			t.Errorf("Scan(%v) succeeded", bad)
		}
	}
}

func TestJSONMarshal(t *testing.T) {
	type rec struct {
		Attrs JSON `json:"attrs"`
		Extra JSON `json:"extra"`
	}
	data, err := json.Marshal(rec{Attrs: JSON(`{"a": [1, 2]}`)})
	if err != nil {
		t.Fatal(err)
	}
	// encoding/json compacts what MarshalJSON returns.
	if want := `{"attrs":{"a":[1,2]},"extra":null}`; string(data) != want {
		t.Errorf("Marshal = %s, want %s", data, want)
	}
	var back rec
	if err := json.Unmarshal([]byte(`{"attrs": {"a": [1, 2]}, "extra": null}`), &back); err != nil {
		t.Fatal(err)
	}
	// The text is kept as written; JSON null is the JSON value null.
	if string(back.Attrs) != `{"a": [1, 2]}` || string(back.Extra) != "null" {
		t.Errorf("Unmarshal = %q, %q", back.Attrs, back.Extra)
	}
	if _, err := json.Marshal(rec{Attrs: JSON(`{`)}); err == nil {
		t.Error("invalid JSON marshalled")
	}
	if JSON(`[1]`).String() != "[1]" {
		t.Error("String")
	}
}
