package runtime

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// ListRequest is a generic list: filters, sort, and either a numbered page
// (with the total count) or a cursor from the previous page.
type ListRequest struct {
	Filters  []Filter `json:"filters,omitempty"`
	Sort     string   `json:"sort,omitempty"`      // "-created_at,name": "-" sorts descending
	Page     int      `json:"page,omitempty"`      // 1-based; 0 is the first page
	PageSize int      `json:"page_size,omitempty"` // 0 is DefaultPageSize; capped at MaxPageSize
	Cursor   string   `json:"cursor,omitempty"`    // NextCursor of the previous page
	// NoTotal skips counting the matching rows (Total is -1): the first
	// page of a keyset walk, which counting would make as slow as a scan.
	NoTotal bool `json:"no_total,omitempty"`
}

// maxOffset caps the rows a numbered page skips: far beyond any table that
// offset paging suits, and far from overflowing (page-1) * page_size.
const maxOffset = math.MaxInt32

// RecordPage is one page of records. Total is counted for numbered pages and
// is -1 for cursor pages, where counting would defeat their purpose.
type RecordPage struct {
	Records    []map[string]any `json:"records"`
	Total      int64            `json:"total"`
	Page       int              `json:"page,omitempty"`
	PageSize   int              `json:"page_size"`
	NextCursor string           `json:"next_cursor,omitempty"`
	HasMore    bool             `json:"has_more"`
}

// table finds a table or view by name; write refuses views.
func (db *DB) table(name string, write bool) (*Table, error) {
	t := db.def.Table(name)
	if t == nil {
		return nil, newError(CodeTableNotFound, db.def.Name, "no table "+name+" in database "+db.def.Name, "table", name)
	}
	if write && t.View {
		return nil, newError(CodeValidationFailed, db.def.Name, name+" is a view: it is read-only", "table", name)
	}
	return t, nil
}

// recordColumns are the columns of a record: every declared column, plus the
// rowid when it is what identifies the row.
func recordColumns(t *Table) []string {
	cols := columnNames(t)
	if rowIDKeyed(t) {
		cols = append([]string{"rowid"}, cols...)
	}
	return cols
}

// Create inserts rec (column name to value) into table and returns the
// stored row, defaults and generated values included.
func (db *DB) Create(ctx context.Context, table string, rec map[string]any) (map[string]any, error) {
	t, err := db.table(table, true)
	if err != nil {
		return nil, err
	}
	cols := sortedKeys(rec)
	vals := make([]any, len(cols))
	for i, c := range cols {
		if err := checkWritable(db.def.Name, t, c); err != nil {
			return nil, err
		}
		if vals[i], err = bindValue(db.def.Name, t, c, rec[c]); err != nil {
			return nil, err
		}
	}
	return db.writeOne(ctx, t, cols, insertSQL(t, cols, 1, recordColumns(t)), vals)
}

// Read returns the row of table whose key (the primary key, or the columns
// of a UNIQUE constraint) has the given values.
func (db *DB) Read(ctx context.Context, table string, key map[string]any) (map[string]any, error) {
	t, err := db.table(table, false)
	if err != nil {
		return nil, err
	}
	var s sqlText
	s.WriteString("SELECT ")
	s.identList(recordColumns(t))
	s.WriteString(" FROM ")
	s.ident(t.Name)
	if err := db.whereKey(&s, t, key); err != nil {
		return nil, err
	}
	var rec map[string]any
	// One statement is a snapshot by itself: no BEGIN and COMMIT round trips.
	err = db.read(ctx, false, func(q querier) error {
		rows, err := q.QueryContext(ctx, s.String(), s.args...)
		if err != nil {
			return err
		}
		rec, err = scanOne(rows, recordColumns(t))
		return err
	})
	if err != nil {
		return nil, db.notFound(err, t, key)
	}
	return rec, nil
}

// ListRecords lists the rows of table that pass req's filters, sorted by
// req.Sort with the key as the final tiebreak.
func (db *DB) ListRecords(ctx context.Context, table string, req ListRequest) (RecordPage, error) {
	t, err := db.table(table, false)
	if err != nil {
		return RecordPage{}, err
	}
	spec := listSpec{table: t, order: parseSort(req.Sort), limit: req.PageSize, after: req.Cursor}
	switch {
	case req.Page < 0 || req.PageSize < 0:
		return RecordPage{}, newError(CodeValidationFailed, db.def.Name, "page and page_size must be 0 or more",
			"page", req.Page, "page_size", req.PageSize)
	case req.Cursor != "" && req.Page > 1:
		return RecordPage{}, newError(CodeValidationFailed, db.def.Name, "use a cursor or a page number, not both")
	}
	size := req.PageSize
	if size <= 0 {
		size = DefaultPageSize
	}
	size = min(size, MaxPageSize)
	page := RecordPage{PageSize: size}
	if req.Cursor == "" {
		page.Page = max(req.Page, 1)
		// Checked before multiplying, which could wrap to a small offset.
		if page.Page-1 > maxOffset/size {
			return RecordPage{}, newError(CodeValidationFailed, db.def.Name,
				fmt.Sprintf("page %d is past any table: (page-1) * page_size must be at most %d", req.Page, maxOffset),
				"page", req.Page, "page_size", size)
		}
		spec.offset = (page.Page - 1) * size
		spec.total = !req.NoTotal
	}
	for _, f := range req.Filters {
		e, err := filterExpr(db.def.Name, f)
		if err != nil {
			return RecordPage{}, err
		}
		spec.where = append(spec.where, e)
	}

	cols := recordColumns(t)
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	res, err := db.list(ctx, spec, cols, func(s Scanner) error {
		if err := s.Scan(ptrs...); err != nil {
			return err
		}
		page.Records = append(page.Records, record(cols, vals))
		return nil
	}, func() { page.Records = page.Records[:0] })
	if err != nil {
		return RecordPage{}, err
	}
	if page.Records == nil {
		page.Records = []map[string]any{} // JSON [] rather than null
	}
	page.Total, page.NextCursor, page.HasMore = res.total, res.next, res.hasMore
	return page, nil
}

// Update sets changes on the row of table with the given key and returns it
// as stored.
func (db *DB) Update(ctx context.Context, table string, key, changes map[string]any) (map[string]any, error) {
	t, err := db.table(table, true)
	if err != nil {
		return nil, err
	}
	if len(changes) == 0 {
		return nil, newError(CodeValidationFailed, db.def.Name, "no changes given", "table", t.Name)
	}
	cols := sortedKeys(changes)
	var s sqlText
	s.WriteString("UPDATE ")
	s.ident(t.Name)
	s.WriteString(" SET ")
	for i, c := range cols {
		if err := checkWritable(db.def.Name, t, c); err != nil {
			return nil, err
		}
		v, err := bindValue(db.def.Name, t, c, changes[c])
		if err != nil {
			return nil, err
		}
		if i > 0 {
			s.WriteString(", ")
		}
		s.ident(c)
		s.WriteString(" = ")
		s.bind(v)
	}
	if err := db.whereKey(&s, t, key); err != nil {
		return nil, err
	}
	s.WriteString(" RETURNING ")
	s.identList(recordColumns(t))
	rec, err := db.writeOne(ctx, t, cols, s.String(), s.args)
	if err != nil {
		return nil, db.notFound(err, t, key)
	}
	return rec, nil
}

// Delete removes the row of table with the given key.
func (db *DB) Delete(ctx context.Context, table string, key map[string]any) error {
	t, err := db.table(table, true)
	if err != nil {
		return err
	}
	var s sqlText
	s.WriteString("DELETE FROM ")
	s.ident(t.Name)
	if err := db.whereKey(&s, t, key); err != nil {
		return err
	}
	err = db.WriteTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.String(), s.args...)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err == nil && n == 0 {
			err = sql.ErrNoRows
		}
		return err
	})
	if err != nil {
		return db.explain(db.notFound(err, t, key), t, nil)
	}
	return nil
}

// writeOne runs a write that returns one row and reads it as a record.
func (db *DB) writeOne(ctx context.Context, t *Table, written []string, query string, args []any) (map[string]any, error) {
	var rec map[string]any
	err := db.WriteTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		rec, err = scanOne(rows, recordColumns(t))
		return err
	})
	if err != nil {
		return nil, db.explain(err, t, written)
	}
	return rec, nil
}

// whereKey writes WHERE k1 = ? AND ... for a key that names exactly the
// primary key or the columns of one UNIQUE constraint: anything else could
// match several rows.
func (db *DB) whereKey(s *sqlText, t *Table, key map[string]any) error {
	cols := sortedKeys(key)
	for _, c := range cols {
		if ok, _ := lookupColumn(t, c); !ok {
			return columnNotFound(db.def.Name, t, c)
		}
	}
	candidates := slices.Clone(t.Unique)
	if len(t.PrimaryKey) > 0 {
		candidates = append(candidates, t.PrimaryKey)
	} else if hasRowID(t) {
		candidates = append(candidates, []string{"rowid"})
	}
	if !slices.ContainsFunc(candidates, func(k []string) bool { return sameSet(k, cols) }) {
		return newError(CodeValidationFailed, db.def.Name,
			fmt.Sprintf("%v does not identify one row of %s; give its primary key or a unique key", cols, t.Name),
			"table", t.Name, "key", cols, "keys", candidates)
	}
	s.WriteString(" WHERE ")
	for i, c := range cols {
		if i > 0 {
			s.WriteString(" AND ")
		}
		v, err := bindValue(db.def.Name, t, c, key[c])
		if err != nil {
			return err
		}
		s.ident(c)
		s.WriteString(" = ")
		s.bind(v)
	}
	return nil
}

// notFound turns "no row" into RECORD_NOT_FOUND naming the table and key.
func (db *DB) notFound(err error, t *Table, key map[string]any) error {
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return &Error{Code: CodeRecordNotFound, Module: db.def.Name,
		Message: "no record of " + t.Name + " with that key",
		Details: map[string]any{"table": t.Name, "key": key}, Err: sql.ErrNoRows}
}

// explain adds the table to a constraint violation, and for a foreign key
// (where SQLite names no column) the foreign keys among the written columns.
func (db *DB) explain(err error, t *Table, written []string) error {
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeConstraintViolation {
		return err
	}
	if _, ok := e.Details["table"]; !ok {
		e.Details["table"] = t.Name
	}
	if e.Details["kind"] != ConstraintForeignKey {
		return err
	}
	if written == nil {
		e.Message = "foreign key constraint failed: other rows still reference this " + t.Name + " record"
		return err
	}
	var fks []map[string]any
	var cols []string
	for _, fk := range t.ForeignKeys {
		if slices.ContainsFunc(fk.Columns, func(c string) bool { return slices.Contains(written, c) }) {
			fks = append(fks, map[string]any{"columns": fk.Columns, "ref_table": fk.RefTable, "ref_columns": fk.RefColumns})
			cols = append(cols, fk.Columns...)
		}
	}
	if len(fks) > 0 {
		e.Details["columns"] = cols
		e.Details["foreign_keys"] = fks
		e.Message = fmt.Sprintf("foreign key constraint failed on %s %v: no such parent row", t.Name, cols)
	}
	return err
}

// scanOne reads the single row of rows as a record; sql.ErrNoRows if none.
func scanOne(rows *sql.Rows, cols []string) (map[string]any, error) {
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return nil, sql.ErrNoRows
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return nil, err
	}
	rec := record(cols, vals)
	return rec, rows.Close()
}

func record(cols []string, vals []any) map[string]any {
	rec := make(map[string]any, len(cols))
	for i, c := range cols {
		rec[c] = vals[i]
	}
	return rec
}

// bindValue checks that v is a value SQLite can store and converts the
// shapes JSON decoding produces: json.Number to int64 or float64, objects and
// arrays to JSON text.
func bindValue(module string, t *Table, col string, v any) (any, error) {
	switch v := v.(type) {
	case nil, bool, string, []byte, time.Time,
		int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		return v, nil
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return n, nil
		}
		if f, err := v.Float64(); err == nil {
			return f, nil
		}
		return string(v), nil
	case json.RawMessage:
		return string(v), nil
	case map[string]any, []any:
		data, err := json.Marshal(v)
		if err != nil {
			return nil, newError(CodeValidationFailed, module, "value of "+col+" is not JSON", "table", t.Name, "column", col).wrap(err)
		}
		return string(data), nil
	case driver.Valuer:
		return v, nil
	}
	return nil, newError(CodeValidationFailed, module, fmt.Sprintf("value of %s has unsupported type %T", col, v),
		"table", t.Name, "column", col)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}
