package runtime

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5"
)

// readOnly starts the driver's deferred, query_only transactions: a read
// sees one consistent snapshot of the WAL and never takes the write lock.
var readOnly = &sql.TxOptions{ReadOnly: true}

// On PostgreSQL a write transaction is SERIALIZABLE: it behaves as if it
// ran alone, as SQLite's single writer does, and a conflict with another
// is a serialization failure (40001), which WriteTx retries like a lock. A
// read transaction is REPEATABLE READ, READ ONLY: one snapshot, no
// conflicts to retry.
var (
	pgWriteTx = &sql.TxOptions{Isolation: sql.LevelSerializable}
	pgReadTx  = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
)

// Tx is a transaction of a DB. It is a *sql.Tx for statements of your own,
// and an Executor: the methods of a generated package's Tx run on it.
type Tx struct {
	*sql.Tx
	db    *DB
	c     conn // the transaction as the runtime's statements run on it
	write bool
}

// DB is the database the transaction belongs to.
func (tx *Tx) DB() *DB { return tx.db }

// Writable reports whether tx is a write transaction (WriteTx).
func (tx *Tx) Writable() bool { return tx.write }

// WriteTx runs fn in an IMMEDIATE transaction on the single writer
// connection and commits it when fn returns nil. Taking the write lock at
// BEGIN means a lock error can only happen before fn has done anything, or at
// COMMIT; either way the whole fn is run again (so fn must not have side
// effects outside tx), with capped, jittered backoff, up to the configured
// retries. Any other error is returned at once, after rolling back.
//
// fn must use tx, not db or db.Writer(): the writer has one connection,
// which tx holds. A write through db inside fn waits for it, and fails
// with DATABASE_LOCKED once it has waited as long as a lock may take (the
// busy timeout times the attempts, 30 s by default).
//
// On PostgreSQL the transaction is SERIALIZABLE and runs beside others; a
// serialization failure or a deadlock (40001, 40P01) is retried the same
// way, and the attempt after one runs alone among this DB's write
// transactions (see turns), so that a hot row does not starve it.
func (db *DB) WriteTx(ctx context.Context, fn func(*Tx) error) error {
	// SQLite's writer is held from the first attempt to the last: the
	// pauses between them wait for another process, not for this one.
	if err := db.takeWriter(ctx, "write"); err != nil {
		return err
	}
	defer db.releaseWriter()
	attempt := func() error { return db.runTx(ctx, true, fn) }
	if db.dialect == postgresDialect {
		conflicted := false
		attempt = func() error {
			// Bounded as SQLite's writer is: a WriteTx inside another's fn
			// would wait forever for a turn that one holds back.
			tctx, cancel := context.WithTimeout(ctx, db.wturn.wait)
			end, err := db.turns.take(tctx, conflicted)
			cancel()
			if err != nil {
				if ctx.Err() == nil {
					return db.turnTimeout("a turn to write")
				}
				return db.ctxError(ctx, "write")
			}
			defer end()
			err = db.runTx(ctx, true, fn)
			conflicted = isPostgresRetry(err)
			return err
		}
	}
	err := db.retry(ctx, "write", attempt)
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
	if err := db.takeWriter(ctx, "write"); err != nil {
		return err
	}
	defer db.releaseWriter()
	err := db.retry(ctx, "write", func() error { return fn(db.writer) })
	if err == nil {
		db.counters.writeTxs.Add(1)
	}
	return err
}

// ReadTx runs fn in a read-only transaction on the read pool. Reads are
// retried on lock errors too: a reader can meet one while another process
// recovers or restarts the WAL.
func (db *DB) ReadTx(ctx context.Context, fn func(*Tx) error) error {
	err := db.retry(ctx, "read", func() error { return db.runTx(ctx, false, fn) })
	if err == nil {
		db.counters.readTxs.Add(1)
	}
	return err
}

func (db *DB) runTx(ctx context.Context, write bool, fn func(*Tx) error) error {
	pool, opts := db.reader, readOnly
	if write {
		pool, opts = db.writer, nil
	}
	if db.dialect == postgresDialect {
		opts = pgReadTx
		if write {
			opts = pgWriteTx
		}
	}
	sqlTx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	tx := &Tx{Tx: sqlTx, db: db, c: db.dialect.conn(sqlTx), write: write}
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
	err = tx.Commit()
	if errors.Is(err, pgx.ErrTxCommitRollback) {
		return newError(CodeInternal, db.def.Name, "the transaction was rolled back, not committed: "+
			"a statement in it failed, and PostgreSQL aborts a transaction at its first error; fn went on and returned nil").wrap(err)
	}
	return err
}

// rollback ends a failed transaction. Its own error is only logged: the
// caller needs fn's error, and SQLite may already have rolled back (for
// example after SQLITE_FULL), which makes ROLLBACK fail harmlessly.
func (db *DB) rollback(tx *Tx) {
	if err := tx.Rollback(); err != nil && err != sql.ErrTxDone {
		db.log.Warn("dbgen: rollback failed", "database", db.def.Name, "err", err)
	}
}
