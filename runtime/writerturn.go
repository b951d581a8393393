package runtime

import (
	"context"
	"fmt"
	"time"
)

// writerTurn is the single writer connection of a SQLite database, taken in
// Go before it is used: a write waits its turn for a bounded time
// (writerWait) instead of queueing in database/sql until its context ends.
// The bound turns a write through the DB inside WriteTx's fn, which waits
// for the connection its own transaction holds, into an error instead of a
// hang that never ends under context.Background().
type writerTurn struct {
	c    chan struct{} // nil: no turns (PostgreSQL's pool, a read-only file)
	wait time.Duration
}

func newWriterTurn(cfg config) writerTurn {
	return writerTurn{c: make(chan struct{}, 1), wait: writerWait(cfg)}
}

// writerWait bounds a wait for a turn to write, SQLite's writer or
// PostgreSQL's turns: as long as a write may wait for another process's
// lock, through every retry (30 s by default), and never less than a
// second; longer means something in this process does not let go.
func writerWait(cfg config) time.Duration {
	return max(cfg.busyTimeout*time.Duration(cfg.maxRetries+1), time.Second)
}

// turnTimeout is the error of a write that waited t.wait for its turn.
func (db *DB) turnTimeout(what string) error {
	return newError(CodeDatabaseLocked, db.def.Name, fmt.Sprintf(
		"waited %s for %s, which another write of this process held all that time: "+
			"a long write transaction, or a write through the DB inside WriteTx's fn, which waits for the transaction it is in "+
			"(inside fn, write through the *Tx it is given)", db.wturn.wait, what),
		"waited", db.wturn.wait.String())
}

// takeWriter waits for the writer; after a nil error the caller must call
// releaseWriter.
func (db *DB) takeWriter(ctx context.Context, what string) error {
	t := db.wturn
	if t.c == nil {
		return nil
	}
	select {
	case t.c <- struct{}{}:
		return nil
	default:
	}
	timer := time.NewTimer(t.wait)
	defer timer.Stop()
	select {
	case t.c <- struct{}{}:
		return nil
	case <-ctx.Done():
		return db.ctxError(ctx, what)
	case <-timer.C:
		return db.turnTimeout("the writer connection")
	}
}

// releaseWriter gives the writer back after takeWriter.
func (db *DB) releaseWriter() {
	if db.wturn.c != nil {
		<-db.wturn.c
	}
}
