package runtime

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/bits"
	"sync"
)

// TypedTable is a table or view together with the Go type T its rows are
// read into. A generated package declares one per table and its methods
// (CreateProduct, GetProduct, UpdateProducts, ...) are one call into it, on
// whichever Executor they are given: the database or a transaction. It
// builds each statement's SQL once per set of written columns and keeps it.
type TypedTable[T any] struct {
	t       *Table
	scan    func(Scanner) (T, error)
	columns []string // what a row is read as: Table.RecordColumns
	family  []Family // of each of t.Columns
	notNull []bool
	key     []string
	keyFam  []Family
	get     string   // SELECT by key
	getBy   []string // SELECT by each UNIQUE set
	del     string
	count   string

	inserts, updates sync.Map // Values.mask -> SQL
	identity         sync.Map // identityKey -> SQL, on PostgreSQL: see identityQuery
	upserts          []sync.Map
}

// NewTypedTable is called by generated code, once per table, with its
// metadata and the scan function of its model, which reads the columns
// Table.RecordColumns names, in order.
func NewTypedTable[T any](t *Table, scan func(Scanner) (T, error)) *TypedTable[T] {
	tt := &TypedTable[T]{t: t, scan: scan, columns: t.RecordColumns(), key: t.Key()}
	for i := range t.Columns {
		tt.family = append(tt.family, t.Columns[i].Family())
		tt.notNull = append(tt.notNull, !t.Columns[i].Nullable)
	}
	tt.keyFam = tt.families(tt.key)
	var s sqlText
	s.WriteString("SELECT count(*) FROM ")
	s.ident(t.Name)
	tt.count = s.String()
	if t.View {
		return tt
	}
	if len(tt.key) > 0 {
		tt.get = selectByKeySQL(t, tt.columns, tt.key)
		tt.del = deleteByKeySQL(t, tt.key)
	}
	for _, set := range t.Unique {
		tt.getBy = append(tt.getBy, selectByKeySQL(t, tt.columns, set))
	}
	tt.upserts = make([]sync.Map, 1+len(t.Unique))
	return tt
}

// Table is the metadata the typed table was made with.
func (tt *TypedTable[T]) Table() *Table { return tt.t }

func (tt *TypedTable[T]) families(cols []string) []Family {
	fams := make([]Family, len(cols))
	for i, name := range cols {
		if c := tt.t.Column(name); c != nil {
			fams[i] = c.Family()
		} else {
			fams[i] = FamilyInteger // the rowid
		}
	}
	return fams
}

// Create inserts one row, the columns v does not set getting their DEFAULT,
// and returns it as stored.
func (tt *TypedTable[T]) Create(ctx context.Context, x Executor, v Values) (T, error) {
	var zero T
	module := x.database().def.Name
	if err := tt.writable(module); err != nil {
		return zero, err
	}
	query, bumped, err := tt.identityQuery(ctx, x, 'i', &v, func(cols, cells []string) string {
		return insertCellsSQL(tt.t, cols, cells, 1, tt.columns)
	})
	if err != nil {
		return zero, err
	}
	if !bumped {
		query = tt.cached(&tt.inserts, &v, func(cols []string) string { return insertSQL(tt.t, cols, 1, tt.columns) })
	}
	if err := tt.bind(x, &v); err != nil {
		return zero, err
	}
	return tt.writeRow(ctx, x, query, v.args, &v, nil, bumped)
}

// Upsert inserts one row or, when it conflicts with an existing row on the
// primary key (target -1) or on UNIQUE set target of Table.Unique, updates
// that row's columns that v sets, key columns excepted, and returns the row
// as stored.
func (tt *TypedTable[T]) Upsert(ctx context.Context, x Executor, target int, v Values) (T, error) {
	var zero T
	module := x.database().def.Name
	if err := tt.writable(module); err != nil {
		return zero, err
	}
	conflict := tt.t.PrimaryKey
	if target < -1 {
		return zero, newError(CodeValidationFailed, module, fmt.Sprintf("%s has no UNIQUE set %d", tt.t.Name, target))
	}
	if target >= 0 {
		if target >= len(tt.t.Unique) {
			return zero, newError(CodeValidationFailed, module, fmt.Sprintf("%s has no UNIQUE set %d", tt.t.Name, target))
		}
		conflict = tt.t.Unique[target]
	} else if tt.t.RowIDKeyed() {
		return zero, newError(CodeValidationFailed, module, tt.t.Name+" has no primary key to upsert on", "table", tt.t.Name)
	}
	build := func(cols, cells []string) string {
		var set []string
		for _, c := range cols {
			if !contains(conflict, c) && !contains(tt.t.PrimaryKey, c) {
				set = append(set, c)
			}
		}
		return upsertCellsSQL(tt.t, cols, cells, conflict, set, tt.columns)
	}
	query, bumped, err := tt.identityQuery(ctx, x, byte('u'+target+1), &v, build)
	if err != nil {
		return zero, err
	}
	if !bumped {
		query = tt.cached(&tt.upserts[target+1], &v, func(cols []string) string { return build(cols, nil) })
	}
	if err := tt.bind(x, &v); err != nil {
		return zero, err
	}
	return tt.writeRow(ctx, x, query, v.args, &v, nil, bumped)
}

// Get returns the row with the given primary key (or rowid).
func (tt *TypedTable[T]) Get(ctx context.Context, x Executor, key ...any) (T, error) {
	return tt.getRow(ctx, x, tt.get, tt.key, tt.keyFam, key)
}

// GetBy returns the row whose UNIQUE set number set of Table.Unique has
// the given values.
func (tt *TypedTable[T]) GetBy(ctx context.Context, x Executor, set int, vals ...any) (T, error) {
	if set < 0 || set >= len(tt.getBy) {
		var zero T
		return zero, newError(CodeValidationFailed, x.database().def.Name, fmt.Sprintf("%s has no UNIQUE set %d", tt.t.Name, set))
	}
	cols := tt.t.Unique[set]
	return tt.getRow(ctx, x, tt.getBy[set], cols, tt.families(cols), vals)
}

func (tt *TypedTable[T]) getRow(ctx context.Context, x Executor, query string, cols []string, fams []Family, key []any) (T, error) {
	var out T
	module := x.database().def.Name
	args, err := tt.bindKey(x, cols, fams, key)
	if err != nil {
		return out, err
	}
	err = x.run(ctx, false, func(c conn) error {
		var err error
		out, err = tt.scan(c.QueryRowContext(ctx, query, args...))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return out, notFoundError(module, tt.t, cols, key)
	}
	return out, err
}

// Update writes the columns set sets on the row with the given key and
// returns the row as stored; with nothing set it returns the row as it is.
// A key that matches no row is ErrNotFound.
func (tt *TypedTable[T]) Update(ctx context.Context, x Executor, set Values, key ...any) (T, error) {
	var zero T
	module := x.database().def.Name
	if err := tt.writable(module); err != nil {
		return zero, err
	}
	if set.Len() == 0 {
		return tt.Get(ctx, x, key...)
	}
	keyArgs, err := tt.bindKey(x, tt.key, tt.keyFam, key)
	if err != nil {
		return zero, err
	}
	query, bumped, err := tt.identityQuery(ctx, x, 'p', &set, func(cols, cells []string) string {
		return updateByKeyCellsSQL(tt.t, cols, cells, tt.key, tt.columns)
	})
	if err != nil {
		return zero, err
	}
	if !bumped {
		query = tt.cached(&tt.updates, &set, func(cols []string) string {
			return updateByKeySQL(tt.t, cols, tt.key, tt.columns)
		})
	}
	if err := tt.bind(x, &set); err != nil {
		return zero, err
	}
	return tt.writeRow(ctx, x, query, append(set.args, keyArgs...), &set, key, bumped)
}

// Delete removes the row with the given key and returns the number of rows
// deleted: 0 when there was none.
func (tt *TypedTable[T]) Delete(ctx context.Context, x Executor, key ...any) (int64, error) {
	module := x.database().def.Name
	if err := tt.writable(module); err != nil {
		return 0, err
	}
	args, err := tt.bindKey(x, tt.key, tt.keyFam, key)
	if err != nil {
		return 0, err
	}
	return tt.exec(ctx, x, tt.del, args, nil, nil)
}

// UpdateWhere writes the columns set sets on every row that matches cond
// and returns the number of rows changed. The zero Cond is refused, as is
// an And of nothing: a forgotten condition must not change every row. All
// says "every row" explicitly.
func (tt *TypedTable[T]) UpdateWhere(ctx context.Context, x Executor, cond Cond[T], set Values) (int64, error) {
	module := x.database().def.Name
	if err := tt.writable(module); err != nil {
		return 0, err
	}
	if set.Len() == 0 {
		return 0, newError(CodeValidationFailed, module, "nothing to update: set at least one column", "table", tt.t.Name)
	}
	if err := tt.needCondition(module, cond, "update"); err != nil {
		return 0, err
	}
	if err := tt.bind(x, &set); err != nil {
		return 0, err
	}
	s := sqlText{d: x.database().dialect}
	s.WriteString("UPDATE ")
	s.ident(tt.t.Name)
	cols := tt.names(set.columns())
	writeSet(&s, cols)
	s.args = append(s.args, set.args...)
	s.WriteString(" WHERE ")
	if err := cond.e.render(&s, module, tt.t); err != nil {
		return 0, err
	}
	return tt.exec(ctx, x, s.String(), s.args, cols, &set)
}

// DeleteWhere removes every row that matches cond and returns how many it
// removed. As for UpdateWhere, a missing condition is refused; All says
// "every row".
func (tt *TypedTable[T]) DeleteWhere(ctx context.Context, x Executor, cond Cond[T]) (int64, error) {
	module := x.database().def.Name
	if err := tt.writable(module); err != nil {
		return 0, err
	}
	if err := tt.needCondition(module, cond, "delete"); err != nil {
		return 0, err
	}
	s := sqlText{d: x.database().dialect}
	s.WriteString("DELETE FROM ")
	s.ident(tt.t.Name)
	s.WriteString(" WHERE ")
	if err := cond.e.render(&s, module, tt.t); err != nil {
		return 0, err
	}
	return tt.exec(ctx, x, s.String(), s.args, nil, nil)
}

// Count returns the number of rows.
func (tt *TypedTable[T]) Count(ctx context.Context, x Executor) (int64, error) {
	var n int64
	err := x.run(ctx, false, func(c conn) error {
		return c.QueryRowContext(ctx, tt.count).Scan(&n)
	})
	return n, err
}

// List returns one page of the rows q selects (see Query).
func (tt *TypedTable[T]) List(ctx context.Context, x Executor, q *Query[T]) (Page[T], error) {
	module := x.database().def.Name
	if q == nil {
		q = NewQuery[T](tt.t)
	}
	if q.spec.table != tt.t {
		return Page[T]{}, newError(CodeValidationFailed, module, "the query is not over "+tt.t.Name, "table", tt.t.Name)
	}
	return list(ctx, x, q, tt.columns, tt.scan)
}

// writeRow runs a write that returns one row. key, for an update, names the
// row that must exist.
func (tt *TypedTable[T]) writeRow(ctx context.Context, x Executor, query string, args []any, v *Values, key []any, bumped bool) (T, error) {
	var out T
	module := x.database().def.Name
	write := func(c conn) error {
		var err error
		out, err = tt.scan(c.QueryRowContext(ctx, query, args...))
		return err
	}
	var err error
	if bumped {
		err = x.run(ctx, true, write) // query moves the sequence itself
	} else {
		err = runWrite(ctx, x, tt.t, v, write)
	}
	if err != nil {
		if key != nil && errors.Is(err, sql.ErrNoRows) {
			return out, notFoundError(module, tt.t, tt.key, key)
		}
		return out, explainConstraint(err, tt.t, tt.names(v.columns()))
	}
	return out, nil
}

// identityKey identifies a statement of identityQuery: its kind (insert,
// upsert on a conflict target, update), its columns and the sequence.
type identityKey struct {
	kind byte
	mask uint64
	seq  string
}

// identityQuery is, when v sets t's identity column on PostgreSQL, the
// statement build makes for v's columns with that column's cell moving
// the sequence (identityCell), made once per kind, columns and sequence;
// bumped is false, and the query "", otherwise: the caller's own
// statement, run by runWrite, will do.
func (tt *TypedTable[T]) identityQuery(ctx context.Context, x Executor, kind byte, v *Values,
	build func(cols, cells []string) string) (query string, bumped bool, err error) {
	col := writtenIdentity(x, tt.t, v)
	if col == "" {
		return "", false, nil
	}
	seq, err := identitySequence(ctx, x, tt.t, col)
	if err != nil || seq == "" {
		return "", false, err
	}
	text := func() string {
		cols := tt.names(v.columns())
		cells := make([]string, len(cols))
		for i, c := range cols {
			cells[i] = "?"
			if c == col {
				cells[i] = identityCell(seq)
			}
		}
		return build(cols, cells)
	}
	if !v.cacheable() {
		return text(), true, nil
	}
	key := identityKey{kind, v.mask, seq}
	if q, ok := tt.identity.Load(key); ok {
		return q.(string), true, nil
	}
	q := text()
	tt.identity.Store(key, q)
	return q, true, nil
}

// exec runs a write, of the columns v sets (nil for none), and returns the
// number of rows it changed.
func (tt *TypedTable[T]) exec(ctx context.Context, x Executor, query string, args []any, written []string, v *Values) (int64, error) {
	var n int64
	err := runWrite(ctx, x, tt.t, v, func(c conn) error {
		res, err := c.ExecContext(ctx, query, args...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, explainConstraint(err, tt.t, written)
	}
	return n, nil
}

// cached returns the SQL build makes for v's columns, made once per set of
// columns.
func (tt *TypedTable[T]) cached(cache *sync.Map, v *Values, build func(cols []string) string) string {
	if !v.cacheable() {
		return build(tt.names(v.columns()))
	}
	if q, ok := cache.Load(v.mask); ok {
		return q.(string)
	}
	q := build(tt.names(v.columns()))
	cache.Store(v.mask, q)
	return q
}

func (tt *TypedTable[T]) names(cols []int) []string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = tt.t.Columns[c].Name
	}
	return names
}

// bind puts v's values through the codec of x's database, by the family
// of their columns.
func (tt *TypedTable[T]) bind(x Executor, v *Values) error {
	db := x.database()
	module, d := db.def.Name, db.dialect
	if v.cols == nil && len(v.args) > 0 && v.mask>>len(tt.family) != 0 {
		return newError(CodeInternal, module, "values for a column "+tt.t.Name+" does not have")
	}
	i := 0
	for m := v.mask; v.cols == nil && m != 0; m &= m - 1 {
		col := bits.TrailingZeros64(m)
		if tt.t.Columns[col].Generated {
			return checkWritable(module, tt.t, tt.t.Columns[col].Name)
		}
		arg, err := d.bind(tt.family[col], tt.notNull[col], v.args[i])
		if err != nil {
			return columnError(module, tt.t, tt.t.Columns[col].Name, err)
		}
		v.args[i] = arg
		i++
	}
	for j, col := range v.cols {
		if col < 0 || col >= len(tt.family) {
			return newError(CodeInternal, module, "values for a column "+tt.t.Name+" does not have")
		}
		if tt.t.Columns[col].Generated {
			return checkWritable(module, tt.t, tt.t.Columns[col].Name)
		}
		arg, err := d.bind(tt.family[col], tt.notNull[col], v.args[j])
		if err != nil {
			return columnError(module, tt.t, tt.t.Columns[col].Name, err)
		}
		v.args[j] = arg
	}
	return nil
}

// bindKey checks and encodes the values of key columns cols.
func (tt *TypedTable[T]) bindKey(x Executor, cols []string, fams []Family, key []any) ([]any, error) {
	db := x.database()
	module := db.def.Name
	if len(cols) == 0 {
		return nil, newError(CodeValidationFailed, module, tt.t.Name+" has no key", "table", tt.t.Name)
	}
	if len(key) != len(cols) {
		return nil, newError(CodeValidationFailed, module,
			fmt.Sprintf("%s is identified by %v: %d values, got %d", tt.t.Name, cols, len(cols), len(key)), "table", tt.t.Name)
	}
	args := make([]any, len(key))
	for i, k := range key {
		v, err := db.dialect.bind(fams[i], true, k)
		if err != nil {
			return nil, columnError(module, tt.t, cols[i], err)
		}
		args[i] = v
	}
	return args, nil
}

func (tt *TypedTable[T]) writable(module string) error {
	if tt.t.View || tt.t.Virtual {
		return newError(CodeValidationFailed, module, tt.t.Name+" is read-only here: it is a view or a virtual table", "table", tt.t.Name)
	}
	return nil
}

func (tt *TypedTable[T]) needCondition(module string, cond Cond[T], verb string) error {
	if cond.all || !cond.e.empty() {
		return nil
	}
	return newError(CodeValidationFailed, module,
		fmt.Sprintf("no condition: to %s every row of %s, pass runtime.All, not an empty condition", verb, tt.t.Name),
		"table", tt.t.Name)
}

// columnError puts the module, table and column on a codec error.
func columnError(module string, t *Table, col string, err error) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	out := &Error{Code: e.Code, Module: module, Message: "value of " + t.Name + "." + col + ": " + e.Message,
		Details: map[string]any{"table": t.Name, "column": col}, Err: e.Err}
	for k, v := range e.Details {
		out.Details[k] = v
	}
	return out
}

// notFoundError is RECORD_NOT_FOUND for the row of t whose cols have vals;
// it is also sql.ErrNoRows for errors.Is.
func notFoundError(module string, t *Table, cols []string, vals []any) *Error {
	key := make(map[string]any, len(cols))
	for i, c := range cols {
		if i < len(vals) {
			key[c] = vals[i]
		}
	}
	return &Error{Code: CodeRecordNotFound, Module: module,
		Message: "no row of " + t.Name + " with that key",
		Details: map[string]any{"table": t.Name, "key": key}, Err: sql.ErrNoRows}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
