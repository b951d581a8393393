package runtime

import (
	"errors"
	"strconv"
	"strings"

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
		return expr{op: opLikeEscape, col: col, args: []any{prefix + escapeLike(s) + suffix}}, nil
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
		if _, ok := f.Value.(string); !ok {
			return expr{}, filterError(module, f, "wants a text pattern")
		}
		return one(opLike), nil
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
