package runtime

import (
	"context"
	"strings"
)

// PostgreSQL numbers the rows of a table with an identity column (what the
// generator derives from an INTEGER PRIMARY KEY, or adds to a table without
// a key) from a sequence, which, unlike SQLite's rowid, does not look at
// the table: after a row was written with an explicit id, the next default
// would be a taken id sooner or later. So every write that sets the column
// moves the sequence past the largest id, in the same transaction.

// bumpIdentity moves the sequence of t's identity column col past the
// largest value in the column, unless it is past it already. A sequence
// never goes back: with writers setting ids at once, the last to commit
// may find it further on, which only leaves a gap.
func bumpIdentity(ctx context.Context, c conn, t *Table, col string) error {
	_, err := c.ExecContext(ctx, `SELECT setval(s.seq, s.top) FROM (SELECT pg_get_serial_sequence(?, ?)::regclass AS seq, `+
		`(SELECT max(`+quoteIdent(col)+`) FROM `+quoteIdent(t.Name)+`) AS top) AS s `+
		`WHERE s.seq IS NOT NULL AND s.top > coalesce(pg_sequence_last_value(s.seq), 0)`, quoteIdent(t.Name), col)
	return err
}

// writeIdentity runs fn, a write through x that sets identity column col
// of t, and moves the column's sequence with it: in x's transaction, or in
// a write transaction of its own.
func writeIdentity(ctx context.Context, x Executor, t *Table, col string, fn func(conn) error) error {
	write := func(c conn) error {
		if err := fn(c); err != nil {
			return err
		}
		return bumpIdentity(ctx, c, t, col)
	}
	if db, ok := x.(*DB); ok {
		return db.WriteTx(ctx, func(tx *Tx) error { return tx.run(ctx, true, write) })
	}
	return x.run(ctx, true, write)
}

// identityCell is the value of an identity column written explicitly in
// a statement of its own, sequence seq (a name as pg_get_serial_sequence
// gives it) moved with it: the value bound, which setval returns too when
// the sequence is behind it. One statement, where the write and
// bumpIdentity in a transaction of their own take four round trips. The
// sequence is moved even when the statement then fails, which leaves a gap.
func identityCell(seq string) string {
	return `(SELECT CASE WHEN x.v > coalesce(pg_sequence_last_value(x.s), 0) THEN setval(x.s, x.v) ELSE x.v END ` +
		`FROM (SELECT ?::bigint AS v, '` + strings.ReplaceAll(seq, "'", "''") + `'::regclass AS s) AS x)`
}

// identitySequence is the sequence of t's identity column col on db's
// server, "" when it has none; asked once per DB, through x.
func identitySequence(ctx context.Context, x Executor, t *Table, col string) (string, error) {
	db := x.database()
	key := t.Name + "\x00" + col
	if seq, ok := db.sequences.Load(key); ok {
		return seq.(string), nil
	}
	var seq string
	err := x.run(ctx, false, func(c conn) error {
		return c.QueryRowContext(ctx, `SELECT coalesce(pg_get_serial_sequence(?, ?), '')`, quoteIdent(t.Name), col).Scan(&seq)
	})
	if err != nil {
		return "", err
	}
	db.sequences.Store(key, seq)
	return seq, nil
}

// writtenIdentity is the identity column of t when v sets it on
// PostgreSQL, "" otherwise.
func writtenIdentity(x Executor, t *Table, v *Values) string {
	if v == nil {
		return ""
	}
	col := x.database().dialect.identityColumn(t)
	if col == "" {
		return ""
	}
	if i := t.columnIndex(col); i >= 0 && v.writes(i) {
		return col
	}
	return ""
}

// runWrite runs fn, a write through x, which writes the columns v sets
// (nil for none): with the identity's sequence moved when it sets that
// column on PostgreSQL.
func runWrite(ctx context.Context, x Executor, t *Table, v *Values, fn func(conn) error) error {
	if col := writtenIdentity(x, t, v); col != "" {
		return writeIdentity(ctx, x, t, col, fn)
	}
	return x.run(ctx, true, fn)
}

// columnIndex is the position of column name in t.Columns, -1 when none.
func (t *Table) columnIndex(name string) int {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return i
		}
	}
	return -1
}
