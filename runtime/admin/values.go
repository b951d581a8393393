package admin

import (
	"math"
	"strconv"
	"strings"

	"github.com/dbgen-dev/dbgen/runtime"
)

// maxValueBytes caps one value taken from the URL (a filter value, a key,
// a cursor). Real values are short; a longer one is a mistake or a probe,
// and refusing it early keeps the cost of a request bounded.
const maxValueBytes = 4096

// affinity is SQLite's column affinity, derived from the declared type by
// the rules of https://sqlite.org/datatype3.html#determination_of_column_affinity.
type affinity int

const (
	affText affinity = iota
	affNumeric
	affInteger
	affReal
	affBlob
)

func affinityOf(declared string) affinity {
	t := strings.ToUpper(declared)
	switch {
	case strings.Contains(t, "INT"):
		return affInteger
	case strings.Contains(t, "CHAR"), strings.Contains(t, "CLOB"), strings.Contains(t, "TEXT"):
		return affText
	case t == "", strings.Contains(t, "BLOB"):
		return affBlob
	case strings.Contains(t, "REAL"), strings.Contains(t, "FLOA"), strings.Contains(t, "DOUB"):
		return affReal
	}
	return affNumeric
}

// convert turns text from the URL into the value to bind for column col:
// numbers for INTEGER and REAL columns (anything else is refused, so a
// typo is an error instead of an empty page), numbers where a NUMERIC
// column would store one, text for TEXT columns. A column without a type
// (a view's expression, say) converts nothing in a comparison, and SQLite
// orders every number before every text, so there a value that reads as a
// number is bound as one: 2 > '1' would be false.
func convert(module string, t *runtime.Table, col, raw string) (any, error) {
	decl := ""
	if c := t.Column(col); c != nil {
		decl = c.SQLType
	} else if strings.EqualFold(col, "rowid") {
		decl = "INTEGER"
	}
	switch affinityOf(decl) {
	case affInteger, affReal:
		if v, ok := parseNumber(raw); ok {
			return v, nil
		}
		return nil, invalid(module, "column "+col+" of "+t.Name+" holds numbers; "+strconv.Quote(raw)+" is not one",
			"table", t.Name, "column", col, "value", raw)
	case affNumeric, affBlob:
		if v, ok := parseNumber(raw); ok {
			return v, nil
		}
		if strings.Contains(strings.ToUpper(decl), "BOOL") {
			switch strings.ToLower(raw) {
			case "true":
				return int64(1), nil
			case "false":
				return int64(0), nil
			}
		}
	}
	return raw, nil
}

// parseNumber reads an integer, else a finite decimal real. NaN and the
// infinities are refused: SQLite would store NaN as NULL.
func parseNumber(raw string) (any, bool) {
	if n, err := strconv.ParseInt(raw, 10, 64); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || strings.ContainsAny(raw, "xXpP_") {
		return nil, false
	}
	return f, true
}
