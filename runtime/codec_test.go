package runtime

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFamilyOf(t *testing.T) {
	for decl, want := range map[string]Family{
		"INTEGER": FamilyInteger, "int": FamilyInteger, "UNSIGNED BIG INT": FamilyInteger, "int8": FamilyInteger,
		"REAL": FamilyReal, "DOUBLE PRECISION": FamilyReal, "float": FamilyReal,
		"NUMERIC": FamilyNumeric, "DECIMAL(10,5)": FamilyNumeric,
		"TEXT": FamilyText, "VARCHAR(255)": FamilyText, "character(20)": FamilyText, "NVARCHAR(100)": FamilyText, "CLOB": FamilyText,
		"BLOB": FamilyBlob, "BOOLEAN": FamilyBool, "bool": FamilyBool,
		"DATE": FamilyDate, "DATETIME": FamilyDateTime, "timestamp": FamilyDateTime,
		"JSON": FamilyJSON, "jsonb": FamilyJSON,
		"": FamilyUntyped, "ANY": FamilyUntyped, "TIME": FamilyUntyped,
	} {
		if got := FamilyOf(decl); got != want {
			t.Errorf("FamilyOf(%q) = %s, want %s", decl, got, want)
		}
	}
}

func TestEncodeTime(t *testing.T) {
	kolkata := time.FixedZone("IST", 5*3600+1800)
	kiribati := time.FixedZone("LINT", 14*3600)
	tests := []struct {
		f    Family
		in   time.Time
		want string
	}{
		{FamilyDateTime, time.Date(2026, 12, 1, 18, 11, 55, 0, time.UTC), "2026-12-01 18:11:55"},
		{FamilyDateTime, time.Date(2026, 12, 1, 18, 11, 55, 600_000_000, time.UTC), "2026-12-01 18:11:55.6"},
		{FamilyDateTime, time.Date(2026, 12, 1, 18, 11, 55, 1, time.UTC), "2026-12-01 18:11:55.000000001"},
		{FamilyDateTime, time.Date(2026, 12, 1, 23, 41, 55, 0, kolkata), "2026-12-01 18:11:55"},
		{FamilyDateTime, time.Date(2026, 12, 2, 4, 0, 0, 0, kiribati), "2026-12-01 14:00:00"},
		{FamilyDateTime, time.Time{}, "0001-01-01 00:00:00"},
		{FamilyDateTime, time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), "0000-01-01 00:00:00"},
		{FamilyDateTime, time.Date(9999, 12, 31, 23, 59, 59, 999_999_999, time.UTC), "9999-12-31 23:59:59.999999999"},
		{FamilyUntyped, time.Date(2026, 12, 1, 18, 11, 55, 0, kolkata), "2026-12-01 12:41:55"},
		// A DATE is the calendar date where the time is, not in UTC.
		{FamilyDate, time.Date(2026, 12, 2, 4, 0, 0, 0, kiribati), "2026-12-02"},
		{FamilyDate, time.Date(2026, 12, 1, 23, 59, 59, 0, time.UTC), "2026-12-01"},
		{FamilyDate, time.Time{}, "0001-01-01"},
	}
	for _, tt := range tests {
		got, err := EncodeTime(tt.f, tt.in)
		if err != nil || got != tt.want {
			t.Errorf("EncodeTime(%s, %v) = %q, %v; want %q", tt.f, tt.in, got, err, tt.want)
		}
		back, ok := ParseTime(got)
		if want := tt.in; tt.f == FamilyDate {
			want = time.Date(tt.in.Year(), tt.in.Month(), tt.in.Day(), 0, 0, 0, 0, time.UTC)
			if !ok || !back.Equal(want) {
				t.Errorf("ParseTime(%q) = %v, %v; want %v", got, back, ok, want)
			}
		} else if !ok || !back.Equal(want) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", got, back, ok, want)
		}
	}
	for _, tt := range []struct {
		f  Family
		in time.Time
	}{
		{FamilyDateTime, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{FamilyDateTime, time.Date(-1, 12, 31, 0, 0, 0, 0, time.UTC)},
		// 9999-12-31 in New York is already 10000 in UTC.
		{FamilyDateTime, time.Date(9999, 12, 31, 23, 0, 0, 0, time.FixedZone("EST", -5*3600))},
		{FamilyDate, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{FamilyDate, time.Date(-44, 3, 15, 0, 0, 0, 0, time.UTC)},
	} {
		if got, err := EncodeTime(tt.f, tt.in); !errors.Is(err, ErrValidation) {
			t.Errorf("EncodeTime(%s, %v) = %q, %v; want VALIDATION_FAILED", tt.f, tt.in, got, err)
		}
	}
}

// openCodec opens an empty database whose connection checks the codec
// against SQLite's own date functions.
func openCodec(t *testing.T, ddl string) *sql.DB {
	t.Helper()
	db, err := Open(context.Background(), t.TempDir(), &Definition{Name: "codec", DDL: ddl})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db.Writer()
}

// TestParseTimeReadsSQLiteForms checks ParseTime against SQLite itself:
// every text that SQLite's datetime() reads as the same instant, with the
// fraction strftime('%f') sees, and RFC 3339 as dbgen wrote it before its
// codec (2026-12-01T18:11:55.6Z).
func TestParseTimeReadsSQLiteForms(t *testing.T) {
	w := openCodec(t, "")
	forms := []string{
		"2026-12-01",
		"2026-12-01 18:11",
		"2026-12-01 18:11:55",
		"2026-12-01 18:11:55.6",
		"2026-12-01 18:11:55.600",
		"2026-12-01 18:11:55.123456789",
		"2026-12-01T18:11",
		"2026-12-01T18:11:55",
		"2026-12-01T18:11:55.6",
		"2026-12-01T18:11:55.6Z",
		"2026-12-01T18:11:55Z",
		"2026-12-01T18:11:55.600+02:00",
		"2026-12-01T18:11:55-05:30",
		"2026-12-01 18:11:55+02:00",
		"2026-12-01 18:11:55 +02:00",
		"2026-12-01 18:11:55.5+14:00",
		"2026-12-01 18:11Z",
		"2026-12-01T18:11-01:00",
		"2026-12-01 18:11:55Z",
		"2026-12-01 18:11:55z",
		"2026-12-01 18:11:55 Z",
		"2026-12-01T18:11:55Z ",
		"0000-01-01 00:00:00",
		"9999-12-31 23:59:59.999",
	}
	// What SQLite writes itself.
	for _, q := range []string{"CURRENT_TIMESTAMP", "CURRENT_DATE", "datetime('now', 'subsec')", "date('now')",
		"strftime('%Y-%m-%dT%H:%M:%fZ', 'now')", "datetime('now', '+5 hours', 'localtime')"} {
		var s string
		if err := w.QueryRow("SELECT " + q).Scan(&s); err != nil {
			t.Fatal(err)
		}
		forms = append(forms, s)
	}
	for _, s := range forms {
		var sec, frac sql.NullString
		if err := w.QueryRow("SELECT datetime(?), strftime('%f', ?)", s, s).Scan(&sec, &frac); err != nil {
			t.Fatal(err)
		}
		if !sec.Valid {
			t.Fatalf("SQLite does not read %q: the test is wrong", s)
		}
		got, ok := ParseTime(s)
		if !ok {
			t.Errorf("ParseTime(%q) failed; SQLite reads it as %s", s, sec.String)
			continue
		}
		if got.Location() != time.UTC {
			t.Errorf("ParseTime(%q) is in %v, want UTC", s, got.Location())
		}
		if g := got.Format("2006-01-02 15:04:05"); g != sec.String {
			t.Errorf("ParseTime(%q) = %s, SQLite reads %s", s, g, sec.String)
		}
		if g := got.Format("05.000"); g != frac.String {
			t.Errorf("ParseTime(%q) seconds %s, SQLite reads %s", s, g, frac.String)
		}
	}
	for _, bad := range []string{"", "now", "18:11:55", "2460000.5", "12/01/2026", "2026-12-1", "2026-13-01",
		"2026-12-01 18:11:60", "2026-12-01X18:11", "2026-12-01 18:11:55+0200", "garbage-in", "10000-01-01"} {
		if got, ok := ParseTime(bad); ok {
			t.Errorf("ParseTime(%q) = %v, want failure", bad, got)
		}
	}
}

// TestEncodedTimesCompareInSQL stores times the codec writes, from Go in
// several zones and with and without fractions of a second, next to what
// SQLite's CURRENT_TIMESTAMP and datetime('now', 'subsec') write, in one
// DATETIME column: comparing and sorting the texts must agree with the
// times they stand for, and SQLite's date functions must read them.
func TestEncodedTimesCompareInSQL(t *testing.T) {
	w := openCodec(t, `CREATE TABLE ev (id INTEGER PRIMARY KEY, at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, day DATE);`)
	r := rand.New(rand.NewPCG(11, 12))
	zones := []*time.Location{time.UTC, time.Local, time.FixedZone("", 14*3600), time.FixedZone("", -12*3600), time.FixedZone("", 5*3600+1800)}
	now := time.Now()
	var goTimes []time.Time
	for i := range 300 {
		var tm time.Time
		switch i % 3 {
		case 0: // around now: mixed with SQLite's own rows
			tm = now.Add(time.Duration(r.Int64N(int64(4*time.Hour))) - 2*time.Hour)
		case 1: // whole seconds, so that some tie with CURRENT_TIMESTAMP's form
			tm = now.Add(time.Duration(r.IntN(7200)-3600) * time.Second).Truncate(time.Second)
		default: // anywhere SQLite's form can hold
			tm = time.Unix(r.Int64N(253402300799+62135596800)-62135596800, r.Int64N(1e9)).UTC()
		}
		if i%7 == 0 {
			tm = tm.Round(time.Millisecond)
		}
		tm = tm.In(zones[r.IntN(len(zones))])
		goTimes = append(goTimes, tm)
		at, err := EncodeTime(FamilyDateTime, tm)
		if err != nil {
			t.Fatal(err)
		}
		day, err := EncodeTime(FamilyDate, tm)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Exec("INSERT INTO ev (at, day) VALUES (?, ?)", at, day); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Exec("INSERT INTO ev DEFAULT VALUES"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Exec("INSERT INTO ev (at) VALUES (datetime('now', 'subsec'))"); err != nil {
		t.Fatal(err)
	}

	// Text order is time order: against SQLite's own reading (to the
	// millisecond, its precision) and against Go's (to the nanosecond).
	var wrong int
	if err := w.QueryRow(`SELECT count(*) FROM ev a, ev b
		WHERE (a.at < b.at) <> (unixepoch(a.at, 'subsec') < unixepoch(b.at, 'subsec'))
		  AND abs(unixepoch(a.at, 'subsec') - unixepoch(b.at, 'subsec')) >= 0.001`).Scan(&wrong); err != nil {
		t.Fatal(err)
	}
	if wrong != 0 {
		t.Errorf("%d pairs compare one way as text and the other as times", wrong)
	}
	rows, err := w.Query("SELECT id FROM ev WHERE id <= ? ORDER BY at, id", len(goTimes))
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for rows.Next() {
		var id int
		rows.Scan(&id)
		got = append(got, id)
	}
	rows.Close()
	want := make([]int, len(goTimes))
	for i := range want {
		want[i] = i + 1
	}
	slices.SortStableFunc(want, func(a, b int) int { return goTimes[a-1].Compare(goTimes[b-1]) })
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ORDER BY at (-Go's order +SQLite's):\n%s", diff)
	}

	// SQLite's functions read every stored text as the time it stands for,
	// and a DATE stays YYYY-MM-DD.
	var bad int
	if err := w.QueryRow(`SELECT count(*) FROM ev WHERE datetime(at) IS NULL OR julianday(at) IS NULL
		OR (day IS NOT NULL AND (date(day) IS NOT day OR length(day) <> 10))`).Scan(&bad); err != nil {
		t.Fatal(err)
	}
	if bad != 0 {
		t.Errorf("%d rows SQLite's date functions do not read", bad)
	}
	for i, tm := range goTimes {
		var sec string
		if err := w.QueryRow("SELECT datetime(at) FROM ev WHERE id = ?", i+1).Scan(&sec); err != nil {
			t.Fatal(err)
		}
		if want := tm.UTC().Format("2006-01-02 15:04:05"); sec != want {
			t.Fatalf("datetime() of row %d = %s, want %s", i+1, sec, want)
		}
	}

	// The filter an application writes: rows of the last hour, by the
	// codec's text, find the row CURRENT_TIMESTAMP wrote a moment ago.
	hourAgo, _ := EncodeTime(FamilyDateTime, time.Now().Add(-time.Hour).In(zones[2]))
	soon, _ := EncodeTime(FamilyDateTime, time.Now().Add(time.Minute).In(zones[3]))
	var n int
	if err := w.QueryRow("SELECT count(*) FROM ev WHERE id > ? AND at >= ? AND at < ?", len(goTimes), hourAgo, soon).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("%d of SQLite's 2 rows of just now are in the last hour by the codec's text", n)
	}
}

func TestBindArg(t *testing.T) {
	at := time.Date(2026, 12, 1, 20, 11, 55, 500_000_000, time.FixedZone("", 2*3600))
	nan := math.NaN()
	tests := []struct {
		name    string
		f       Family
		notNull bool
		in      any
		want    any
	}{
		{"time", FamilyDateTime, true, at, "2026-12-01 18:11:55.5"},
		{"date", FamilyDate, true, at, "2026-12-01"},
		{"time pointer", FamilyDateTime, false, &at, "2026-12-01 18:11:55.5"},
		{"nil time pointer", FamilyDateTime, false, (*time.Time)(nil), nil},
		{"NullTime", FamilyDateTime, false, sql.NullTime{Time: at, Valid: true}, "2026-12-01 18:11:55.5"},
		{"NULL NullTime", FamilyDateTime, false, sql.NullTime{}, nil},
		{"Null[time.Time]", FamilyDate, false, sql.Null[time.Time]{V: at, Valid: true}, "2026-12-01"},
		{"time in a TEXT column", FamilyText, false, at, "2026-12-01 18:11:55.5"},
		{"nil []byte, NOT NULL BLOB", FamilyBlob, true, []byte(nil), []byte{}},
		{"nil []byte, nullable BLOB", FamilyBlob, false, []byte(nil), []byte(nil)},
		{"binary", FamilyBlob, true, []byte{0, 0xff, '\n'}, []byte{0, 0xff, '\n'}},
		{"float", FamilyReal, true, 1.5, 1.5},
		{"infinity", FamilyReal, true, math.Inf(-1), math.Inf(-1)},
		{"NULL NullFloat64", FamilyReal, false, sql.NullFloat64{Float64: nan}, sql.NullFloat64{Float64: nan}},
		{"int64", FamilyInteger, true, int64(math.MinInt64), int64(math.MinInt64)},
		{"JSON as is", FamilyJSON, false, JSON(`{}`), JSON(`{}`)},
	}
	for _, tt := range tests {
		got, err := bindArg(tt.f, tt.notNull, tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b float64) bool { return a == b || a != a && b != b })); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
		if b, ok := got.([]byte); ok && tt.notNull && b == nil {
			t.Errorf("%s: nil []byte binds NULL in a NOT NULL column", tt.name)
		}
	}
	for _, in := range []any{nan, sql.NullFloat64{Float64: nan, Valid: true}, &nan,
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), sql.NullTime{Time: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC), Valid: true}} {
		if got, err := bindArg(FamilyReal, false, in); !errors.Is(err, ErrValidation) {
			t.Errorf("bindArg(%v) = %v, %v; want VALIDATION_FAILED", in, got, err)
		}
	}
}

// The time family's names, for messages.
func TestFamilyString(t *testing.T) {
	if got := fmt.Sprint(FamilyDateTime, FamilyJSON, Family(200)); got != "datetime json unknown" {
		t.Errorf("Family names: %q", got)
	}
}
