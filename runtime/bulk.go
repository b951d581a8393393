package runtime

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"

	"github.com/dbgen-dev/dbgen/internal/sqliteconn"
)

// maxParams is the SQLITE_LIMIT_VARIABLE_NUMBER dbgen sets on every
// connection: the most ? one statement may bind.
const maxParams = sqliteconn.VariableNumber

// bulkRows caps the rows of one INSERT. Multi-row statements of 10 to 500
// rows ran at about the same speed per row (measured with this driver), twice
// a single-row loop's; longer ones only cost more to prepare.
const bulkRows = 100

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
	b := &bulkInsert[K]{ctx: ctx, module: module, t: table, n: n, values: values, key: key, d: x.database().dialect}
	if key != nil {
		b.returning = table.Key()
		b.out = make([]K, 0, n)
	}
	for i := range table.Columns {
		c := &table.Columns[i]
		b.family = append(b.family, c.Family())
		b.notNull = append(b.notNull, !c.Nullable)
		if i < 64 && len(table.Columns) <= 64 && c.Writable() && !c.RowID {
			b.writableMask |= 1 << i
			if c.Default != "" {
				b.defaulted |= 1 << i
			}
		}
	}
	b.fast = key != nil && b.rowidKey() && b.d != postgresDialect

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
	d         dialect
	t         *Table
	n         int
	values    func(int, *Values)
	key       func(Scanner) (K, error)
	returning []string // the key columns, nil when no key is wanted
	family    []Family
	notNull   []bool
	fast      bool // keys are rowids SQLite assigns: derived, not returned
	nearEnd   bool // the rowids are near the end of their range
	// The writable columns (the rowid alias aside) and those with a
	// DEFAULT, as masks; zero for a table past 64 columns.
	writableMask, defaulted uint64

	out   []K
	prev  int64 // largest rowid before the next chunk, -1 when unknown
	stmts map[chunkShape]*sql.Stmt

	pg pgBulk // on PostgreSQL
}

// chunkShape is what a chunk's statement depends on.
type chunkShape struct {
	union, optional uint64 // the columns the statement writes; those some rows leave unset
	wide            string // the columns, when past the mask
	rows            int
	mode            chunkMode
}

type chunkMode uint8

const (
	plainInsert    chunkMode = iota // no keys wanted
	derivedKeys                     // rowids SQLite assigns, derived
	orderedKeys                     // RETURNING the keys and the rowid, sorted by rowid
	returnedOneKey                  // RETURNING the key, one row per statement
)

// chunk is the rows waiting for the next statement: each row's values are
// contiguous in args, in the order of its own columns.
type chunk struct {
	rows     []Values // the columns each row sets (args not kept here)
	starts   []int    // where each row's values start in args
	args     []any
	setsRow  bool // the rows set the rowid themselves
	wide     bool // a row writes a column past the mask: rows must match
	union    uint64
	allOfRow uint64 // the columns every row sets
}

func (c *chunk) reset() {
	c.rows, c.starts, c.args = c.rows[:0], c.starts[:0], c.args[:0]
	c.union, c.allOfRow, c.setsRow, c.wide = 0, 0, false, false
}

// run inserts every row on tx; on a retry it starts over. Consecutive rows
// go into one statement even when they set different columns: a column
// only some of them set is written as iif(?, ?, <its DEFAULT>), with a flag
// saying whether the row sets it, so that a batch in which a few rows set
// an Opt field still goes in hundreds of rows per statement.
func (b *bulkInsert[K]) run(tx *Tx) error {
	if b.d == postgresDialect {
		return b.runPostgres(tx)
	}
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
	limit := chunkRows(b.n, len(b.t.Columns))
	c := &chunk{args: make([]any, 0, min(b.n, limit)*max(len(b.t.Columns), 1))}
	var row Values
	for i := 0; i < b.n; i++ {
		start := len(c.args)
		row = Values{args: c.args}
		b.values(i, &row)
		c.args = row.args
		if err := b.bind(&row, c.args[start:], i); err != nil {
			return err
		}
		setsRow, wide := b.setsRowID(&row), !row.cacheable()
		if len(c.rows) > 0 && (setsRow != c.setsRow || wide || c.wide && !row.sameColumns(&c.rows[0]) ||
			len(c.rows) == limit || b.oneRow(setsRow)) {
			// Flush what came before this row, then start again with it.
			own := append([]any(nil), c.args[start:]...)
			c.args = c.args[:start]
			if err := b.flush(tx, c); err != nil {
				return err
			}
			c.reset()
			start = 0
			c.args = append(c.args, own...)
		}
		if len(c.rows) == 0 {
			c.setsRow, c.wide, c.allOfRow = setsRow, wide, row.mask
		}
		c.rows = append(c.rows, Values{mask: row.mask, cols: row.cols})
		c.starts = append(c.starts, start)
		c.union |= row.mask
		c.allOfRow &= row.mask
	}
	return b.flush(tx, c)
}

// chunkRows is the number of rows of one INSERT for a batch of n rows of
// cols columns: a few hundred, but for a smaller batch about an eighth of
// it, so that a statement is prepared once and run several times: a long
// statement costs more to prepare than to run, once.
func chunkRows(n, cols int) int {
	rows := min(bulkRows, maxParams/max(2*cols, 1))
	if n < 8*rows {
		rows = max((n+7)/8, min(16, rows))
	}
	return rows
}

// oneRow reports whether rows must go one per statement: only a row at a
// time tells which key RETURNING gives back for a row that sets its rowid,
// or for a table without one.
func (b *bulkInsert[K]) oneRow(setsRow bool) bool {
	return b.mode(setsRow) == returnedOneKey
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
		arg, err := b.d.bind(b.family[c], b.notNull[c], args[j])
		if err != nil {
			return columnError(b.module, b.t, b.t.Columns[c].Name, err)
		}
		args[j] = arg
	}
	return nil
}

// mode says how a chunk returns its keys.
func (b *bulkInsert[K]) mode(setsRow bool) chunkMode {
	switch {
	case b.key == nil:
		return plainInsert
	case setsRow || !b.t.HasRowID() || b.nearEnd:
		return returnedOneKey
	case b.fast:
		return derivedKeys
	}
	return orderedKeys
}

// flush inserts the rows of c with one statement (or, for rows that set no
// column at all, DEFAULT VALUES, one each).
func (b *bulkInsert[K]) flush(tx *Tx, c *chunk) error {
	if len(c.rows) == 0 {
		return nil
	}
	mode := b.mode(c.setsRow)
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
		if mode = b.mode(c.setsRow); mode == returnedOneKey && len(c.rows) > 1 {
			return b.oneByOne(tx, c)
		}
	}
	cols := c.rows[0].columns()
	optional := uint64(0)
	if !c.wide {
		// Every column the batch may write, whichever rows set it, so that one
		// statement serves every chunk: a column without a DEFAULT that a row
		// leaves unset gets NULL, as it would if left out, and one with a
		// DEFAULT is written through iif (see run).
		union := c.union | b.writable(c.setsRow)
		cols = (&Values{mask: union}).columns()
		optional = union &^ c.allOfRow & b.defaulted
		c.union = union
	}
	if len(cols) == 0 {
		if len(c.rows) > 1 {
			return b.oneByOne(tx, c)
		}
		return b.statement(tx, c, mode, nil, 0, nil)
	}
	args := c.args
	if c.union != c.allOfRow {
		args = make([]any, 0, len(c.rows)*(len(cols)+bits.OnesCount64(optional)))
		for r, row := range c.rows {
			own := c.args[c.starts[r]:]
			j := 0
			for _, col := range cols {
				set := row.mask&(1<<col) != 0
				var v any
				if set {
					v = own[j]
					j++
				}
				if optional&(1<<col) == 0 {
					args = append(args, v)
				} else {
					args = append(args, set, v)
				}
			}
		}
	}
	return b.statement(tx, c, mode, cols, optional, args)
}

// writable is the columns every statement of the batch writes: the
// writable ones, with the rowid alias when the rows set it.
func (b *bulkInsert[K]) writable(setsRow bool) uint64 {
	m := b.writableMask
	if setsRow {
		for i := range b.t.Columns {
			if b.t.Columns[i].RowID && i < 64 {
				m |= 1 << i
			}
		}
	}
	return m
}

// oneByOne inserts the rows of c a statement each.
func (b *bulkInsert[K]) oneByOne(tx *Tx, c *chunk) error {
	rows, starts, args := c.rows, c.starts, c.args
	for r := range rows {
		end := len(args)
		if r+1 < len(rows) {
			end = starts[r+1]
		}
		one := &chunk{rows: rows[r : r+1], starts: []int{0}, args: args[starts[r]:end], setsRow: c.setsRow, wide: c.wide,
			union: rows[r].mask, allOfRow: rows[r].mask}
		if err := b.flush(tx, one); err != nil {
			return err
		}
	}
	return nil
}

// statement runs one INSERT of the rows of c, writing cols (the optional
// ones through iif), with args.
func (b *bulkInsert[K]) statement(tx *Tx, c *chunk, mode chunkMode, cols []int, optional uint64, args []any) error {
	shape := chunkShape{union: c.union, optional: optional, rows: len(c.rows), mode: mode}
	if c.wide {
		shape.wide = fmt.Sprint(c.rows[0].cols)
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
		names := make([]string, len(cols))
		cells := make([]string, len(cols))
		for i, col := range cols {
			names[i], cells[i] = b.t.Columns[col].Name, "?"
			if optional&(1<<col) != 0 {
				def := b.t.Columns[col].Default
				if def == "" {
					def = "NULL"
				}
				cells[i] = "iif(?, ?, " + def + ")"
			}
		}
		var err error
		if stmt, err = tx.PrepareContext(b.ctx, insertCellsSQL(b.t, names, cells, len(c.rows), returning)); err != nil {
			return err
		}
		b.stmts[shape] = stmt
	}
	switch mode {
	case plainInsert:
		_, err := stmt.ExecContext(b.ctx, args...)
		return err
	case derivedKeys:
		last, err := execRowIDs(b.ctx, stmt, args, b.prev, len(c.rows), b.key, &b.out)
		b.prev = last
		return err
	}
	if c.setsRow {
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
