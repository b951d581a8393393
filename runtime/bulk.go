package runtime

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
)

// maxParams is SQLite's default SQLITE_MAX_VARIABLE_NUMBER (since 3.32):
// the most ? one statement may bind.
const maxParams = 32766

// bulkRows caps the rows of one INSERT. Past a few hundred rows a longer
// statement saves nothing measurable and only costs parsing time and memory.
const bulkRows = 500

// InsertMany inserts n rows into table with multi-row INSERT ... VALUES
// statements, through x: on a *DB in one write transaction of its own
// (retried as a whole on lock errors), in a *Tx inside it. values writes
// the columns row i sets into v, in table order (see Values); consecutive
// rows that set the same columns share statements, each prepared once, so
// a batch whose rows set the same fields goes in hundreds of rows per
// statement, and columns a row leaves unset get their DEFAULT.
//
// With key non-nil, the key of each inserted row (Table.Key) is read by key
// and returned in input order. When the key is the rowid and SQLite assigns
// it, it is derived rather than read back (see bulkkeys.go), which makes the
// keys nearly free. Otherwise the keys come from RETURNING, whose order
// SQLite documents as arbitrary: rows are put in input order by the rowid
// SQLite assigns in input order, returned with them, and where a row sets
// its rowid itself or the table has none, each row is inserted by a
// statement of its own.
func InsertMany[K any](ctx context.Context, x Executor, table *Table, n int,
	values func(i int, v *Values), key func(Scanner) (K, error)) ([]K, error) {
	module := x.database().def.Name
	switch {
	case table == nil:
		return nil, newError(CodeValidationFailed, module, "nil table")
	case table.View || table.Virtual:
		return nil, newError(CodeValidationFailed, module, table.Name+" is read-only here: it is a view or a virtual table", "table", table.Name)
	case n < 0:
		return nil, newError(CodeValidationFailed, module, "negative row count", "table", table.Name, "rows", n)
	case values == nil:
		return nil, newError(CodeValidationFailed, module, "nil values function", "table", table.Name)
	case key != nil && len(table.Key()) == 0:
		return nil, newError(CodeValidationFailed, module, table.Name+" has no key to return", "table", table.Name)
	}
	if n == 0 {
		return nil, nil
	}
	b := &bulkInsert[K]{ctx: ctx, module: module, t: table, n: n, values: values, key: key}
	if key != nil {
		b.returning = table.Key()
		b.out = make([]K, 0, n)
	}
	for i := range table.Columns {
		b.family = append(b.family, table.Columns[i].Family())
		b.notNull = append(b.notNull, !table.Columns[i].Nullable)
	}
	b.fast = key != nil && b.rowidKey()

	var err error
	switch x := x.(type) {
	case *DB:
		err = x.WriteTx(ctx, b.run)
		if errors.Is(err, errRowIDGap) {
			b.fast = false // rolled back: do it again the general way
			err = x.WriteTx(ctx, b.run)
		}
	case *Tx:
		err = b.inSavepoint(x)
	default:
		err = newError(CodeInternal, module, fmt.Sprintf("unknown executor %T", x))
	}
	if err != nil {
		var written []string
		for _, c := range table.Columns {
			written = append(written, c.Name)
		}
		return nil, explainConstraint(Translate(module, err), table, written)
	}
	return b.out, nil
}

// inSavepoint runs the insert inside tx, under a savepoint, so that a
// failed or redone attempt leaves the rest of tx as it was.
func (b *bulkInsert[K]) inSavepoint(tx *Tx) error {
	if !tx.write {
		return newError(CodeReadOnly, b.module, "bulk insert in a read transaction", "table", b.t.Name)
	}
	attempt := func() error {
		if _, err := tx.ExecContext(b.ctx, "SAVEPOINT dbgen_insert_many"); err != nil {
			return err
		}
		err := b.run(tx)
		if err != nil {
			if _, rerr := tx.ExecContext(b.ctx, "ROLLBACK TO dbgen_insert_many"); rerr != nil {
				return errors.Join(err, rerr)
			}
		}
		if _, rerr := tx.ExecContext(b.ctx, "RELEASE dbgen_insert_many"); rerr != nil && err == nil {
			err = rerr
		}
		return err
	}
	err := attempt()
	if errors.Is(err, errRowIDGap) {
		b.fast = false
		err = attempt()
	}
	return err
}

// bulkInsert is one InsertMany call.
type bulkInsert[K any] struct {
	ctx       context.Context
	module    string
	t         *Table
	n         int
	values    func(int, *Values)
	key       func(Scanner) (K, error)
	returning []string // the key columns, nil when no key is wanted
	family    []Family
	notNull   []bool
	fast      bool // keys are rowids SQLite assigns: derived, not returned
	nearEnd   bool // the rowids are near the end of their range

	out   []K
	prev  int64 // largest rowid before the next chunk, -1 when unknown
	stmts map[chunkShape]*sql.Stmt
}

// chunkShape is what a chunk's statement depends on.
type chunkShape struct {
	mask uint64
	wide string // the columns, when past the mask
	rows int
	mode chunkMode
}

type chunkMode uint8

const (
	plainInsert    chunkMode = iota // no keys wanted
	derivedKeys                     // rowids SQLite assigns, derived
	orderedKeys                     // RETURNING the keys and the rowid, sorted by rowid
	returnedOneKey                  // RETURNING the key, one row per statement
)

// run inserts every row on tx; on a retry it starts over.
func (b *bulkInsert[K]) run(tx *Tx) error {
	b.out = b.out[:0]
	b.prev, b.nearEnd = -1, false
	b.stmts = map[chunkShape]*sql.Stmt{}
	defer func() {
		for _, st := range b.stmts {
			st.Close()
		}
	}()
	if b.fast {
		ok, err := noTriggers(b.ctx, tx, b.t)
		if err != nil {
			return err
		}
		b.fast = ok
	}

	var (
		buf  = make([]any, 0, min(b.n, bulkRows)*max(len(b.t.Columns), 1))
		cur  Values
		rows int
	)
	for i := 0; i < b.n; i++ {
		start := len(buf)
		row := Values{args: buf}
		b.values(i, &row)
		buf = row.args
		if err := b.bind(&row, buf[start:], i); err != nil {
			return err
		}
		if rows > 0 && (!row.sameColumns(&cur) || rows == b.limit(&cur)) {
			if err := b.flush(tx, buf[:start], rows, &cur); err != nil {
				return err
			}
			buf = append(buf[:0], buf[start:]...)
			rows = 0
		}
		if rows == 0 {
			cur = Values{mask: row.mask, cols: row.cols}
		}
		rows++
	}
	return b.flush(tx, buf, rows, &cur)
}

// bind puts row i's values through the codec.
func (b *bulkInsert[K]) bind(v *Values, args []any, i int) error {
	cols := v.columns()
	if len(cols) != len(args) {
		return newError(CodeInternal, b.module, fmt.Sprintf("row %d: %d values for %d columns", i, len(args), len(cols)), "table", b.t.Name)
	}
	for j, c := range cols {
		if c < 0 || c >= len(b.family) {
			return newError(CodeInternal, b.module, fmt.Sprintf("row %d: no column %d in %s", i, c, b.t.Name), "table", b.t.Name)
		}
		if b.t.Columns[c].Generated {
			return checkWritable(b.module, b.t, b.t.Columns[c].Name)
		}
		arg, err := bindArg(b.family[c], b.notNull[c], args[j])
		if err != nil {
			return columnError(b.module, b.t, b.t.Columns[c].Name, err)
		}
		args[j] = arg
	}
	return nil
}

// mode says how a chunk writing v's columns returns its keys.
func (b *bulkInsert[K]) mode(v *Values) chunkMode {
	switch {
	case b.key == nil:
		return plainInsert
	case b.setsRowID(v) || !b.t.HasRowID() || b.nearEnd:
		return returnedOneKey
	case b.fast:
		return derivedKeys
	}
	return orderedKeys
}

// limit is the number of rows a chunk writing v's columns may hold.
func (b *bulkInsert[K]) limit(v *Values) int {
	if v.Len() == 0 && len(v.columns()) == 0 || b.mode(v) == returnedOneKey {
		return 1 // DEFAULT VALUES, and keys only a row at a time can tell
	}
	return min(bulkRows, maxParams/max(len(v.columns()), 1))
}

func (b *bulkInsert[K]) flush(tx *Tx, args []any, rows int, v *Values) error {
	if rows == 0 {
		return nil
	}
	cols := v.columns()
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = b.t.Columns[c].Name
	}
	if len(cols) == 0 {
		// DEFAULT VALUES takes no rows list: one statement per row.
		for range rows {
			if err := b.chunk(tx, nil, 1, v, names); err != nil {
				return err
			}
		}
		return nil
	}
	limit := b.limit(v)
	per := len(cols)
	for start := 0; start < rows; start += limit {
		k := min(limit, rows-start)
		if err := b.chunk(tx, args[start*per:(start+k)*per], k, v, names); err != nil {
			return err
		}
	}
	return nil
}

// chunk inserts rows rows with one statement.
func (b *bulkInsert[K]) chunk(tx *Tx, args []any, rows int, v *Values, names []string) error {
	mode := b.mode(v)
	if (mode == derivedKeys || mode == orderedKeys) && b.prev < 0 {
		largest, err := largestRowID(b.ctx, tx, b.t, b.t.RowIDName())
		if err != nil {
			return err
		}
		switch {
		case largest < 0 || largest > math.MaxInt64/2:
			// Near the end of the range SQLite may pick rowids at random:
			// neither derived nor sorted by rowid, keys come a row at a time.
			b.fast, b.nearEnd = false, true
		case largest > math.MaxInt64-int64(b.n):
			b.fast = false
		}
		b.prev = largest
		mode = b.mode(v)
	}
	shape := chunkShape{mask: v.mask, rows: rows, mode: mode}
	if !v.cacheable() {
		shape.wide = fmt.Sprint(v.cols)
	}
	stmt := b.stmts[shape]
	if stmt == nil {
		var returning []string
		switch mode {
		case orderedKeys:
			returning = append(slices.Clip(b.returning), b.t.RowIDName())
		case returnedOneKey:
			returning = b.returning
		}
		var err error
		if stmt, err = tx.PrepareContext(b.ctx, insertSQL(b.t, names, rows, returning)); err != nil {
			return err
		}
		b.stmts[shape] = stmt
	}
	switch mode {
	case plainInsert:
		_, err := stmt.ExecContext(b.ctx, args...)
		return err
	case derivedKeys:
		last, err := execRowIDs(b.ctx, stmt, args, b.prev, rows, b.key, &b.out)
		b.prev = last
		return err
	}
	if b.setsRowID(v) {
		b.prev = -1 // a rowid of the caller's: the next chunk looks again
	}
	return queryInto(b.ctx, stmt, args, mode == orderedKeys, b.key, &b.out)
}

// rowidKey reports whether the key is the rowid (or its INTEGER PRIMARY
// KEY alias), which SQLite assigns in input order.
func (b *bulkInsert[K]) rowidKey() bool {
	key := b.t.Key()
	if !b.t.HasRowID() || len(key) != 1 {
		return false
	}
	if c := b.t.Column(key[0]); c != nil {
		return c.RowID
	}
	return true
}

// setsRowID reports whether v writes the rowid's alias column.
func (b *bulkInsert[K]) setsRowID(v *Values) bool {
	for _, c := range v.columns() {
		if b.t.Columns[c].RowID {
			return true
		}
	}
	return false
}

// queryInto runs a RETURNING statement and appends what scan reads of each
// row. With ordered, the statement returns the rowid after the caller's
// columns, and the rows are appended in rowid order, which is input order;
// without, the statement inserts one row.
func queryInto[T any](ctx context.Context, stmt *sql.Stmt, args []any, ordered bool,
	scan func(Scanner) (T, error), out *[]T) error {
	rows, err := stmt.QueryContext(ctx, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	if !ordered {
		for rows.Next() {
			item, err := scan(rows)
			if err != nil {
				return err
			}
			*out = append(*out, item)
		}
		return rows.Err()
	}
	type keyed struct {
		rowid int64
		item  T
	}
	var (
		got []keyed
		row = rowidLast{rows: rows}
	)
	for rows.Next() {
		item, err := scan(&row)
		if err != nil {
			return err
		}
		got = append(got, keyed{row.rowid, item})
	}
	if err := rows.Err(); err != nil {
		return err
	}
	slices.SortFunc(got, func(a, b keyed) int { return cmp.Compare(a.rowid, b.rowid) })
	for _, k := range got {
		*out = append(*out, k.item)
	}
	return nil
}

// rowidLast scans a returned row whose last column is the rowid that
// InsertMany added to the key columns.
type rowidLast struct {
	rows  *sql.Rows
	rowid int64
}

func (r *rowidLast) Scan(dest ...any) error {
	return r.rows.Scan(append(dest, &r.rowid)...)
}

// checkWritable reports whether inserts and updates may set column c of t.
func checkWritable(module string, t *Table, c string) error {
	col := t.Column(c)
	if col == nil {
		if ok, _ := t.Lookup(c); ok {
			return nil // the implicit rowid may be set explicitly
		}
		return columnNotFound(module, t, c)
	}
	if !col.Writable() {
		return newError(CodeValidationFailed, module, "column "+c+" of "+t.Name+" is generated: it cannot be written",
			"table", t.Name, "column", c)
	}
	return nil
}
