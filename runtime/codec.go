package runtime

import (
	"database/sql"
	"math"
	"strings"
	"time"
)

// Family is the kind of value a column holds, from its declared type by the
// rules dbgen's generator also uses to choose the column's Go type. The
// codec binds values by it; SQLite itself only knows affinities.
type Family uint8

const (
	FamilyUntyped  Family = iota // no declared type, or one without a rule: values pass as they are
	FamilyInteger                // INTEGER, INT, BIGINT, ...: int64
	FamilyReal                   // REAL, DOUBLE, FLOAT: float64
	FamilyNumeric                // NUMERIC, DECIMAL(p,s): float64
	FamilyText                   // TEXT, VARCHAR(n), CHARACTER(n), CLOB, ...: string
	FamilyBlob                   // BLOB: []byte, byte for byte
	FamilyBool                   // BOOLEAN, BOOL: bool, stored as 0 and 1
	FamilyDate                   // DATE: time.Time, stored as YYYY-MM-DD
	FamilyDateTime               // DATETIME, TIMESTAMP: time.Time, stored as UTC YYYY-MM-DD HH:MM:SS[.fraction]
	FamilyJSON                   // JSON, JSONB: JSON, stored as TEXT
)

var familyNames = [...]string{"untyped", "integer", "real", "numeric", "text", "blob", "bool", "date", "datetime", "json"}

func (f Family) String() string {
	if int(f) < len(familyNames) {
		return familyNames[f]
	}
	return "unknown"
}

// FamilyOf classifies a declared column type as sqlc's SQLite engine does:
// the type is compared in lower case with its spaces removed, so
// "UNSIGNED BIG INT" is an integer and "VARCHAR(255)" text.
func FamilyOf(declared string) Family {
	dt := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(declared), " ", ""))
	switch dt {
	case "int", "integer", "tinyint", "smallint", "mediumint", "bigint", "unsignedbigint", "int2", "int8":
		return FamilyInteger
	case "blob":
		return FamilyBlob
	case "real", "double", "doubleprecision", "float":
		return FamilyReal
	case "boolean", "bool":
		return FamilyBool
	case "date":
		return FamilyDate
	case "datetime", "timestamp":
		return FamilyDateTime
	case "json", "jsonb":
		return FamilyJSON
	case "text", "clob":
		return FamilyText
	case "numeric":
		return FamilyNumeric
	}
	for _, p := range []string{"character", "varchar", "varyingcharacter", "nchar", "nativecharacter", "nvarchar"} {
		if strings.HasPrefix(dt, p) {
			return FamilyText
		}
	}
	if strings.HasPrefix(dt, "decimal") {
		return FamilyNumeric
	}
	return FamilyUntyped
}

// Time layouts of the codec. DateTimeLayout is SQLite's own form, the one
// CURRENT_TIMESTAMP and datetime() write, with the fraction of a second only
// when there is one: stored in UTC, such texts sort and compare as the
// times they stand for, and SQLite's date functions read them.
const (
	DateTimeLayout = "2006-01-02 15:04:05.999999999"
	DateLayout     = "2006-01-02"
)

// EncodeTime returns the text the codec stores for t in a column of family
// f: the calendar date of t where it is (a DATE), else t in UTC in
// DateTimeLayout. Years outside 0000-9999 cannot be written in that form and
// are refused.
func EncodeTime(f Family, t time.Time) (string, error) {
	if f == FamilyDate {
		if y := t.Year(); y < 0 || y > 9999 {
			return "", timeRangeError(t)
		}
		return t.Format(DateLayout), nil
	}
	t = t.UTC()
	if y := t.Year(); y < 0 || y > 9999 {
		return "", timeRangeError(t)
	}
	return t.Format(DateTimeLayout), nil
}

func timeRangeError(t time.Time) *Error {
	return newError(CodeValidationFailed, "", "time "+t.String()+" is outside the years 0000-9999 that SQLite's date and time text can hold")
}

// timeLayouts are the texts ParseTime reads: SQLite's forms and RFC 3339,
// which dbgen wrote before its codec stored SQLite's own form.
var timeLayouts = []string{
	DateTimeLayout,
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999",
	time.RFC3339Nano,
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02 15:04Z07:00",
	"2006-01-02T15:04Z07:00",
	DateLayout,
}

// ParseTime reads a time in any text form SQLite's date functions accept
// (YYYY-MM-DD, with HH:MM[:SS[.fraction]] after a space or a T, and an
// optional Z or ±HH:MM zone) and RFC 3339. The result is in UTC.
func ParseTime(s string) (time.Time, bool) {
	s = sqliteZone(strings.TrimSpace(s))
	if len(s) < len(DateLayout) || s[4] != '-' {
		return time.Time{}, false
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// parseTimeFor reads text s as a value for a column of family f: for a
// DATE the calendar date s names, whatever its zone (as EncodeTime takes a
// time.Time's own date; ParseTime's UTC may be another day), else the
// instant.
func parseTimeFor(f Family, s string) (time.Time, bool) {
	tm, ok := ParseTime(s)
	if !ok || f != FamilyDate {
		return tm, ok
	}
	s = strings.TrimSpace(s)
	if d, err := time.Parse(DateLayout, s[:len(DateLayout)]); err == nil {
		return d, true
	}
	return tm, true
}

// sqliteZone writes a zone as the layouts read it: SQLite also takes a
// lower-case z, and spaces before the zone.
func sqliteZone(s string) string {
	zone := ""
	switch n := len(s); {
	case n > 0 && (s[n-1] == 'Z' || s[n-1] == 'z'):
		zone, s = "Z", s[:n-1]
	case n > 6 && (s[n-6] == '+' || s[n-6] == '-') && s[n-3] == ':':
		zone, s = s[n-6:], s[:n-6]
	default:
		return s
	}
	return strings.TrimRight(s, " ") + zone
}

// bindArg returns the value the codec binds for v in a column of family f
// (FamilyUntyped when there is no column, as for a module query's
// parameters): times become SQLite's text, a nil []byte in a NOT NULL BLOB
// column the empty BLOB rather than NULL, and NaN, which SQLite would store
// as NULL, is refused. Everything else, driver.Valuers such as JSON and
// sql.Null* included, is bound as it is.
func bindArg(f Family, notNull bool, v any) (any, error) {
	switch v := v.(type) {
	case time.Time:
		return EncodeTime(f, v)
	case *time.Time:
		if v == nil {
			return nil, nil
		}
		return EncodeTime(f, *v)
	case sql.NullTime:
		if !v.Valid {
			return nil, nil
		}
		return EncodeTime(f, v.Time)
	case sql.Null[time.Time]:
		if !v.Valid {
			return nil, nil
		}
		return EncodeTime(f, v.V)
	case []byte:
		if v == nil && notNull && f == FamilyBlob {
			return []byte{}, nil
		}
	case float64:
		if math.IsNaN(v) {
			return nil, nanError()
		}
	case float32:
		if math.IsNaN(float64(v)) {
			return nil, nanError()
		}
	case sql.NullFloat64:
		if v.Valid && math.IsNaN(v.Float64) {
			return nil, nanError()
		}
	case sql.Null[float64]:
		if v.Valid && math.IsNaN(v.V) {
			return nil, nanError()
		}
	case *float64:
		if v != nil && math.IsNaN(*v) {
			return nil, nanError()
		}
	}
	return v, nil
}

func nanError() *Error {
	return newError(CodeValidationFailed, "", "NaN cannot be stored: SQLite would store it as NULL")
}
