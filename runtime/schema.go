package runtime

import (
	"context"
	"database/sql"
)

// applyDDL creates the schema of a database that has none yet, in one write
// transaction. The IMMEDIATE lock makes it safe when two processes open a
// new file at once: the second one finds the tables and leaves them be.
// A database that already has tables is left as it is; changing it is the
// job of migrations.
func applyDDL(ctx context.Context, db *DB) error {
	if db.def.DDL == "" {
		return nil
	}
	err := db.WriteTx(ctx, func(tx *Tx) error {
		n, err := countTables(ctx, tx)
		if err != nil || n > 0 {
			return err
		}
		_, err = tx.ExecContext(ctx, db.def.DDL)
		return err
	})
	if err != nil {
		return newError(CodeMigrationFailed, db.def.Name, "create the schema").wrap(err)
	}
	return nil
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// countTables counts the application's tables and views, leaving out
// SQLite's own (sqlite_sequence, sqlite_stat1, ...).
func countTables(ctx context.Context, q queryer) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema
		WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`).Scan(&n)
	return n, err
}
