package runtime

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ncruces/go-sqlite3"
)

// retryPolicy runs a transaction again after lock errors. SQLite has already
// waited busy_timeout inside each attempt, so a lock error here means a long
// holder (another process, a checkpoint, a schema change); backing off with
// jitter gives it room instead of stampeding the moment it lets go.
type retryPolicy struct {
	maxRetries int
	first, max time.Duration
}

// backoff is the pause before retry number n (0-based): exponential, capped,
// with "equal jitter" (half fixed, half random) so pauses never collapse to 0.
func (p retryPolicy) backoff(n int) time.Duration {
	d := p.first
	for i := 0; i < n && d < p.max; i++ {
		d *= 2
	}
	d = min(d, p.max)
	half := d / 2
	return half + rand.N(half+1)
}

// retry calls attempt until it succeeds, fails with an error that is not a
// lock error, retries are exhausted, or ctx ends. The driver reports
// SQLITE_BUSY (or INTERRUPT) rather than a context error when ctx ends during
// a lock wait or a statement, so those defer to ctx. Errors are translated
// (see Translate); errors of the caller's own come back untouched.
func (db *DB) retry(ctx context.Context, what string, attempt func() error) error {
	for n := 0; ; n++ {
		err := attempt()
		if err == nil {
			return nil
		}
		if !isLockError(err) {
			if ctx.Err() != nil && errors.Is(err, sqlite3.INTERRUPT) {
				return db.ctxError(ctx, what)
			}
			return Translate(db.def.Name, err)
		}
		if ctx.Err() != nil {
			return db.ctxError(ctx, what)
		}
		db.counters.lockErrors.Add(1)
		if n >= db.policy.maxRetries {
			db.counters.gaveUp.Add(1)
			return Translate(db.def.Name, err)
		}
		pause := db.policy.backoff(n)
		db.counters.retries.Add(1)
		db.log.DebugContext(ctx, "dbgen: retrying after lock error",
			"database", db.def.Name, "tx", what, "retry", n+1, "pause", pause, "err", err)
		timer := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			timer.Stop()
			return db.ctxError(ctx, what)
		case <-timer.C:
			// Both may be ready after a long pause: never start an attempt
			// with a context that has ended.
			if ctx.Err() != nil {
				return db.ctxError(ctx, what)
			}
		}
	}
}

func (db *DB) ctxError(ctx context.Context, what string) error {
	return fmt.Errorf("%s: %s transaction: %w", db.def.Name, what, ctx.Err())
}
