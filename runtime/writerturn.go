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
	// As long as a write may wait for another process's lock, through
	// every retry (30 s by default), and never less than a second: longer
	// means something in this process does not let go.
	wait := max(cfg.busyTimeout*time.Duration(cfg.maxRetries+1), time.Second)
	return writerTurn{c: make(chan struct{}, 1), wait: wait}
}

// take waits for the writer; the caller must call the release it returns.
func (db *DB) takeWriter(ctx context.Context, what string) (release func(), err error) {
	t := db.wturn
	if t.c == nil {
		return func() {}, nil
	}
	release = func() { <-t.c }
	select {
	case t.c <- struct{}{}:
		return release, nil
	default:
	}
	timer := time.NewTimer(t.wait)
	defer timer.Stop()
	select {
	case t.c <- struct{}{}:
		return release, nil
	case <-ctx.Done():
		return nil, db.ctxError(ctx, what)
	case <-timer.C:
		return nil, newError(CodeDatabaseLocked, db.def.Name, fmt.Sprintf(
			"waited %s for the writer connection, which another write of this process holds: "+
				"inside WriteTx's fn, write through the *Tx it is given, not through the DB (that write waits for the transaction it is in)", t.wait),
			"waited", t.wait.String())
	}
}
