package admin

import (
	"strconv"
	"strings"

	"github.com/dbgen-dev/dbgen/runtime"
)

// tildeSafe are the bytes a tilde-encoded value keeps as they are; the set
// is Datasette's, so its clients and ours spell keys alike.
func tildeSafe(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}

const hexDigits = "0123456789ABCDEF"

// encodeKey writes key values as one path segment: tilde-encoded values
// joined by commas.
func encodeKey(parts []string) string {
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteByte(',')
		}
		for j := 0; j < len(p); j++ {
			switch c := p[j]; {
			case tildeSafe(c):
				b.WriteByte(c)
			case c == ' ':
				b.WriteByte('+')
			default:
				b.WriteByte('~')
				b.WriteByte(hexDigits[c>>4])
				b.WriteByte(hexDigits[c&15])
			}
		}
	}
	return b.String()
}

// decodeKey reverses encodeKey. It is strict: a malformed escape is an
// error rather than a guess at what was meant. A key still has more than one
// spelling that addresses its row: ~41 decodes as A does, and an INTEGER
// key reads 1 and 1.0 alike. recordKey writes the one encodeKey makes.
func decodeKey(s string) ([]string, bool) {
	var parts []string
	for part := range strings.SplitSeq(s, ",") {
		var b strings.Builder
		for i := 0; i < len(part); i++ {
			switch c := part[i]; c {
			case '+':
				b.WriteByte(' ')
			case '~':
				if i+2 >= len(part) {
					return nil, false
				}
				n, err := strconv.ParseUint(part[i+1:i+3], 16, 8)
				if err != nil {
					return nil, false
				}
				b.WriteByte(byte(n))
				i += 2
			default:
				b.WriteByte(c)
			}
		}
		parts = append(parts, b.String())
	}
	return parts, true
}

// parseKey reads the {key} path segment of t into column values, each
// converted as its column's type asks.
func parseKey(module string, t *runtime.Table, raw string) (map[string]any, error) {
	cols := t.Key()
	if len(cols) == 0 {
		return nil, invalid(module, t.Name+" is a "+t.Kind()+": its rows have no key; list them with filters instead",
			"table", t.Name, "kind", t.Kind())
	}
	if len(raw) > maxValueBytes {
		return nil, invalid(module, "key is longer than "+strconv.Itoa(maxValueBytes)+" bytes", "table", t.Name)
	}
	parts, ok := decodeKey(raw)
	if !ok {
		return nil, invalid(module, "malformed key: ~ must be followed by two hex digits", "table", t.Name, "key", raw)
	}
	if len(parts) != len(cols) {
		return nil, invalid(module, "key of "+t.Name+" has "+strconv.Itoa(len(cols))+" part(s), ("+
			strings.Join(cols, ", ")+"), separated by commas", "table", t.Name, "key", raw, "primary_key", cols)
	}
	key := make(map[string]any, len(cols))
	for i, c := range cols {
		v, err := convert(module, t, c, parts[i])
		if err != nil {
			return nil, err
		}
		key[c] = v
	}
	return key, nil
}

// recordKey is the encoded key of a record as ListRecords or Read returns
// it; "" when a key value has no text form (a blob, NULL).
func recordKey(t *runtime.Table, rec map[string]any) string {
	cols := t.Key()
	if cols == nil {
		return ""
	}
	parts := make([]string, len(cols))
	for i, c := range cols {
		switch v := rec[c].(type) {
		case int64:
			parts[i] = strconv.FormatInt(v, 10)
		case float64:
			parts[i] = strconv.FormatFloat(v, 'g', -1, 64)
		case string:
			parts[i] = v
		default:
			return ""
		}
	}
	return encodeKey(parts)
}
