package runtime

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
)

// Generic CRUD by table name: rows as maps from column name to value,
// checked against the Definition, for the admin API and for code that
// knows tables only at run time. Values go through the same codec as the
// generated methods' (see BindValue).

// ListRequest is a generic list: filters, sort, and either a numbered page
// (with the total count) or a cursor from the previous page.
type ListRequest struct {
	Filters  []Filter `json:"filters,omitempty"`
	Sort     string   `json:"sort,omitempty"`      // "-created_at,name": "-" sorts descending
	Page     int      `json:"page,omitempty"`      // 1-based; 0 is the first page
	PageSize int      `json:"page_size,omitempty"` // 0 is DefaultPageSize; more than MaxPageSize is refused
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

// table finds a table or view by name; write refuses views and virtual
// tables. A virtual table's module decides what a write means: an FTS5
// table with external content indexes another table's rows and must be
// written with the old values, a contentless one cannot be updated, and a
// value in its hidden column is a command ('delete-all'). Generic CRUD
// reads them only, as the typed API does; SQL writes them knowingly.
func (db *DB) table(name string, write bool) (*Table, error) {
	t := db.def.Table(name)
	if t == nil {
		return nil, newError(CodeTableNotFound, db.def.Name, "no table "+name+" in database "+db.def.Name, "table", name)
	}
	switch {
	case write && t.View:
		return nil, newError(CodeValidationFailed, db.def.Name, name+" is a view: it is read-only", "table", name)
	case write && t.Virtual:
		return nil, newError(CodeValidationFailed, db.def.Name,
			name+" is a virtual table: it is read-only here, its module decides what a write means; write it with SQL",
			"table", name, "kind", t.Kind())
	}
	return t, nil
}

// Read returns the row of table whose key (the primary key, or the columns
// of a UNIQUE constraint) has the given values.
func (db *DB) Read(ctx context.Context, table string, key map[string]any) (map[string]any, error) {
	t, err := db.table(table, false)
	if err != nil {
		return nil, err
	}
	cols, args, err := db.keyArgs(t, key)
	if err != nil {
		return nil, err
	}
	query := selectByKeySQL(t, t.RecordColumns(), cols)
	var rec map[string]any
	// One statement is a snapshot by itself: no BEGIN and COMMIT round trips.
	err = db.run(ctx, false, func(c conn) error {
		rows, err := c.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		rec, err = scanOne(db.dialect, rows, t)
		return err
	})
	if err != nil {
		return nil, inputError(db.def.Name, t, false, notFound(db.def.Name, err, t, key))
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
	case req.PageSize > MaxPageSize:
		return RecordPage{}, newError(CodeValidationFailed, db.def.Name, fmt.Sprintf("page_size %d is more than %d (MaxPageSize); read more page by page", req.PageSize, MaxPageSize),
			"page_size", req.PageSize, "max", MaxPageSize)
	case req.Cursor != "" && req.Page > 1:
		return RecordPage{}, newError(CodeValidationFailed, db.def.Name, "use a cursor or a page number, not both")
	}
	size := pageSize(req.PageSize)
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

	cols := t.RecordColumns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	res, err := listRows(ctx, db, spec, cols, func(s Scanner) error {
		if err := s.Scan(ptrs...); err != nil {
			return err
		}
		page.Records = append(page.Records, record(db.dialect, t, cols, vals))
		return nil
	}, func() { page.Records = page.Records[:0] })
	if err != nil {
		return RecordPage{}, inputError(db.def.Name, t, len(req.Filters) > 0, err)
	}
	if page.Records == nil {
		page.Records = []map[string]any{} // JSON [] rather than null
	}
	page.Total, page.NextCursor, page.HasMore = res.total, res.next, res.hasMore
	return page, nil
}

// keyArgs checks that key names exactly the primary key or the columns of
// one UNIQUE set (anything else could match several rows) and returns its
// columns and bound values in key order.
func (db *DB) keyArgs(t *Table, key map[string]any) ([]string, []any, error) {
	cols := sortedKeys(key)
	for _, c := range cols {
		if ok, _ := t.Lookup(c); !ok {
			return nil, nil, columnNotFound(db.def.Name, t, c)
		}
	}
	candidates := slices.Clone(t.Unique)
	if k := t.Key(); len(k) > 0 {
		candidates = append(candidates, k)
	}
	i := slices.IndexFunc(candidates, func(k []string) bool { return sameSet(k, cols) })
	if i < 0 {
		return nil, nil, newError(CodeValidationFailed, db.def.Name,
			fmt.Sprintf("%v does not identify one row of %s; give its primary key or a unique key", cols, t.Name),
			"table", t.Name, "key", cols, "keys", candidates)
	}
	cols = candidates[i]
	args := make([]any, len(cols))
	for j, c := range cols {
		v, err := bindValue(db.dialect, db.def.Name, t, c, key[c])
		if err != nil {
			return nil, nil, err
		}
		args[j] = v
	}
	return cols, args, nil
}

// notFound turns "no row" into RECORD_NOT_FOUND naming the table and key.
func notFound(module string, err error, t *Table, key map[string]any) error {
	if !isNoRows(err) {
		return err
	}
	return &Error{Code: CodeRecordNotFound, Module: module,
		Message: "no record of " + t.Name + " with that key",
		Details: map[string]any{"table": t.Name, "key": key}, Err: sql.ErrNoRows}
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// scanOne reads the single row of rows as a record; sql.ErrNoRows if none.
func scanOne(d dialect, rows *sql.Rows, t *Table) (map[string]any, error) {
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return nil, sql.ErrNoRows
	}
	cols := t.RecordColumns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return nil, err
	}
	rec := record(d, t, cols, vals)
	return rec, rows.Close()
}

// record makes a row's map, reading each value as its column's family
// holds it (see ReadValue).
func record(d dialect, t *Table, cols []string, vals []any) map[string]any {
	rec := make(map[string]any, len(cols))
	for i, c := range cols {
		f := FamilyInteger // the rowid
		if col := t.Column(c); col != nil {
			f = col.Family()
		}
		rec[c] = d.readValue(f, vals[i])
	}
	return rec
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
