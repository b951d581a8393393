package runtime

import (
	"bytes"
	"database/sql/driver"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// BindValue checks v, a value for column col of t as generic CRUD and the
// admin API get it (from Go code, or decoded from JSON), and returns what to
// bind, through the same codec as the generated methods: times in SQLite's
// text (a time given as text is read first, in any form SQLite or RFC 3339
// writes), JSON values as JSON text, json.Number as an integer or a real,
// and for the rowid and its alias only integers.
func BindValue(module string, t *Table, col string, v any) (any, error) {
	return bindValue(sqliteDialect, module, t, col, v)
}

// bindValue is BindValue for an engine.
func bindValue(d dialect, module string, t *Table, col string, v any) (any, error) {
	f, notNull, rowid := FamilyUntyped, false, false
	if c := t.Column(col); c != nil {
		f, notNull, rowid = c.Family(), !c.Nullable, c.RowID
	} else if ok, _ := t.Lookup(col); ok {
		f, notNull, rowid = FamilyInteger, true, true
	}
	bad := func(why string) error {
		return newError(CodeValidationFailed, module, "value of "+t.Name+"."+col+" "+why, "table", t.Name, "column", col)
	}
	if n, ok := v.(json.Number); ok {
		if i, err := n.Int64(); err == nil {
			v = i
		} else if fl, err := n.Float64(); err == nil && !math.IsInf(fl, 0) {
			v = fl
		} else {
			return nil, bad("is a number SQLite cannot hold: " + n.String())
		}
	}
	if rowid && v != nil {
		if i, ok := asInt64(v); ok {
			return i, nil
		}
		return nil, bad(fmt.Sprintf("must be an integer (it is the rowid), not %v", v))
	}
	switch f {
	case FamilyJSON:
		return jsonValue(v, bad)
	case FamilyDate, FamilyDateTime:
		if s, ok := v.(string); ok {
			tm, ok := parseTimeFor(f, s)
			if !ok {
				return nil, bad("is not a time: want YYYY-MM-DD, YYYY-MM-DD HH:MM:SS[.fraction] or RFC 3339")
			}
			v = tm
		}
	case FamilyBlob:
		if s, ok := v.(string); ok {
			v = []byte(s)
		}
	}
	switch v.(type) {
	case nil, bool, string, []byte, time.Time,
		int, int8, int16, int32, int64, uint, uint8, uint16, uint32, float32, float64:
	case uint64:
		if v.(uint64) > math.MaxInt64 {
			return nil, bad("is larger than SQLite's largest integer")
		}
	case driver.Valuer:
	case map[string]any, []any:
		return nil, bad("is a JSON object or array, which only a JSON column holds")
	default:
		return nil, bad(fmt.Sprintf("has unsupported type %T", v))
	}
	out, err := d.bind(f, notNull, v)
	if err != nil {
		return nil, columnError(module, t, col, err)
	}
	return out, nil
}

// jsonValue is the text a JSON column stores for v: Go values as
// encoding/json writes them, JSON text as it is once checked.
func jsonValue(v any, bad func(string) error) (any, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case JSON:
		if v == nil {
			return nil, nil
		}
		if !json.Valid(v) {
			return nil, bad("is not valid JSON")
		}
		return string(v), nil
	case json.RawMessage:
		if !json.Valid(v) {
			return nil, bad("is not valid JSON")
		}
		return string(v), nil
	case string:
		if !json.Valid([]byte(v)) {
			return nil, bad("is not valid JSON text")
		}
		return v, nil
	case []byte:
		if !json.Valid(v) {
			return nil, bad("is not valid JSON text")
		}
		return string(v), nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil, bad("cannot be written as JSON: " + err.Error())
	}
	return string(data), nil
}

func asInt64(v any) (int64, bool) {
	switch v := v.(type) {
	case int64:
		return v, true
	case int:
		return int64(v), true
	case int32:
		return int64(v), true
	case int16:
		return int64(v), true
	case int8:
		return int64(v), true
	case uint32:
		return int64(v), true
	case uint16:
		return int64(v), true
	case uint8:
		return int64(v), true
	case uint:
		if uint64(v) <= math.MaxInt64 {
			return int64(v), true
		}
	case uint64:
		if v <= math.MaxInt64 {
			return int64(v), true
		}
	case float64:
		// Only where a float holds every integer exactly: beyond 2^53 it
		// is a rounded value (-9223372036854775809 reads as -2^63), not
		// the integer the client wrote.
		if v == math.Trunc(v) && math.Abs(v) <= 1<<53 {
			return int64(v), true
		}
	}
	return 0, false
}

// ReadValue is a stored value of a column of family f as records hold it:
// JSON text as JSON (so that it marshals as the JSON it is), a BLOB
// column's text as its bytes (so that its JSON form is always the base64
// of its bytes, which RecordFromJSON reads back to the same bytes),
// everything else as the driver read it (time.Time for DATE and DATETIME
// columns, []byte for BLOBs, bool for BOOLEAN). Text in a JSON column that
// is not JSON (SQLite does not check) stays text.
func ReadValue(f Family, v any) any {
	switch f {
	case FamilyBlob:
		if s, ok := v.(string); ok {
			return []byte(s)
		}
	case FamilyJSON:
		var j JSON
		if v == nil || j.Scan(v) != nil || !json.Valid(j) {
			return v
		}
		return j
	}
	return v
}

// RecordFromJSON decodes the JSON form of a record (or of its changes),
// column by column as each column's family reads JSON: a BLOB is a base64
// string, a JSON column any JSON value (null is SQL NULL, except in a NOT
// NULL column, which can only hold the JSON null), a REAL or NUMERIC column
// a number or the strings "Infinity" and "-Infinity", a DATE or DATETIME
// column a string BindValue reads (not a number), numbers exact
// (json.Number). It is the inverse of how the admin API writes records.
func RecordFromJSON(module string, t *Table, fields map[string]json.RawMessage) (map[string]any, error) {
	rec := make(map[string]any, len(fields))
	for name, raw := range fields {
		f, nullable := FamilyUntyped, true
		if c := t.Column(name); c != nil {
			f, nullable = c.Family(), c.Nullable
		}
		bad := func(why string) error {
			return newError(CodeValidationFailed, module, "value of "+t.Name+"."+name+" "+why, "table", t.Name, "column", name)
		}
		raw = bytes.TrimSpace(raw)
		if bytes.Equal(raw, []byte("null")) && (f != FamilyJSON || nullable) {
			rec[name] = nil
			continue
		}
		switch f {
		case FamilyJSON:
			rec[name] = JSON(bytes.Clone(raw))
			continue
		case FamilyReal, FamilyNumeric:
			// The admin API writes the infinities, which JSON cannot spell
			// as numbers, as these strings.
			switch string(raw) {
			case `"Infinity"`:
				rec[name] = math.Inf(1)
				continue
			case `"-Infinity"`:
				rec[name] = math.Inf(-1)
				continue
			}
		case FamilyDate, FamilyDateTime:
			// A number would be stored as it is, and read back as a Julian
			// day or a Unix time, whichever it looks like: the JSON form
			// of a time is its text.
			if len(raw) == 0 || raw[0] != '"' {
				return nil, bad("must be a time as text: YYYY-MM-DD, YYYY-MM-DD HH:MM:SS[.fraction] or RFC 3339")
			}
		case FamilyBlob:
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return nil, bad("must be base64 text (a BLOB is written as base64 in JSON)")
			}
			b, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return nil, bad("is not valid base64: " + err.Error())
			}
			rec[name] = b
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, bad("is not valid JSON: " + err.Error())
		}
		rec[name] = v
	}
	return rec, nil
}
