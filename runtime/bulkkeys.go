package runtime

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// RETURNING makes SQLite buffer every inserted row in a temporary table
// before handing it back: for a bulk insert that only wants the new keys it
// costs more than the insert itself. When the key is the rowid and SQLite
// assigns it, the keys are known without it: SQLite gives a new row "one
// more than the largest rowid in the table" (sqlite.org/autoinc.html), so
// a chunk of n rows takes max+1 .. max+n. (A REPLACE conflict deletes the
// old row only after the new one got its rowid, so it leaves no gap.) That
// holds unless a trigger inserts into the table or the rowid space runs out:
// noTriggers and InsertMany's range check rule both out up front, and each
// chunk still checks its last
// rowid; if it is off, the batch is rolled back and run with RETURNING.

// errRowIDGap aborts a fast-path attempt whose rowids were not contiguous.
var errRowIDGap = errors.New("rowids not assigned contiguously")

// noTriggers reports whether t has no triggers, which could insert rows
// of their own into it between the rows of a chunk.
func noTriggers(ctx context.Context, tx *Tx, t *Table) (bool, error) {
	var triggers int
	if err := tx.QueryRowContext(ctx,
		`SELECT (SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ?1 COLLATE NOCASE) +
		        (SELECT count(*) FROM sqlite_temp_schema WHERE type = 'trigger' AND tbl_name = ?1 COLLATE NOCASE)`,
		t.Name).Scan(&triggers); err != nil {
		return false, err
	}
	return triggers == 0, nil
}

// largestRowID returns the largest rowid of t, read as the column name, 0
// when t is empty.
func largestRowID(ctx context.Context, tx *Tx, t *Table, name string) (int64, error) {
	var largest sql.NullInt64
	err := tx.QueryRowContext(ctx, "SELECT max("+quoteIdent(name)+") FROM "+quoteIdent(t.Name)).Scan(&largest)
	return largest.Int64, err
}

// execRowIDs runs one chunk without RETURNING and reads its keys as
// prev+1 .. prev+rows, after checking that the last one is indeed prev+rows.
func execRowIDs[T any](ctx context.Context, stmt *sql.Stmt, args []any, prev int64, rows int,
	scan func(Scanner) (T, error), out *[]T) (int64, error) {
	res, err := stmt.ExecContext(ctx, args...)
	if err != nil {
		return 0, err
	}
	last, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	if last != prev+int64(rows) {
		return 0, errRowIDGap
	}
	var row rowidScanner // one value for the chunk: no allocation per row
	for id := prev + 1; id <= last; id++ {
		row = rowidScanner(id)
		item, err := scan(&row)
		if err != nil {
			return 0, err
		}
		*out = append(*out, item)
	}
	return last, nil
}

// rowidScanner is a one-column row holding a rowid, scanned like
// database/sql scans an INTEGER into the destinations a key field can have.
type rowidScanner int64

func (r *rowidScanner) Scan(dest ...any) error {
	id := *r
	if len(dest) != 1 {
		return fmt.Errorf("scan of a returned rowid: %d destinations, want 1", len(dest))
	}
	switch d := dest[0].(type) {
	case *int64:
		*d = int64(id)
	case *int:
		*d = int(id)
	case *any:
		*d = int64(id)
	case sql.Scanner: // *sql.NullInt64 and custom ID types
		return d.Scan(int64(id))
	default:
		return fmt.Errorf("scan of a returned rowid into %T: unsupported destination", dest[0])
	}
	return nil
}
