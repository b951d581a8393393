package runtime

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestOpt(t *testing.T) {
	var zero Opt[int64]
	if zero.IsSet() || zero.Or(7) != 7 || zero.String() != "unset" {
		t.Errorf("zero Opt: set %v, Or %d, %q", zero.IsSet(), zero.Or(7), zero.String())
	}
	if v, ok := zero.Get(); ok || v != 0 {
		t.Errorf("zero Opt Get = %d, %v", v, ok)
	}
	if Unset[int64]() != zero {
		t.Error("Unset differs from the zero Opt")
	}
	// A zero value that is set is set: it is written, not skipped.
	z := Set[int64](0)
	if v, ok := z.Get(); !ok || v != 0 || z.Or(7) != 0 || z.String() != "0" {
		t.Errorf("Set(0): %d, %v, Or %d, %q", v, ok, z.Or(7), z.String())
	}
	if s := Set("live"); s.Or("draft") != "live" || !s.IsSet() {
		t.Errorf("Set(live) = %v", s)
	}
}

func TestOptJSON(t *testing.T) {
	type set struct {
		Name  Opt[string]    `json:"name"`
		Stock Opt[int64]     `json:"stock"`
		At    Opt[time.Time] `json:"at"`
		Attrs Opt[JSON]      `json:"attrs"`
	}
	at := time.Date(2026, 12, 1, 18, 11, 55, 600_000_000, time.UTC)
	in := set{Name: Set(""), Stock: Set[int64](-1), At: Set(at), Attrs: Set(JSON(`{"a":[1,2]}`))}
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"name":"","stock":-1,"at":"2026-12-01T18:11:55.6Z","attrs":{"a":[1,2]}}`; string(data) != want {
		t.Errorf("Marshal = %s, want %s", data, want)
	}
	var back set
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, back, cmp.AllowUnexported(Opt[string]{}, Opt[int64]{}, Opt[time.Time]{}, Opt[JSON]{})); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}

	// Unset marshals as null; null and a missing field leave it unset.
	data, _ = json.Marshal(set{})
	if want := `{"name":null,"stock":null,"at":null,"attrs":null}`; string(data) != want {
		t.Errorf("Marshal of unset = %s", data)
	}
	var patch set
	if err := json.Unmarshal([]byte(`{"name": null, "stock": 5}`), &patch); err != nil {
		t.Fatal(err)
	}
	if patch.Name.IsSet() || patch.At.IsSet() || patch.Stock.Or(0) != 5 {
		t.Errorf("patch = %+v: want only stock set", patch)
	}
	if err := json.Unmarshal([]byte(`{"stock": "x"}`), &patch); err == nil {
		t.Error("a string for an Opt[int64] was accepted")
	}
}
