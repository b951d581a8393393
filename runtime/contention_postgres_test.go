package runtime

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// retryLog records the runtime's "retrying after lock error" debug lines:
// the error retried and the pause taken before the next attempt.
type retryLog struct {
	mu      sync.Mutex
	retries []retryRecord
}

type retryRecord struct {
	code  string // SQLSTATE of the error retried
	pause time.Duration
	retry int64
}

func (l *retryLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *retryLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *retryLog) WithGroup(string) slog.Handler            { return l }

func (l *retryLog) Handle(_ context.Context, r slog.Record) error {
	if !strings.HasPrefix(r.Message, "dbgen: retrying") {
		return nil
	}
	var rec retryRecord
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "pause":
			rec.pause = a.Value.Duration()
		case "retry":
			rec.retry = a.Value.Int64()
		case "err":
			var pe *pgconn.PgError
			if err, ok := a.Value.Any().(error); ok && errors.As(err, &pe) {
				rec.code = pe.Code
			}
		}
		return true
	})
	l.mu.Lock()
	l.retries = append(l.retries, rec)
	l.mu.Unlock()
	return nil
}

func (l *retryLog) codes() map[string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := map[string]int{}
	for _, r := range l.retries {
		n[r.code]++
	}
	return n
}

// checkBackoff checks that every retry paused as retryPolicy.backoff does
// for its number: between half and all of min(first·2^(n-1), max).
func (l *retryLog) checkBackoff(t *testing.T, first, limit time.Duration) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, r := range l.retries {
		d := first
		for i := int64(1); i < r.retry && d < limit; i++ {
			d *= 2
		}
		d = min(d, limit)
		if r.pause < d/2 || r.pause > d {
			t.Errorf("retry %d after %s paused %s, want within [%s, %s]", r.retry, r.code, r.pause, d/2, d)
		}
	}
}

// TestPostgresContention runs 16 writers for a few seconds, each doing
// read-modify-write transactions through the typed methods, as generated
// code does in WriteTx: read the counter row, write it +1, insert a row.
// SERIALIZABLE makes concurrent increments conflict (40001), which WriteTx
// must retry as whole transactions with the backoff of SQLite's busy
// retries: no caller sees an error, and the counter equals the rows
// inserted and the transactions committed, exactly.
func TestPostgresContention(t *testing.T) {
	if testing.Short() {
		t.Skip("runs for seconds")
	}
	ctx := context.Background()
	log := &retryLog{}
	const first, limit = defaultBackoffMin, defaultBackoffMax
	db := postgresEngine.open(t, itemsDef, WithLogger(slog.New(log)))
	counter, err := itemsTT.Create(ctx, db, itemValuesOf("counter", 0))
	if err != nil {
		t.Fatal(err)
	}
	const writers = 16
	deadline := time.Now().Add(3 * time.Second)
	var committed atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				err := db.WriteTx(ctx, func(tx *Tx) error {
					c, err := itemsTT.Get(ctx, tx, counter.ID)
					if err != nil {
						return err
					}
					set := NewValues(1)
					set.Add(2, c.Qty+1)
					if _, err := itemsTT.Update(ctx, tx, set, counter.ID); err != nil {
						return err
					}
					_, err = itemsTT.Create(ctx, tx, itemValuesOf("row", int64(w)))
					return err
				})
				if err != nil {
					errs <- err
					return
				}
				committed.Add(1)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("a writer got an error: %v", err)
	}
	got, err := itemsTT.Get(ctx, db, counter.ID)
	if err != nil {
		t.Fatal(err)
	}
	var rows int64
	if err := db.Reader().QueryRowContext(ctx, `SELECT count(*) FROM items WHERE name = 'row'`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	n := committed.Load()
	if got.Qty != n || rows != n {
		t.Errorf("counter %d, rows %d, transactions committed %d: want all equal", got.Qty, rows, n)
	}
	st := db.Stats()
	codes := log.codes()
	t.Logf("%d transactions committed by %d writers; %d retries (by SQLSTATE %v), %d gave up", n, writers, st.Retries, codes, st.GaveUp)
	if n == 0 {
		t.Fatal("nothing committed")
	}
	if codes[pgSerialization] == 0 {
		t.Errorf("no serialization failure was retried (retries by SQLSTATE: %v): the writers never conflicted", codes)
	}
	for code := range codes {
		if code != pgSerialization && code != pgDeadlock && code != pgLockNotAvailable {
			t.Errorf("retried an error with SQLSTATE %q", code)
		}
	}
	if st.GaveUp != 0 {
		t.Errorf("%d transactions gave up", st.GaveUp)
	}
	log.checkBackoff(t, first, limit)
}

// TestPostgresDeadlockRetried forces a deadlock: two transactions update
// the same two rows in opposite orders, each waiting for the other to hold
// its first row before taking its second. PostgreSQL aborts one (40P01);
// WriteTx runs it again as a whole, after a backoff pause, and both
// transactions' writes are there, once each.
func TestPostgresDeadlockRetried(t *testing.T) {
	ctx := context.Background()
	log := &retryLog{}
	const first, limit = 5 * time.Millisecond, 50 * time.Millisecond
	db := postgresEngine.open(t, itemsDef, WithLogger(slog.New(log)), WithBackoff(first, limit))
	a, err := itemsTT.Create(ctx, db, itemValuesOf("a", 0))
	if err != nil {
		t.Fatal(err)
	}
	b, err := itemsTT.Create(ctx, db, itemValuesOf("b", 0))
	if err != nil {
		t.Fatal(err)
	}
	// holding[i] is closed once transaction i holds its first row, on its
	// first attempt; a retried attempt waits for nothing.
	holding := [2]chan struct{}{make(chan struct{}), make(chan struct{})}
	var attempts [2]atomic.Int64
	run := func(i int, order [2]int64) error {
		return db.WriteTx(ctx, func(tx *Tx) error {
			n := attempts[i].Add(1)
			for j, id := range order {
				if _, err := tx.ExecContext(ctx, `UPDATE items SET qty = qty + 1 WHERE id = $1`, id); err != nil {
					return err
				}
				if j == 0 && n == 1 {
					close(holding[i])
					<-holding[1-i]
				}
			}
			return nil
		})
	}
	var wg sync.WaitGroup
	var errs [2]error
	wg.Go(func() { errs[0] = run(0, [2]int64{a.ID, b.ID}) })
	wg.Go(func() { errs[1] = run(1, [2]int64{b.ID, a.ID}) })
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("transaction %d: %v", i, err)
		}
	}
	for _, id := range []int64{a.ID, b.ID} {
		got, err := itemsTT.Get(ctx, db, id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Qty != 2 {
			t.Errorf("row %d: qty %d, want 2 (one increment by each transaction)", id, got.Qty)
		}
	}
	codes := log.codes()
	if codes[pgDeadlock] != 1 || len(codes) != 1 {
		t.Errorf("retries by SQLSTATE %v, want one deadlock (40P01)", codes)
	}
	if total := attempts[0].Load() + attempts[1].Load(); total != 3 {
		t.Errorf("%d attempts, want 3: one transaction run again as a whole", total)
	}
	if st := db.Stats(); st.Retries != 1 || st.LockErrors != 1 {
		t.Errorf("stats: %d retries, %d lock errors, want 1 and 1", st.Retries, st.LockErrors)
	}
	log.checkBackoff(t, first, limit)
}

// itemValuesOf is the Values of a new item.
func itemValuesOf(name string, qty int64) Values {
	v := NewValues(3)
	v.Add(1, name)
	v.Add(2, qty)
	v.Add(3, 0.0)
	return v
}
