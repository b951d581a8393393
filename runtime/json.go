package runtime

import (
	"bytes"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// JSON is the Go type of JSON and JSONB columns: the JSON text itself. It is
// stored as TEXT, so SQLite's json_extract and friends work on it; writing
// text that is not JSON fails with ErrValidation before it reaches the
// database. A nil JSON is SQL NULL; JSON("null") is the JSON value null.
type JSON []byte

// Value stores j as TEXT, after checking that it is JSON.
func (j JSON) Value() (driver.Value, error) {
	if j == nil {
		return nil, nil
	}
	if !json.Valid(j) {
		return nil, newError(CodeValidationFailed, "", "value is not valid JSON", "value", truncate(string(j), 64))
	}
	return string(j), nil
}

// Scan reads JSON stored as TEXT or BLOB, and NULL as nil. A JSON column
// has NUMERIC affinity in SQLite, so JSON numbers written as text may come
// back as INTEGER or REAL values: they are written as JSON numbers again.
func (j *JSON) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*j = nil
	case string:
		*j = JSON(v)
	case []byte:
		*j = bytes.Clone(v)
		if *j == nil {
			*j = JSON{}
		}
	case int64:
		*j = strconv.AppendInt(nil, v, 10)
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("runtime.JSON: cannot read %v as JSON", v)
		}
		*j = strconv.AppendFloat(nil, v, 'g', -1, 64)
	case bool:
		*j = JSON(strconv.FormatBool(v))
	default:
		return fmt.Errorf("runtime.JSON: cannot scan a %T", src)
	}
	return nil
}

// MarshalJSON writes j as the JSON it holds, null when nil.
func (j JSON) MarshalJSON() ([]byte, error) {
	if j == nil {
		return []byte("null"), nil
	}
	if !json.Valid(j) {
		return nil, fmt.Errorf("runtime.JSON: value is not valid JSON")
	}
	return j, nil
}

// UnmarshalJSON keeps the JSON text as it is, as json.RawMessage does.
func (j *JSON) UnmarshalJSON(data []byte) error {
	if j == nil {
		return fmt.Errorf("runtime.JSON: UnmarshalJSON on nil pointer")
	}
	*j = append((*j)[:0], data...)
	return nil
}

// String returns the JSON text.
func (j JSON) String() string { return string(j) }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
