package runtime

import (
	"context"
	"database/sql"
)

// readOnly starts the driver's deferred, query_only transactions: a read
// sees one consistent snapshot of the WAL and never takes the write lock.
var readOnly = &sql.TxOptions{ReadOnly: true}

// WriteTx runs fn in an IMMEDIATE transaction on the single writer
// connection and commits it when fn returns nil. Taking the write lock at
// BEGIN means a lock error can only happen before fn has done anything, or at
// COMMIT; either way the whole fn is run again (so fn must not have side
// effects outside tx), with capped, jittered backoff, up to the configured
// retries. Any other error is returned at once, after rolling back.
//
// fn must use tx, not db.Writer(): the writer has one connection, which tx holds.
func (db *DB) WriteTx(ctx context.Context, fn func(*sql.Tx) error) error {
	err := db.retry(ctx, "write", func() error { return db.runTx(ctx, db.writer, nil, fn) })
	if err == nil {
		db.counters.writeTxs.Add(1)
	}
	return err
}

// Write runs fn against the writer outside an explicit transaction, retried
// like WriteTx. It is for one statement, which SQLite makes atomic on its
// own: the generated single-query methods use it, saving the BEGIN and
// COMMIT round trips a WriteTx costs. Several statements that must succeed
// or fail together belong in WriteTx.
func (db *DB) Write(ctx context.Context, fn func(*sql.DB) error) error {
	err := db.retry(ctx, "write", func() error { return fn(db.writer) })
	if err == nil {
		db.counters.writeTxs.Add(1)
	}
	return err
}

// ReadTx runs fn in a read-only transaction on the read pool. Reads are
// retried on lock errors too: a reader can meet one while another process
// recovers or restarts the WAL.
func (db *DB) ReadTx(ctx context.Context, fn func(*sql.Tx) error) error {
	err := db.retry(ctx, "read", func() error { return db.runTx(ctx, db.reader, readOnly, fn) })
	if err == nil {
		db.counters.readTxs.Add(1)
	}
	return err
}

func (db *DB) runTx(ctx context.Context, pool *sql.DB, opts *sql.TxOptions, fn func(*sql.Tx) error) error {
	tx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	committed := false
	defer func() {
		// Also reached when fn panics: the connection goes back to the pool
		// clean, and the panic carries on.
		if !committed {
			db.rollback(tx)
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	committed = true
	return tx.Commit()
}

// rollback ends a failed transaction. Its own error is only logged: the
// caller needs fn's error, and SQLite may already have rolled back (for
// example after SQLITE_FULL), which makes ROLLBACK fail harmlessly.
func (db *DB) rollback(tx *sql.Tx) {
	if err := tx.Rollback(); err != nil && err != sql.ErrTxDone {
		db.log.Warn("dbgen: rollback failed", "database", db.def.Name, "err", err)
	}
}
