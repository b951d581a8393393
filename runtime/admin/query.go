package admin

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/dbgen-dev/dbgen/runtime"
	"github.com/dbgen-dev/dbgen/runtime/internal/listparam"
)

// Parameters of the rows route that are not filters.
const (
	paramPage     = "page"
	paramPageSize = "page_size"
	paramCursor   = "cursor"
	paramSort     = "sort"
)

// maxParams caps the parameters of one list request: enough for any real
// filter set, few enough that a request cannot make a huge WHERE clause.
const maxParams = 64

// maxPage keeps page * page_size, the OFFSET, far from overflowing.
const maxPage = 1 << 31

// listRequest reads the rows route's query string into a runtime
// ListRequest. Every name is checked against t before anything runs, so an
// unknown column or operator is a 400 that names it and lists the valid
// ones; values are converted for binding, never spliced into SQL.
func listRequest(module string, t *runtime.Table, q url.Values) (runtime.ListRequest, error) {
	var req runtime.ListRequest
	n := 0
	for _, vs := range q {
		n += len(vs)
	}
	if n > maxParams {
		return req, invalid(module, "too many parameters: at most "+strconv.Itoa(maxParams), "count", n)
	}
	names := make([]string, 0, len(q))
	for name := range q {
		names = append(names, name)
	}
	slices.Sort(names) // same request, same SQL, same plan cache entry
	for _, name := range names {
		vs := q[name]
		for _, v := range vs {
			if len(v) > maxValueBytes || len(name) > maxValueBytes {
				return req, invalid(module, "parameter "+clip(name)+" is longer than "+strconv.Itoa(maxValueBytes)+" bytes",
					"parameter", clip(name))
			}
		}
		switch name {
		case paramPage, paramPageSize, paramCursor, paramSort:
			if len(vs) > 1 {
				return req, invalid(module, "parameter "+name+" is given more than once", "parameter", name)
			}
		}
		var err error
		switch name {
		case paramPage:
			req.Page, err = intParam(module, name, vs[0], maxPage)
		case paramPageSize:
			req.PageSize, err = intParam(module, name, vs[0], runtime.MaxPageSize)
		case paramCursor:
			// Present, even empty, it asks for keyset pages: no count.
			req.Cursor, req.NoTotal = vs[0], true
			switch {
			case t.View:
				// Its rows may repeat, and a page boundary between copies
				// would skip the rest (see runtime.Query.After).
				err = invalid(module, t.Name+" is a view, whose rows may repeat: keyset pages would skip "+
					"repeated rows at a page boundary; use page and page_size", "table", t.Name)
			case q.Has(paramPage):
				err = invalid(module, "use a cursor or a page number, not both")
			}
		case paramSort:
			req.Sort, err = sortParam(module, t, vs[0])
		default:
			for _, v := range vs {
				var f runtime.Filter
				if f, err = filterParam(module, t, name, v); err != nil {
					break
				}
				req.Filters = append(req.Filters, f)
			}
		}
		if err != nil {
			return runtime.ListRequest{}, err
		}
	}
	return req, nil
}

func intParam(module, name, v string, limit int) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > limit {
		return 0, invalid(module, "parameter "+name+" wants a whole number from 0 to "+strconv.Itoa(limit),
			"parameter", name, "value", clip(v))
	}
	return n, nil
}

// sortParam checks "-created_at,name" against the table's columns.
func sortParam(module string, t *runtime.Table, v string) (string, error) {
	for part := range strings.SplitSeq(v, ",") {
		col := strings.TrimPrefix(strings.TrimSpace(part), "-")
		if col == "" {
			return "", invalid(module, "sort wants column names separated by commas, each may start with -",
				"parameter", paramSort, "value", clip(v))
		}
		if !hasColumn(t, col) {
			return "", columnNotFound(module, t, col)
		}
	}
	return v, nil
}

// filterParam reads col=value or col__op=value. A name that is a column is
// an exact match even when it holds "__".
func filterParam(module string, t *runtime.Table, name, v string) (runtime.Filter, error) {
	col, op := name, "exact"
	if !hasColumn(t, name) {
		if i := strings.LastIndex(name, "__"); i > 0 {
			col, op = name[:i], name[i+2:]
		}
	}
	if !hasColumn(t, col) {
		return runtime.Filter{}, columnNotFound(module, t, col)
	}
	if !slices.Contains(runtime.FilterOps, op) {
		return runtime.Filter{}, invalid(module, "unknown filter operator "+strconv.Quote(clip(op))+
			" on "+col+"; want one of "+strings.Join(runtime.FilterOps, ", "),
			"column", col, "op", clip(op), "ops", runtime.FilterOps)
	}
	f := runtime.Filter{Column: col, Op: op, Value: v}
	switch op {
	case "exact", "not", "gt", "gte", "lt", "lte":
		val, err := convert(module, t, col, v)
		if err != nil {
			return f, err
		}
		f.Value = val
	case "in", "notin":
		items, err := listItems(module, col, v)
		if err != nil {
			return f, err
		}
		vals := make([]any, len(items))
		for i, it := range items {
			if vals[i], err = convert(module, t, col, it); err != nil {
				return f, err
			}
		}
		f.Value = vals
	}
	return f, nil
}

// listItems splits the value of in/notin as the runtime does (see
// listparam.Split); each item is then converted for the column.
func listItems(module, col, v string) ([]string, error) {
	items, err := listparam.Split(v)
	if err != nil {
		return nil, invalid(module, "filter "+col+" "+err.Error(), "column", col)
	}
	return items, nil
}

// hasColumn reports whether name is a column of t, or its rowid.
func hasColumn(t *runtime.Table, name string) bool {
	if t.Column(name) != nil {
		return true
	}
	return strings.EqualFold(name, "rowid") && !t.View && !t.WithoutRowID
}

// columnNotFound names the unknown column and lists the known ones.
func columnNotFound(module string, t *runtime.Table, name string) *runtime.Error {
	cols := make([]string, 0, len(t.Columns)+1)
	if !t.View && !t.WithoutRowID && t.Column("rowid") == nil {
		cols = append(cols, "rowid")
	}
	for _, c := range t.Columns {
		cols = append(cols, c.Name)
	}
	return apiError(runtime.CodeColumnNotFound, module, "no column "+strconv.Quote(clip(name))+" in "+t.Name,
		"table", t.Name, "column", clip(name), "columns", cols)
}

// clip shortens text from a client before it goes back in an error, so an
// oversized probe is not echoed whole.
func clip(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}
