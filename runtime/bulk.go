package runtime

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// maxParams is SQLite's default SQLITE_MAX_VARIABLE_NUMBER (since 3.32):
// the most ? one statement may bind.
const maxParams = 32766

// bulkRows caps the rows of one INSERT. Past a few hundred rows a longer
// statement saves nothing measurable and only costs parsing time and memory.
const bulkRows = 500

// InsertMany inserts n rows into table in one write transaction (retried as
// a whole on lock errors) with multi-row INSERT ... VALUES statements: the
// statement for a full chunk is prepared once and reused, the last, shorter
// chunk gets its own. args appends the values of row i, one per column, to
// dst and returns it. With returning, each inserted row's returning columns
// are read by scan, in input order; without, the result is nil. When only
// the rowid key is returned it is derived rather than read back (see
// bulkkeys.go), which makes returning keys nearly free.
//
// SQLite documents the order of RETURNING rows as arbitrary, so other
// returning columns are put in input order by the rowid that SQLite assigns
// in input order, returned with them; when the insert sets the rowid itself
// or the table has none, each row is inserted by a statement of its own.
func InsertMany[T any](ctx context.Context, db *DB, table *Table, columns []string, n int,
	args func(i int, dst []any) []any, returning []string, scan func(Scanner) (T, error)) ([]T, error) {
	module := db.def.Name
	if err := checkBulk(module, table, columns, n, args, returning, scan != nil); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, nil
	}
	chunk := bulkRows
	if len(columns) > 0 {
		chunk = min(bulkRows, maxParams/len(columns))
	} else {
		chunk = 1 // DEFAULT VALUES inserts one row per statement
	}

	var out []T
	if len(returning) > 0 {
		out = make([]T, 0, n)
	}
	fast := rowidReturning(table, columns, returning)
	maxChunk := chunk
	insert := func(tx *sql.Tx) error {
		out = out[:0]
		chunk := maxChunk
		var prev int64
		if fast {
			var err error
			if prev, fast, err = rowidStart(ctx, tx, table, n); err != nil {
				return err
			}
		}
		stmtReturning := returning
		var order string // the rowid the rows of a chunk are sorted by
		switch {
		case fast:
			stmtReturning = nil
		case len(returning) > 0:
			var err error
			if order, err = assignedRowID(ctx, tx, table, columns); err != nil {
				return err
			}
			if order == "" {
				chunk = 1 // one row per statement: nothing to order
			} else {
				stmtReturning = append(slices.Clip(returning), order)
			}
		}
		var full *sql.Stmt
		if n >= chunk {
			var err error
			if full, err = tx.PrepareContext(ctx, insertSQL(table, columns, chunk, stmtReturning)); err != nil {
				return err
			}
			defer full.Close()
		}
		buf := make([]any, 0, chunk*len(columns))
		for start := 0; start < n; start += chunk {
			rows := min(chunk, n-start)
			buf = buf[:0]
			for i := start; i < start+rows && len(columns) > 0; i++ {
				before := len(buf)
				buf = args(i, buf)
				if got := len(buf) - before; got != len(columns) {
					return newError(CodeValidationFailed, module,
						fmt.Sprintf("row %d has %d values for %d columns", i, got, len(columns)),
						"table", table.Name, "row", i)
				}
			}
			stmt := full
			if rows < chunk {
				var err error
				if stmt, err = tx.PrepareContext(ctx, insertSQL(table, columns, rows, stmtReturning)); err != nil {
					return err
				}
				defer stmt.Close()
			}
			if fast {
				var err error
				if prev, err = execRowIDs(ctx, stmt, buf, prev, rows, scan, &out); err != nil {
					return err
				}
				continue
			}
			if len(returning) == 0 {
				if _, err := stmt.ExecContext(ctx, buf...); err != nil {
					return err
				}
				continue
			}
			if err := queryInto(ctx, stmt, buf, order != "", scan, &out); err != nil {
				return err
			}
		}
		return nil
	}
	err := db.WriteTx(ctx, insert)
	if errors.Is(err, errRowIDGap) {
		fast = false // rolled back: do it again the general way
		err = db.WriteTx(ctx, insert)
	}
	if err != nil {
		return nil, err
	}
	if len(returning) == 0 {
		return nil, nil
	}
	return out, nil
}

// queryInto runs a RETURNING statement and appends what scan reads of each
// row. With ordered, the statement returns the rowid after the caller's
// columns, and the rows are appended in rowid order, which is input order
// (see assignedRowID); without, the statement inserts one row.
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
// InsertMany added to the caller's returning columns.
type rowidLast struct {
	rows  *sql.Rows
	rowid int64
}

func (r *rowidLast) Scan(dest ...any) error {
	return r.rows.Scan(append(dest, &r.rowid)...)
}

// assignedRowID returns the name under which RETURNING gives t's rowid when
// SQLite assigns it to the rows of an insert of columns in input order, ""
// when it does not: t has no rowid, columns set it, or t's largest rowid is
// so close to the end of the range that SQLite may choose new rowids at
// random (sqlite.org/autoinc.html).
func assignedRowID(ctx context.Context, tx *sql.Tx, t *Table, columns []string) (string, error) {
	if !hasRowID(t) {
		return "", nil
	}
	name := ""
	for _, c := range t.Columns {
		if c.RowID {
			name = c.Name
		}
	}
	for _, alias := range []string{"rowid", "_rowid_", "oid"} {
		if name == "" && t.Column(alias) == nil {
			name = alias
		}
	}
	if name == "" {
		return "", nil // every alias names a column
	}
	for _, c := range columns {
		// The rowid is set under its alias's name or under its own.
		if col := t.Column(c); col != nil && col.RowID || col == nil && strings.EqualFold(c, "rowid") {
			return "", nil
		}
	}
	largest, err := largestRowID(ctx, tx, t, name)
	if err != nil || largest > math.MaxInt64/2 {
		return "", err
	}
	return name, nil
}

func checkBulk(module string, t *Table, columns []string, n int, args func(int, []any) []any, returning []string, hasScan bool) error {
	switch {
	case t == nil:
		return newError(CodeValidationFailed, module, "nil table")
	case t.View:
		return newError(CodeValidationFailed, module, t.Name+" is a view: it cannot be inserted into", "table", t.Name)
	case n < 0:
		return newError(CodeValidationFailed, module, "negative row count", "table", t.Name, "rows", n)
	case args == nil && len(columns) > 0:
		return newError(CodeValidationFailed, module, "nil args function", "table", t.Name)
	case len(returning) > 0 && !hasScan:
		return newError(CodeValidationFailed, module, "returning columns without a scan function", "table", t.Name)
	}
	seen := map[string]bool{}
	for _, c := range columns {
		if err := checkWritable(module, t, c); err != nil {
			return err
		}
		if seen[strings.ToLower(c)] {
			return newError(CodeValidationFailed, module, "column "+c+" given twice", "table", t.Name, "column", c)
		}
		seen[strings.ToLower(c)] = true
	}
	for _, c := range returning {
		if ok, _ := lookupColumn(t, c); !ok {
			return columnNotFound(module, t, c)
		}
	}
	return nil
}

// checkWritable reports whether inserts and updates may set column c of t.
func checkWritable(module string, t *Table, c string) error {
	col := t.Column(c)
	if col == nil {
		if ok, _ := lookupColumn(t, c); ok {
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

// insertSQL is INSERT INTO t (cols) VALUES (?, ?), ... for rows rows, or
// DEFAULT VALUES when there are no columns.
func insertSQL(t *Table, columns []string, rows int, returning []string) string {
	var s sqlText
	s.WriteString("INSERT INTO ")
	s.ident(t.Name)
	if len(columns) == 0 {
		s.WriteString(" DEFAULT VALUES")
	} else {
		s.WriteString(" (")
		s.identList(columns)
		s.WriteString(") VALUES ")
		tuple := "(" + strings.Repeat("?, ", len(columns)-1) + "?)"
		s.Grow(rows * (len(tuple) + 2))
		for i := range rows {
			if i > 0 {
				s.WriteString(", ")
			}
			s.WriteString(tuple)
		}
	}
	if len(returning) > 0 {
		s.WriteString(" RETURNING ")
		s.identList(returning)
	}
	return s.String()
}
