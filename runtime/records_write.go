package runtime

import (
	"context"
	"database/sql"
)

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
		if vals[i], err = bindValue(db.dialect, db.def.Name, t, c, rec[c]); err != nil {
			return nil, err
		}
	}
	rec, err = db.writeRecord(ctx, t, insertSQL(t, db.columns(t, cols), 1, t.RecordColumns()), vals, cols)
	if err != nil {
		return nil, inputError(db.def.Name, t, false, explainConstraint(err, t, cols))
	}
	return rec, nil
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
	var args []any
	for _, c := range cols {
		if err := checkWritable(db.def.Name, t, c); err != nil {
			return nil, err
		}
		v, err := bindValue(db.dialect, db.def.Name, t, c, changes[c])
		if err != nil {
			return nil, err
		}
		args = append(args, v)
	}
	keyCols, keyVals, err := db.keyArgs(t, key)
	if err != nil {
		return nil, err
	}
	rec, err := db.writeRecord(ctx, t, updateByKeySQL(t, db.columns(t, cols), keyCols, t.RecordColumns()), append(args, keyVals...), cols)
	if err != nil {
		return nil, inputError(db.def.Name, t, false, explainConstraint(notFound(db.def.Name, err, t, key), t, cols))
	}
	return rec, nil
}

// Delete removes the row of table with the given key; a key that matches
// no row is RECORD_NOT_FOUND.
func (db *DB) Delete(ctx context.Context, table string, key map[string]any) error {
	t, err := db.table(table, true)
	if err != nil {
		return err
	}
	cols, args, err := db.keyArgs(t, key)
	if err != nil {
		return err
	}
	query := deleteByKeySQL(t, cols)
	err = db.run(ctx, true, func(c conn) error {
		res, err := c.ExecContext(ctx, query, args...)
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
		return inputError(db.def.Name, t, false, explainConstraint(notFound(db.def.Name, err, t, key), t, nil))
	}
	return nil
}

// writeRecord runs a write of the columns written that returns one row,
// and reads it as a record.
func (db *DB) writeRecord(ctx context.Context, t *Table, query string, args []any, written []string) (map[string]any, error) {
	var rec map[string]any
	write := func(c conn) error {
		rows, err := c.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		rec, err = scanOne(db.dialect, rows, t)
		return err
	}
	if id := db.dialect.identityColumn(t); id != "" && contains(db.columns(t, written), id) {
		return rec, writeIdentity(ctx, db, t, id, write)
	}
	return rec, db.run(ctx, true, write)
}

// columns are the names written columns cols have in SQL on the
// database's engine (see dialect.column).
func (db *DB) columns(t *Table, cols []string) []string {
	if db.dialect != postgresDialect {
		return cols
	}
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = db.dialect.column(t, c)
	}
	return out
}
