package runtime

import (
	"database/sql"
	"math"
	"strconv"
	"time"
)

// The codec on PostgreSQL. The columns there have real types (see the
// generator's postgres package): DATETIME is timestamptz, DATE date,
// BOOLEAN boolean, JSON jsonb, BLOB bytea, NUMERIC numeric, and pgx binds
// Go values to them natively. So times are bound as times, not as SQLite's
// text, and the checks that keep both engines alike stay: years outside
// 0000-9999 and NaN are refused on both, and a nil []byte in a NOT NULL
// BLOB column is the empty BLOB on both.

// bind is bindArg for the database's engine.
func (d dialect) bind(f Family, notNull bool, v any) (any, error) {
	if d != postgresDialect {
		return bindArg(f, notNull, v)
	}
	switch v := v.(type) {
	case time.Time:
		return pgTime(f, v)
	case *time.Time:
		if v == nil {
			return nil, nil
		}
		return pgTime(f, *v)
	case sql.NullTime:
		if !v.Valid {
			return nil, nil
		}
		return pgTime(f, v.Time)
	case sql.Null[time.Time]:
		if !v.Valid {
			return nil, nil
		}
		return pgTime(f, v.V)
	case int64:
		if f == FamilyBool {
			return pgBool(v)
		}
	case int:
		if f == FamilyBool {
			return pgBool(int64(v))
		}
	}
	out, err := bindArg(f, notNull, v)
	if err != nil || f != FamilyNumeric {
		return out, err
	}
	return pgNumeric(out), nil
}

// pgNumeric is the value a float for a NUMERIC column binds as: the integer
// it is when it is one (as SQLite's NUMERIC affinity stores it), else the
// float. pgx writes a float64 as its shortest decimal, 2^62 as
// 4611686018427388000, which is another numeric than the integer
// 4611686018427387904 that generic CRUD or the admin API write for the same
// JSON number: an Eq filter would find one of the two rows, not both.
func pgNumeric(v any) any {
	var x float64
	switch v := v.(type) {
	case float64:
		x = v
	case float32:
		x = float64(v)
	case sql.NullFloat64:
		if !v.Valid {
			return v
		}
		x = v.Float64
	case sql.Null[float64]:
		if !v.Valid {
			return v
		}
		x = v.V
	case *float64:
		if v == nil {
			return v
		}
		x = *v
	default:
		return v
	}
	if x == math.Trunc(x) && math.Abs(x) < 1<<63 {
		return int64(x)
	}
	return v
}

// pgTime is the value a time binds as in a column of family f: the
// calendar date of t where it is for a DATE (as SQLite's text holds it),
// the instant for a DATETIME or where no column says (pgx then binds it
// as the parameter's type), and SQLite's text in any other column.
func pgTime(f Family, t time.Time) (any, error) {
	text, err := EncodeTime(f, t)
	if err != nil {
		return nil, err
	}
	switch f {
	case FamilyDate:
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
	case FamilyDateTime, FamilyUntyped:
		return t.UTC(), nil
	}
	return text, nil
}

// pgBool reads SQLite's 0 and 1 as a boolean: PostgreSQL's boolean takes
// no integer.
func pgBool(n int64) (any, error) {
	switch n {
	case 0:
		return false, nil
	case 1:
		return true, nil
	}
	return nil, newError(CodeValidationFailed, "", "integer "+strconv.FormatInt(n, 10)+
		" is not a boolean: a BOOLEAN column takes true, false, 1 or 0")
}

// pgCursorValue is the value of a cursor for key col of t as it binds on
// PostgreSQL: a cursor holds a boolean as 0 or 1 and a time as its text,
// which the boolean, date and timestamptz columns there do not take.
func pgCursorValue(t *Table, col string, v any) any {
	c := t.Column(col)
	if c == nil || v == nil {
		return v
	}
	switch f := c.Family(); f {
	case FamilyBool:
		if n, ok := v.(int64); ok {
			return n != 0
		}
	case FamilyDate, FamilyDateTime:
		if s, ok := v.(string); ok {
			if tm, ok := parseTimeFor(f, s); ok {
				return tm
			}
		}
	}
	return v
}

// readValue is ReadValue for a value the database's driver read: on
// PostgreSQL a numeric arrives as its text, which becomes the number
// SQLite's NUMERIC affinity keeps, an integer when it is one.
func (d dialect) readValue(f Family, v any) any {
	if s, ok := v.(string); ok && d == postgresDialect && f == FamilyNumeric {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n
		}
		if x, err := strconv.ParseFloat(s, 64); err == nil {
			if x == math.Trunc(x) && math.Abs(x) < 1<<63 {
				return int64(x)
			}
			return x
		}
	}
	return ReadValue(f, v)
}
