package admin

import (
	"bytes"
	"encoding/json"
	"math"
)

// record is a row as the API writes it: a JSON object whose keys follow
// the table's column order, as a person reading the response expects
// (encoding/json would sort a map's keys). Values SQLite can hold but JSON
// cannot spell, the infinities, are written as strings.
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
		if f, ok := v.(float64); ok && math.IsInf(f, 0) {
			v = "Infinity"
			if f < 0 {
				v = "-Infinity"
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
