package runtime

import (
	"database/sql"
	"math"
	"testing"
)

// TestPostgresNumericBind: on PostgreSQL an integral float for a NUMERIC
// column binds as the integer it is, as SQLite's NUMERIC affinity stores
// it, so that 2^62 written as a float64 (typed API) and as an integer
// (generic CRUD, the admin API) is one numeric, which an Eq filter finds
// both ways. Other floats, and other families, bind as they are.
func TestPostgresNumericBind(t *testing.T) {
	big := float64(1 << 62)
	for _, c := range []struct {
		name string
		f    Family
		in   any
		want any
	}{
		{"2^62", FamilyNumeric, big, int64(1 << 62)},
		{"-2^62 nullable", FamilyNumeric, sql.NullFloat64{Float64: -big, Valid: true}, int64(-1 << 62)},
		{"sql.Null", FamilyNumeric, sql.Null[float64]{V: 19, Valid: true}, int64(19)},
		{"pointer", FamilyNumeric, &big, int64(1 << 62)},
		{"float32", FamilyNumeric, float32(2.5), float32(2.5)},
		{"NULL", FamilyNumeric, sql.NullFloat64{}, sql.NullFloat64{}},
		{"fraction", FamilyNumeric, 19.99, 19.99},
		{"past int64", FamilyNumeric, math.MaxFloat64, math.MaxFloat64},
		{"2^63", FamilyNumeric, float64(1 << 63), float64(1 << 63)},
		{"infinity", FamilyNumeric, math.Inf(1), math.Inf(1)},
		{"REAL stays a float", FamilyReal, big, big},
	} {
		got, err := postgresDialect.bind(c.f, false, c.in)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if p, ok := got.(*float64); ok {
			got = *p
		}
		if got != c.want {
			t.Errorf("%s: bind(%v) = %#v, want %#v", c.name, c.in, got, c.want)
		}
	}
	// SQLite binds the float: its NUMERIC affinity makes it an integer.
	if got, _ := sqliteDialect.bind(FamilyNumeric, false, big); got != big {
		t.Errorf("SQLite: bind(2^62) = %#v, want the float64", got)
	}
	if _, err := postgresDialect.bind(FamilyNumeric, false, math.NaN()); err == nil {
		t.Error("NaN bound on PostgreSQL, want the error SQLite gives")
	}
}
