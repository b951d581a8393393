package runtime

import (
	"bytes"
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
)

// Page sizes: First(n) asks for n rows, DefaultPageSize when n <= 0, and
// never more than MaxPageSize, so that one request cannot read a whole table.
const (
	DefaultPageSize = 50
	MaxPageSize     = 1000
)

// Col is a column of the table or view whose rows are T, holding values of
// type V. Generated packages declare one per column (UserEmail, ...), so a
// condition on the wrong table or with the wrong value type does not compile.
type Col[T, V any] struct {
	table *Table
	name  string
}

// NewCol is called by generated code with names from its own metadata.
func NewCol[T, V any](table *Table, name string) Col[T, V] {
	return Col[T, V]{table: table, name: name}
}

// Name is the column name.
func (c Col[T, V]) Name() string { return c.name }

// Table is the table or view the column belongs to.
func (c Col[T, V]) Table() *Table { return c.table }

func (c Col[T, V]) cond(op exprOp, args ...any) Cond[T] {
	return Cond[T]{e: expr{op: op, col: c.name, args: args}}
}

// Eq matches rows where the column equals v; a nil or invalid sql.Null* v
// matches NULL.
func (c Col[T, V]) Eq(v V) Cond[T] { return c.cond(opEq, v) }

// NotEq matches rows where the column differs from v (NULLs never do, as in
// SQL); a nil or invalid sql.Null* v matches every non-NULL value.
func (c Col[T, V]) NotEq(v V) Cond[T] { return c.cond(opNe, v) }

// In matches rows whose value is one of vs; with no vs it matches nothing.
func (c Col[T, V]) In(vs ...V) Cond[T] {
	args := make([]any, len(vs))
	for i, v := range vs {
		args[i] = v
	}
	return c.cond(opIn, args...)
}

func (c Col[T, V]) Gt(v V) Cond[T]  { return c.cond(opGt, v) }
func (c Col[T, V]) Gte(v V) Cond[T] { return c.cond(opGte, v) }
func (c Col[T, V]) Lt(v V) Cond[T]  { return c.cond(opLt, v) }
func (c Col[T, V]) Lte(v V) Cond[T] { return c.cond(opLte, v) }

// Like matches SQL LIKE patterns: % any run, _ one character, ASCII letters
// case-insensitively.
func (c Col[T, V]) Like(pattern string) Cond[T] { return c.cond(opLike, pattern) }

func (c Col[T, V]) IsNull() Cond[T]  { return c.cond(opIsNull) }
func (c Col[T, V]) NotNull() Cond[T] { return c.cond(opNotNull) }

// Asc and Desc sort by the column. NULLs sort first ascending, last
// descending, as SQLite does.
func (c Col[T, V]) Asc() Order[T]  { return Order[T]{col: c.name} }
func (c Col[T, V]) Desc() Order[T] { return Order[T]{col: c.name, desc: true} }

// Cond is a condition on rows of type T. The zero Cond matches every row.
type Cond[T any] struct{ e expr }

// And matches rows that meet every condition; with none, every row.
func And[T any](cs ...Cond[T]) Cond[T] { return group[T](opAnd, cs) }

// Or matches rows that meet at least one condition; with none, no row.
func Or[T any](cs ...Cond[T]) Cond[T] { return group[T](opOr, cs) }

func group[T any](op exprOp, cs []Cond[T]) Cond[T] {
	kids := make([]expr, len(cs))
	for i, c := range cs {
		kids[i] = c.e
	}
	return Cond[T]{e: expr{op: op, kids: kids}}
}

// Order is one sort key over rows of type T.
type Order[T any] struct {
	col  string
	desc bool
}

// Query describes one page of a dynamic list. Its methods return a changed
// copy, so a base query can be shared and refined per request.
type Query[T any] struct {
	spec listSpec
}

// NewQuery starts a query over table; generated code calls it as UserQuery().
func NewQuery[T any](table *Table) *Query[T] { return &Query[T]{spec: listSpec{table: table}} }

func (q *Query[T]) clone() *Query[T] {
	c := *q
	c.spec.where = slices.Clip(c.spec.where)
	c.spec.order = slices.Clip(c.spec.order)
	return &c
}

// Where adds conditions; all of them must hold.
func (q *Query[T]) Where(cs ...Cond[T]) *Query[T] {
	c := q.clone()
	for _, cond := range cs {
		c.spec.where = append(c.spec.where, cond.e)
	}
	return c
}

// OrderBy adds sort keys. The primary key (the rowid when there is none) is
// always appended as a final tiebreak, in the direction of the last key, so
// every order is total.
func (q *Query[T]) OrderBy(os ...Order[T]) *Query[T] {
	c := q.clone()
	for _, o := range os {
		c.spec.order = append(c.spec.order, sortKey{col: o.col, desc: o.desc})
	}
	return c
}

// First sets the page size: DefaultPageSize when n <= 0, at most MaxPageSize.
func (q *Query[T]) First(n int) *Query[T] { c := q.clone(); c.spec.limit = n; return c }

// After continues from a Page's NextCursor (keyset pagination: cost does not
// grow with depth, and rows inserted meanwhile are neither skipped nor
// repeated). It cannot be combined with Offset. A view has no key, and rows
// that repeat would be skipped where a page ends between them, so its
// pages have no cursor: page a view with Offset.
func (q *Query[T]) After(cursor string) *Query[T] { c := q.clone(); c.spec.after = cursor; return c }

// Offset skips n rows (offset pagination: simple, but each page re-reads the
// rows before it).
func (q *Query[T]) Offset(n int) *Query[T] { c := q.clone(); c.spec.offset = n; return c }

// WithTotal also counts every row that matches the conditions.
func (q *Query[T]) WithTotal() *Query[T] { c := q.clone(); c.spec.total = true; return c }

// Page is one page of a list.
type Page[T any] struct {
	Items      []T
	Total      int64  // rows matching the conditions; -1 unless WithTotal
	NextCursor string // pass to After for the next page; "" on the last page and for a view
	HasMore    bool
}

// Scanner is what a generated scan function reads a row from (*sql.Row and
// *sql.Rows are Scanners).
type Scanner interface{ Scan(dest ...any) error }

// List runs q on db's read pool. scan reads one row whose columns are every
// column of the table, in table order (the generated model's scan).
//
//	SELECT <columns> FROM <table> WHERE <conditions> [AND <after cursor>]
//	ORDER BY <sort keys>, <primary key> LIMIT n+1 [OFFSET m]
func List[T any](ctx context.Context, db *DB, q *Query[T], scan func(Scanner) (T, error)) (Page[T], error) {
	if q == nil || q.spec.table == nil {
		return Page[T]{}, newError(CodeValidationFailed, db.def.Name, "nil query or table")
	}
	var items []T
	res, err := db.list(ctx, q.spec, columnNames(q.spec.table), func(s Scanner) error {
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

// list runs spec, selecting columns, and hands each row of the page to row.
// reset is called before a retried attempt reads the rows again.
func (db *DB) list(ctx context.Context, spec listSpec, columns []string, row func(Scanner) error, reset func()) (listResult, error) {
	module := db.def.Name
	st, err := renderList(module, spec, columns)
	if err != nil {
		return listResult{}, err
	}
	res := listResult{total: -1}
	err = db.read(ctx, spec.total, func(tx querier) error {
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

// pageSize is the size of a page asked for with First(n).
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

// renderList checks spec and writes its statements:
//
//	SELECT <columns> FROM <table> WHERE <conditions> [AND <after cursor>]
//	ORDER BY <sort keys>, <primary key> LIMIT n+1 [OFFSET m]
func renderList(module string, spec listSpec, columns []string) (*listStmt, error) {
	t := spec.table
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
	}
	st.from = keySources(t, columns, st.keys)

	var q sqlText
	q.Grow(256)
	q.WriteString("SELECT ")
	q.identList(columns)
	for i, k := range st.keys {
		if st.from[i] < 0 {
			q.WriteString(", +")
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
		keysetCondition(&q, st.keys, cursorVals)
	}
	q.WriteString(" ORDER BY ")
	for i, k := range st.keys {
		if i > 0 {
			q.WriteString(", ")
		}
		q.ident(k.col)
		if k.desc {
			q.WriteString(" DESC")
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

// querier is what both *sql.Tx and *sql.DB offer for reading.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// read runs fn on the read pool, retried like ReadTx. A page and its total
// must come from one snapshot, so they share a transaction; a single query
// is a snapshot by itself and skips the BEGIN and COMMIT round trips.
func (db *DB) read(ctx context.Context, snapshot bool, fn func(querier) error) error {
	if snapshot {
		return db.ReadTx(ctx, func(tx *sql.Tx) error { return fn(tx) })
	}
	err := db.retry(ctx, "read", func() error { return fn(db.reader) })
	if err == nil {
		db.counters.readTxs.Add(1)
	}
	return err
}

// totalOrder validates the requested sort and completes it with the key
// columns, so that no two rows tie and keyset pages are exact.
func totalOrder(module string, t *Table, order []sortKey) ([]sortKey, error) {
	keys := make([]sortKey, 0, len(order)+len(t.PrimaryKey))
	add := func(k sortKey) error {
		ok, nullable := lookupColumn(t, k.col)
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
	for _, col := range keyColumns(t) {
		if err := add(sortKey{col: col, desc: tieDesc}); err != nil {
			return nil, err
		}
	}
	return keys, nil
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
	from := make([]int, len(keys))
	for i, k := range keys {
		from[i] = -1
		if c := t.Column(k.col); c != nil && decodesTime(c.SQLType) {
			continue
		}
		for p, name := range columns {
			if name == k.col {
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

// keyScanner hands rows to a scan function that knows only the selected
// columns, and keeps the sort-key values of the last row of the page for the
// cursor: a key read by the caller passes through a keyDest on its way to
// the caller's destination, a key selected again is read on the side. Other
// rows go straight to the caller's destinations.
type keyScanner struct {
	rows    *sql.Rows
	ncols   int
	from    []int
	keys    []keyDest
	extra   []any // destinations of the keys selected again
	buf     []any
	discard any
	last    bool // the row is the last of the page: keep its keys
	scanned bool
}

func newKeyScanner(rows *sql.Rows, ncols int, from []int) *keyScanner {
	ks := &keyScanner{rows: rows, ncols: ncols, from: from, keys: make([]keyDest, len(from))}
	for i, p := range from {
		if p < 0 {
			ks.extra = append(ks.extra, &ks.keys[i].val)
		}
	}
	return ks
}

func (ks *keyScanner) Scan(dest ...any) error {
	ks.scanned = true
	if !ks.last && len(ks.extra) == 0 {
		return ks.rows.Scan(dest...)
	}
	buf := append(ks.buf[:0], dest...)
	capture := ks.last && len(dest) == ks.ncols // otherwise database/sql reports the mismatch
	if capture {
		for i, p := range ks.from {
			if p >= 0 {
				k := &ks.keys[i]
				k.dest, k.pending = dest[p], false
				buf[p] = k
			}
		}
	}
	buf = append(buf, ks.extra...)
	ks.buf = buf
	if err := ks.rows.Scan(buf...); err != nil || !capture {
		return err
	}
	return ks.convertPending()
}

// convertPending hands the key values that keyDest.Scan left alone to
// database/sql's own conversion, by scanning the row again with every other
// column going to a throwaway destination, so each of the caller's
// destinations is still written exactly once.
func (ks *keyScanner) convertPending() error {
	again := false
	for i := range ks.keys {
		again = again || ks.keys[i].pending
	}
	if !again {
		return nil
	}
	buf := ks.buf[:0]
	for range ks.ncols {
		buf = append(buf, &ks.discard)
	}
	for i, p := range ks.from {
		if p >= 0 && ks.keys[i].pending {
			buf[p] = ks.keys[i].dest
		}
	}
	for range ks.extra {
		buf = append(buf, &ks.discard)
	}
	ks.buf = buf
	return ks.rows.Scan(buf...)
}

// values are the sort-key values of the last row of the page.
func (ks *keyScanner) values() []any {
	vals := make([]any, len(ks.keys))
	for i := range ks.keys {
		vals[i] = ks.keys[i].val
	}
	return vals
}

// keyDest stands in for the caller's destination of a sort key column. It
// keeps the value as the driver returned it and stores it in dest the way
// database/sql would, for the destinations generated code uses; any other
// it leaves pending for database/sql to convert.
type keyDest struct {
	dest    any
	val     any
	pending bool
}

func (k *keyDest) Scan(src any) error {
	k.val = src
	if b, ok := src.([]byte); ok {
		k.val = bytes.Clone(b) // the driver reuses its buffer for the next row
	}
	switch d := k.dest.(type) {
	case sql.Scanner: // what database/sql does for any Scanner (sql.Null*, ...)
		return d.Scan(src)
	case *int64:
		if v, ok := src.(int64); ok {
			*d = v
			return nil
		}
	case *float64:
		if v, ok := src.(float64); ok {
			*d = v
			return nil
		}
	case *string:
		if v, ok := src.(string); ok {
			*d = v
			return nil
		}
	case *bool:
		if v, ok := src.(bool); ok {
			*d = v
			return nil
		}
	case *any:
		if b, ok := src.([]byte); ok {
			*d = bytes.Clone(b) // as database/sql does
		} else {
			*d = src
		}
		return nil
	}
	k.pending = true
	return nil
}
