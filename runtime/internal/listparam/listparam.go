// Package listparam splits the text value of an in or notin filter into its
// items, as Datasette takes them, for the runtime and the admin API alike.
package listparam

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
)

// Split reads v as a JSON array of strings and numbers, or else as text
// separated by commas. Numbers come back as written ("1.50" stays "1.50"),
// so that the caller converts them for the column's type. Empty text is no
// items.
func Split(v string) ([]string, error) {
	trimmed := strings.TrimSpace(v)
	if !strings.HasPrefix(trimmed, "[") {
		if v == "" {
			return nil, nil
		}
		return strings.Split(v, ","), nil
	}
	var raw []json.RawMessage
	if err := json.Unmarshal([]byte(trimmed), &raw); err != nil {
		return nil, errors.New("wants a JSON array or comma-separated values")
	}
	out := make([]string, len(raw))
	for i, r := range raw {
		switch {
		case r[0] == '"':
			if err := json.Unmarshal(r, &out[i]); err != nil {
				return nil, err
			}
		case r[0] == '-' || '0' <= r[0] && r[0] <= '9':
			var n json.Number
			dec := json.NewDecoder(bytes.NewReader(r))
			dec.UseNumber()
			if err := dec.Decode(&n); err != nil {
				return nil, err
			}
			out[i] = n.String()
		default:
			return nil, errors.New("wants array items that are strings or numbers")
		}
	}
	return out, nil
}
