package admin

import (
	"bytes"
	"encoding/json"
	"math"
	"time"
)

// record is a row as the API writes it: a JSON object whose keys follow
// the table's column order, as a person reading the response expects
// (encoding/json would sort a map's keys). Values SQLite can hold but JSON
// cannot spell are written as strings: the infinities, and times outside
// the years 0000-9999 (a number in a DATETIME column reads as a Julian day
// or a Unix time, which may be anywhere), so that one stored value cannot
// make a whole page fail.
type record struct {
	cols []string
	vals map[string]any
}

func (r record) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, c := range r.cols {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(c)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		v := r.vals[c]
		switch x := v.(type) {
		case float64:
			if math.IsInf(x, 0) {
				v = "Infinity"
				if x < 0 {
					v = "-Infinity"
				}
			}
		case time.Time:
			if y := x.Year(); y < 0 || y > 9999 {
				v = x.Format("2006-01-02T15:04:05.999999999Z07:00")
			}
		}
		data, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		b.Write(data)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// records wraps rows of t for writing.
func records(cols []string, rows []map[string]any) []record {
	out := make([]record, len(rows))
	for i, r := range rows {
		out[i] = record{cols: cols, vals: r}
	}
	return out
}
