package runtime

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dbgen-dev/dbgen/internal/sqliteconn"
	"github.com/dbgen-dev/dbgen/runtime/internal/listparam"
)

// Filter is one condition of a generic list, in Datasette's vocabulary.
type Filter struct {
	Column string `json:"column"`
	Op     string `json:"op"`    // one of FilterOps; "" means exact
	Value  any    `json:"value"` // a list for in/notin (or "a,b,c", or a JSON array of strings and numbers); ignored by isnull/notnull
}

// FilterOps are the operators a Filter may use, as Datasette names them.
var FilterOps = []string{
	"exact", "not", "gt", "gte", "lt", "lte",
	"contains", "startswith", "endswith", "like",
	"in", "notin", "isnull", "notnull",
}

// filterExpr turns f into a condition; the column is checked when rendered.
func filterExpr(module string, f Filter) (expr, error) {
	col := f.Column
	one := func(op exprOp) expr { return expr{op: op, col: col, args: []any{f.Value}} }
	like := func(prefix, suffix string) (expr, error) {
		s, ok := f.Value.(string)
		if !ok {
			return expr{}, filterError(module, f, "wants a text value")
		}
		return likePattern(module, f, opLikeEscape, prefix+escapeLike(s)+suffix)
	}
	switch f.Op {
	case "", "exact":
		return one(opEq), nil
	case "not":
		return one(opNe), nil
	case "gt":
		return one(opGt), nil
	case "gte":
		return one(opGte), nil
	case "lt":
		return one(opLt), nil
	case "lte":
		return one(opLte), nil
	case "contains":
		return like("%", "%")
	case "startswith":
		return like("", "%")
	case "endswith":
		return like("%", "")
	case "like":
		s, ok := f.Value.(string)
		if !ok {
			return expr{}, filterError(module, f, "wants a text pattern")
		}
		return likePattern(module, f, opLike, s)
	case "in", "notin":
		vals, err := listValue(f.Value)
		if err != nil {
			return expr{}, filterError(module, f, err.Error())
		}
		op := opIn
		if f.Op == "notin" {
			op = opNotIn
		}
		return expr{op: op, col: col, args: vals}, nil
	case "isnull":
		return expr{op: opIsNull, col: col}, nil
	case "notnull":
		return expr{op: opNotNull, col: col}, nil
	}
	return expr{}, newError(CodeValidationFailed, module,
		"unknown filter operator "+strconv.Quote(f.Op)+"; want one of "+strings.Join(FilterOps, ", "),
		"column", col, "op", f.Op, "ops", FilterOps)
}

// likePattern is the condition of a LIKE filter, refused as the client's
// mistake when the pattern is longer than SQLite takes
// (sqliteconn.LikePatternLength): SQLite would fail the whole query.
func likePattern(module string, f Filter, op exprOp, pattern string) (expr, error) {
	if len(pattern) > sqliteconn.LikePatternLength {
		return expr{}, newError(CodeValidationFailed, module, fmt.Sprintf(
			"filter %s__%s makes a LIKE pattern of %d bytes, escapes and wildcards included; a pattern is at most %d bytes",
			f.Column, f.Op, len(pattern), sqliteconn.LikePatternLength),
			"column", f.Column, "op", f.Op, "pattern_bytes", len(pattern), "max_bytes", sqliteconn.LikePatternLength)
	}
	return expr{op: op, col: f.Column, args: []any{pattern}}, nil
}

func filterError(module string, f Filter, why string) *Error {
	return newError(CodeValidationFailed, module, "filter "+f.Column+"__"+f.Op+" "+why,
		"column", f.Column, "op", f.Op, "value", f.Value)
}

// escapeLike makes s match itself literally in LIKE ... ESCAPE '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// listValue reads the value of in/notin: a list, or text that
// listparam.Split reads (a JSON array, or values separated by commas).
func listValue(v any) ([]any, error) {
	switch v := v.(type) {
	case []any:
		return v, nil
	case []string:
		return stringsToAny(v), nil
	case string:
		items, err := listparam.Split(v)
		if err != nil {
			return nil, err
		}
		return stringsToAny(items), nil
	}
	return nil, errors.New("wants a list of values")
}

func stringsToAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// parseSort reads "-created_at,name": columns separated by commas, each
// descending when it starts with "-".
func parseSort(sort string) []sortKey {
	var keys []sortKey
	for part := range strings.SplitSeq(sort, ",") {
		part = strings.TrimSpace(part)
		desc := strings.HasPrefix(part, "-")
		part = strings.TrimSpace(strings.TrimPrefix(part, "-"))
		if part != "" {
			keys = append(keys, sortKey{col: part, desc: desc})
		}
	}
	return keys
}
