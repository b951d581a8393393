package runtime

import (
	"context"
	"strconv"
	"strings"
)

// list runs q through x and reads each row of the page with scan, which
// reads the given columns in order (the generated model's scan):
//
//	SELECT <columns> FROM <table> WHERE <conditions> [AND <after cursor>]
//	ORDER BY <sort keys>, <primary key> LIMIT n+1 [OFFSET m]
func list[T any](ctx context.Context, x Executor, q *Query[T], columns []string, scan func(Scanner) (T, error)) (Page[T], error) {
	var items []T
	res, err := listRows(ctx, x, q.spec, columns, func(s Scanner) error {
		item, err := scan(s)
		if err != nil {
			return err
		}
		if items == nil {
			// Room for a whole page (up to 64 rows; a larger one grows).
			items = make([]T, 0, min(pageSize(q.spec.limit), 64))
		}
		items = append(items, item)
		return nil
	}, func() { items = items[:0] })
	if err != nil {
		return Page[T]{}, err
	}
	return Page[T]{Items: items, Total: res.total, NextCursor: res.next, HasMore: res.hasMore}, nil
}

// listSpec is a list request in untyped form, shared by List and ListRecords.
type listSpec struct {
	table  *Table
	where  []expr
	order  []sortKey
	limit  int
	after  string
	offset int
	total  bool
}

type listResult struct {
	total   int64
	next    string
	hasMore bool
}

// listRows runs spec through x, selecting columns, and hands each row of
// the page to row. reset is called before a retried attempt reads the rows
// again. A page and its total come from one snapshot.
func listRows(ctx context.Context, x Executor, spec listSpec, columns []string, row func(Scanner) error, reset func()) (listResult, error) {
	db := x.database()
	module := db.def.Name
	st, err := renderList(db.dialect, module, spec, columns)
	if err != nil {
		return listResult{}, err
	}
	res := listResult{total: -1}
	run := func(fn func(conn) error) error { return x.run(ctx, false, fn) }
	if spec.total {
		run = func(fn func(conn) error) error { return x.snapshot(ctx, fn) }
	}
	err = run(func(tx conn) error {
		reset()
		res = listResult{total: -1}
		if spec.total {
			if err := tx.QueryRowContext(ctx, st.count, st.whereArgs...).Scan(&res.total); err != nil {
				return err
			}
		}
		rows, err := tx.QueryContext(ctx, st.query, st.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		ks := newKeyScanner(rows, len(columns), st.from)
		for n := 0; rows.Next(); n++ {
			if n == st.limit {
				res.hasMore = true
				break
			}
			// Only the last row of a full page can be a cursor's.
			ks.last = n == st.limit-1
			if err := row(ks); err != nil {
				return err
			}
			if !ks.scanned {
				return newError(CodeInternal, module, "scan function did not read the row")
			}
			ks.scanned = false
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if res.hasMore && !spec.table.View {
			// The extra row was not scanned: the keys are still the last item's.
			if res.next, err = encodeCursor(orderSignature(spec.table.Name, st.keys), ks.values()); err != nil {
				return newError(CodeInternal, module, "encode cursor").wrap(err)
			}
		}
		return nil
	})
	if err != nil {
		return listResult{}, err
	}
	return res, nil
}

// pageSize is the size of a page asked for with First(n), once n is
// known to be 0 to MaxPageSize.
func pageSize(n int) int {
	if n <= 0 {
		return DefaultPageSize
	}
	return min(n, MaxPageSize)
}

// listStmt is a list request rendered to SQL.
type listStmt struct {
	query     string
	args      []any
	count     string // the count of every matching row, with whereArgs
	whereArgs []any
	keys      []sortKey // the total order
	from      []int     // see keySources
	limit     int       // rows of the page; the query reads one more
}

// renderList checks spec and writes its statements, for an engine:
//
//	SELECT <columns> FROM <table> WHERE <conditions> [AND <after cursor>]
//	ORDER BY <sort keys>, <primary key> LIMIT n+1 [OFFSET m]
func renderList(d dialect, module string, spec listSpec, columns []string) (*listStmt, error) {
	t := spec.table
	if spec.limit < 0 || spec.limit > MaxPageSize {
		return nil, newError(CodeValidationFailed, module, "First("+strconv.Itoa(spec.limit)+"): a page holds 1 to "+
			strconv.Itoa(MaxPageSize)+" rows (MaxPageSize; 0 is DefaultPageSize); read more page by page with After(page.NextCursor)",
			"page_size", spec.limit, "max", MaxPageSize)
	}
	if spec.offset < 0 {
		return nil, newError(CodeValidationFailed, module, "offset must be 0 or more", "offset", spec.offset)
	}
	if spec.after != "" && spec.offset > 0 {
		return nil, newError(CodeValidationFailed, module, "use a cursor or an offset, not both")
	}
	st := &listStmt{limit: pageSize(spec.limit)}

	var err error
	if st.keys, err = totalOrder(module, t, spec.order); err != nil {
		return nil, err
	}
	var cursorVals []any
	if spec.after != "" && t.View {
		return nil, viewCursorError(module, t)
	}
	if spec.after != "" {
		if cursorVals, err = decodeCursor(module, spec.after, orderSignature(t.Name, st.keys), len(st.keys)); err != nil {
			return nil, err
		}
		if d == postgresDialect {
			for i, k := range st.keys {
				cursorVals[i] = pgCursorValue(t, k.col, cursorVals[i])
			}
		}
	}
	st.from = keySourcesFor(d, t, columns, st.keys)
	// The keys as the statement names them: on PostgreSQL a rowid alias
	// is the table's identity column.
	keys := st.keys
	if d == postgresDialect {
		keys = make([]sortKey, len(st.keys))
		for i, k := range st.keys {
			k.col = d.column(t, k.col)
			keys[i] = k
		}
	}

	q := sqlText{d: d}
	q.Grow(256)
	q.WriteString("SELECT ")
	q.identList(columns)
	for i, k := range keys {
		if st.from[i] < 0 {
			if d == postgresDialect {
				q.WriteString(", ")
			} else {
				q.WriteString(", +")
			}
			q.ident(k.col)
		}
	}
	fromWhere := q.Len()
	q.WriteString(" FROM ")
	q.ident(t.Name)
	q.WriteString(" WHERE ")
	if err := (expr{op: opAnd, kids: spec.where}).render(&q, module, t); err != nil {
		return nil, err
	}
	if spec.total {
		st.count = "SELECT count(*)" + q.String()[fromWhere:]
		st.whereArgs = q.args
	}
	if cursorVals != nil {
		q.WriteString(" AND ")
		keysetCondition(&q, keys, cursorVals)
	}
	q.WriteString(" ORDER BY ")
	for i, k := range keys {
		if i > 0 {
			q.WriteString(", ")
		}
		q.ident(k.col)
		if k.desc {
			q.WriteString(" DESC")
		}
		if d == postgresDialect && k.nullable {
			// SQLite's order, which the keyset condition follows:
			// PostgreSQL puts NULLs the other way round by default.
			if k.desc {
				q.WriteString(" NULLS LAST")
			} else {
				q.WriteString(" NULLS FIRST")
			}
		}
	}
	// LIMIT and OFFSET are numbers checked above, written as literals: a
	// bound LIMIT made a 50-row page 2-5% slower.
	q.WriteString(" LIMIT ")
	q.WriteString(strconv.Itoa(st.limit + 1)) // one more row tells whether there is a next page
	if spec.offset > 0 {
		q.WriteString(" OFFSET ")
		q.WriteString(strconv.Itoa(spec.offset))
	}
	st.query, st.args = q.String(), q.args
	return st, nil
}

// totalOrder validates the requested sort and completes it with the key
// columns, so that no two rows tie and keyset pages are exact.
func totalOrder(module string, t *Table, order []sortKey) ([]sortKey, error) {
	keys := make([]sortKey, 0, len(order)+len(t.PrimaryKey))
	add := func(k sortKey) error {
		ok, nullable := t.Lookup(k.col)
		if !ok {
			return columnNotFound(module, t, k.col)
		}
		for _, prev := range keys {
			if strings.EqualFold(prev.col, k.col) {
				return nil // a later sort on the same column changes nothing
			}
		}
		k.nullable = nullable
		keys = append(keys, k)
		return nil
	}
	for _, k := range order {
		if err := add(k); err != nil {
			return nil, err
		}
	}
	// The tiebreak runs the way the last sort key does: an index on that key
	// holds its rows in (key, rowid) order, so ORDER BY key DESC, id DESC is
	// one backward index scan where "id ASC" would need a sort.
	tieDesc := len(keys) > 0 && keys[len(keys)-1].desc
	for _, col := range tiebreak(t) {
		if err := add(sortKey{col: col, desc: tieDesc}); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// tiebreak is the end of every sort order: what identifies a row, or for a
// view, which has no key, all of its columns.
func tiebreak(t *Table) []string {
	if key := t.Key(); len(key) > 0 {
		return key
	}
	names := make([]string, len(t.Columns))
	for i := range t.Columns {
		names[i] = t.Columns[i].Name
	}
	return names
}

// viewCursorError refuses a keyset page of view t. A view has no key: its
// sort tiebreak is all of its columns, so rows that repeat tie completely,
// and a page that ended between two copies would skip the rest.
func viewCursorError(module string, t *Table) *Error {
	return newError(CodeValidationFailed, module, t.Name+" is a view, whose rows may repeat: "+
		"keyset pages would skip repeated rows at a page boundary; use offset pages", "table", t.Name)
}

func quoteIdent(name string) string {
	var s sqlText
	s.ident(name)
	return s.String()
}

// keySources says where the cursor reads each sort key's value from: the
// position of its column among the selected ones, or -1 when the key must
// be selected again after them as +"col".
//
// The cursor has to bind back the stored value exactly. The driver
// (ncruces/go-sqlite3, scanFromDecl) returns stored values as they are,
// except for two declared types: BOOLEAN turns 0 and 1 into a bool, which
// binds back as the same integer, and DATE, TIME, DATETIME and TIMESTAMP
// turn text and numbers into a time.Time, which does not. Such columns are
// selected again with a unary plus, which drops the declared type. Every
// other key is taken from the row the caller's scan reads anyway: selecting
// it twice made a 50-row page 15-20% slower.
func keySources(t *Table, columns []string, keys []sortKey) []int {
	return keySourcesFor(sqliteDialect, t, columns, keys)
}

// keySourcesFor is keySources for an engine. pgx reads every value as
// what binds back to its column (a timestamptz as a time.Time, a boolean
// as a bool), so on PostgreSQL a key is read from the caller's columns
// whenever they have it, a rowid alias as the identity column.
func keySourcesFor(d dialect, t *Table, columns []string, keys []sortKey) []int {
	from := make([]int, len(keys))
	for i, k := range keys {
		from[i] = -1
		if c := t.Column(k.col); c != nil && decodesTime(c.SQLType) && d != postgresDialect {
			continue
		}
		col := d.column(t, k.col)
		for p, name := range columns {
			if name == col {
				from[i] = p
				break
			}
		}
	}
	return from
}

// decodesTime reports whether the driver may read a column declared as
// sqlType as a time.Time. It errs on the safe side: any type naming a date
// or time counts.
func decodesTime(sqlType string) bool {
	u := strings.ToUpper(sqlType)
	return strings.Contains(u, "DATE") || strings.Contains(u, "TIME")
}
