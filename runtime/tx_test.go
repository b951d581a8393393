package runtime

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ncruces/go-sqlite3"
	"github.com/ncruces/go-sqlite3/driver"
)

func TestWriteTxRetries(t *testing.T) {
	userErr := errors.New("insufficient funds")
	tests := []struct {
		name        string
		failures    []error // returned by fn on its first attempts
		maxRetries  int
		wantCalls   int
		wantRetries int64
		wantErr     error // matched with errors.Is; nil means success
	}{
		{"no error", nil, 3, 1, 0, nil},
		{"busy then ok", []error{sqlite3.BUSY, sqlite3.BUSY}, 3, 3, 2, nil},
		{"busy snapshot", []error{sqlite3.BUSY_SNAPSHOT}, 3, 2, 1, nil},
		{"locked", []error{fmt.Errorf("wrapped: %w", sqlite3.LOCKED)}, 3, 2, 1, nil},
		{"retries exhausted", []error{sqlite3.BUSY, sqlite3.BUSY, sqlite3.BUSY}, 2, 3, 2, ErrLocked},
		{"no retries", []error{sqlite3.BUSY}, 0, 1, 0, sqlite3.BUSY},
		{"caller error not retried", []error{userErr}, 3, 1, 0, userErr},
		{"constraint not retried", []error{sqlite3.CONSTRAINT_UNIQUE}, 3, 1, 0, ErrConstraint},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openShop(t, WithMaxRetries(tt.maxRetries), WithBackoff(time.Millisecond, 2*time.Millisecond))
			calls := 0
			err := db.WriteTx(context.Background(), func(tx *Tx) error {
				calls++
				if _, err := tx.Exec("INSERT INTO notes(body) VALUES ('x')"); err != nil {
					return err
				}
				if calls <= len(tt.failures) {
					return tt.failures[calls-1]
				}
				return nil
			})
			if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr == userErr && err != userErr {
				t.Errorf("caller's error came back as %v, want it untouched", err)
			}
			if calls != tt.wantCalls || db.Stats().Retries != tt.wantRetries {
				t.Errorf("calls %d retries %d, want %d and %d", calls, db.Stats().Retries, tt.wantCalls, tt.wantRetries)
			}
			// Every failed attempt was rolled back: at most one row, from the success.
			var n int
			db.Reader().QueryRow("SELECT count(*) FROM notes").Scan(&n)
			if want := map[bool]int{true: 1, false: 0}[tt.wantErr == nil]; n != want {
				t.Errorf("%d rows, want %d", n, want)
			}
		})
	}
}

func TestWriteTxContext(t *testing.T) {
	db := openShop(t, WithMaxRetries(100), WithBackoff(50*time.Millisecond, 50*time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	calls := 0
	err := db.WriteTx(ctx, func(*Tx) error { calls++; return sqlite3.BUSY })
	if !errors.Is(err, context.DeadlineExceeded) || calls != 1 {
		t.Errorf("err = %v after %d calls, want the deadline after 1 call", err, calls)
	}
	err = db.WriteTx(ctx, func(*Tx) error { return nil })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WriteTx with an expired ctx: %v", err)
	}
}

func TestWriteTxPanicRollsBack(t *testing.T) {
	db := openShop(t)
	func() {
		defer func() {
			if recover() == nil {
				t.Error("panic swallowed")
			}
		}()
		db.WriteTx(context.Background(), func(tx *Tx) error {
			tx.Exec("INSERT INTO notes(body) VALUES ('x')")
			panic("boom")
		})
	}()
	// The single writer connection must be usable again.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := db.WriteTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRow("SELECT count(*) FROM notes").Scan(&n); err != nil || n != 0 {
			return fmt.Errorf("count %d, %v; want 0", n, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// TestWriteTxWaitsForAnotherProcess holds the write lock from a second
// connection, as another process would, for longer than busy_timeout:
// SQLite reports BUSY, WriteTx backs off and succeeds once the lock is gone.
func TestWriteTxWaitsForAnotherProcess(t *testing.T) {
	db := openShop(t, WithBusyTimeout(20*time.Millisecond), WithMaxRetries(50),
		WithBackoff(5*time.Millisecond, 20*time.Millisecond))
	other, err := driver.Open("file:" + db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := other.Begin() // IMMEDIATE: takes the write lock now
	if err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(200*time.Millisecond, func() { tx.Rollback() })
	start := time.Now()
	err = db.WriteTx(context.Background(), func(tx *Tx) error {
		_, err := tx.Exec("INSERT INTO notes(body) VALUES ('after the lock')")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	st := db.Stats()
	if st.Retries == 0 || st.GaveUp != 0 || time.Since(start) < 150*time.Millisecond {
		t.Errorf("stats %+v after %v: want retries while the lock was held", st, time.Since(start))
	}
}

// TestContention is the acceptance test: 16 writers each run 500
// read-then-write transactions while 4 readers check an invariant, with
// default options. No error may surface and every increment must land.
func TestContention(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	const writers, txs, readers = 16, 500, 4
	db := openShop(t)
	ctx := context.Background()
	if _, err := db.Create(ctx, "users", map[string]any{"email": "counter@x", "name": "counter", "age": 0}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var writeErrs, readErrs atomic.Int64
	var (
		firstErr error
		once     sync.Once
	)
	fail := func(counter *atomic.Int64, err error) {
		counter.Add(1)
		once.Do(func() { firstErr = err })
	}
	for w := range writers {
		wg.Go(func() {
			for i := range txs {
				err := db.WriteTx(ctx, func(tx *Tx) error {
					var age int
					if err := tx.QueryRowContext(ctx, "SELECT age FROM users WHERE email = 'counter@x'").Scan(&age); err != nil {
						return err
					}
					if _, err := tx.ExecContext(ctx, "UPDATE users SET age = ? WHERE email = 'counter@x'", age+1); err != nil {
						return err
					}
					_, err := tx.ExecContext(ctx, "INSERT INTO notes(body) VALUES (?)", fmt.Sprintf("%d/%d", w, i))
					return err
				})
				if err != nil {
					fail(&writeErrs, err)
				}
			}
		})
	}
	done := make(chan struct{})
	var reads atomic.Int64
	var rg sync.WaitGroup
	for range readers {
		rg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				err := db.ReadTx(ctx, func(tx *Tx) error {
					var age, notes int
					if err := tx.QueryRowContext(ctx, "SELECT age FROM users WHERE email = 'counter@x'").Scan(&age); err != nil {
						return err
					}
					if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM notes").Scan(&notes); err != nil {
						return err
					}
					if age != notes {
						return fmt.Errorf("snapshot broken: counter %d, notes %d", age, notes)
					}
					return nil
				})
				if err != nil {
					fail(&readErrs, err)
				}
				reads.Add(1)
			}
		})
	}
	wg.Wait()
	close(done)
	rg.Wait()
	if writeErrs.Load() != 0 || readErrs.Load() != 0 {
		t.Fatalf("%d write and %d read errors, first: %v", writeErrs.Load(), readErrs.Load(), firstErr)
	}
	var age, notes int
	db.Reader().QueryRow("SELECT age FROM users WHERE email = 'counter@x'").Scan(&age)
	db.Reader().QueryRow("SELECT count(*) FROM notes").Scan(&notes)
	if age != writers*txs || notes != writers*txs {
		t.Errorf("counter %d, notes %d, want %d", age, notes, writers*txs)
	}
	st := db.Stats()
	t.Logf("%d reads alongside; stats: write txs %d, retries %d, lock errors %d", reads.Load(), st.WriteTxs, st.Retries, st.LockErrors)
	if st.WriteTxs < writers*txs {
		t.Errorf("WriteTxs = %d", st.WriteTxs)
	}
}

// TestWriteThroughDBInsideWriteTx: a write through the DB inside WriteTx's
// fn waits for the single writer its own transaction holds. It used to wait
// forever under context.Background(); now it fails with DATABASE_LOCKED,
// saying to use the *Tx, once it has waited as long as a lock may take, and
// the transaction goes on.
func TestWriteThroughDBInsideWriteTx(t *testing.T) {
	ctx := context.Background()
	db := openShop(t, WithBusyTimeout(100*time.Millisecond), WithMaxRetries(1))
	var inner []error
	err := db.WriteTx(ctx, func(tx *Tx) error {
		inner = append(inner, db.Write(ctx, func(w *sql.DB) error {
			_, err := w.ExecContext(ctx, "INSERT INTO notes(body) VALUES ('through db')")
			return err
		}))
		inner = append(inner, db.WriteTx(ctx, func(*Tx) error { return nil }))
		_, err := tx.ExecContext(ctx, "INSERT INTO notes(body) VALUES ('through tx')")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, err := range inner {
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeDatabaseLocked || !strings.Contains(e.Message, "write through the *Tx") {
			t.Errorf("write %d through db inside WriteTx: %v, want DATABASE_LOCKED saying to use the *Tx", i, err)
		}
	}
	var bodies []string
	rows, err := db.Reader().QueryContext(ctx, "SELECT body FROM notes")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var b string
		rows.Scan(&b)
		bodies = append(bodies, b)
	}
	if len(bodies) != 1 || bodies[0] != "through tx" {
		t.Errorf("notes = %q, want only the transaction's row", bodies)
	}
	// The writer is free again.
	if err := db.Write(ctx, func(w *sql.DB) error { _, err := w.ExecContext(ctx, "DELETE FROM notes"); return err }); err != nil {
		t.Fatal(err)
	}
}

// TestNestedWriteTxOnPostgres: on PostgreSQL a WriteTx inside another's fn
// runs beside it, until a transaction that conflicted waits to run alone:
// from then on the inner one waits for a turn the outer one holds back. It
// used to wait forever; now it fails with DATABASE_LOCKED, as on SQLite.
func TestNestedWriteTxOnPostgres(t *testing.T) {
	ctx := context.Background()
	db := openShopOn(t, postgresEngine, WithBusyTimeout(100*time.Millisecond), WithMaxRetries(1))
	var inner error
	err := db.WriteTx(ctx, func(tx *Tx) error {
		// A transaction of another goroutine that conflicted waits to run
		// alone, for the outer transaction's turn to end.
		waiting := make(chan struct{})
		go func() {
			close(waiting)
			if end, err := db.turns.take(ctx, true); err == nil {
				end()
			}
		}()
		<-waiting
		for !db.exclusiveWaiting() {
			time.Sleep(time.Millisecond)
		}
		inner = db.WriteTx(ctx, func(*Tx) error { return nil })
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var e *Error
	if !errors.As(inner, &e) || e.Code != CodeDatabaseLocked || !strings.Contains(e.Message, "write through the *Tx") {
		t.Errorf("WriteTx inside WriteTx's fn, with a turn waited for: %v, want DATABASE_LOCKED saying to use the *Tx", inner)
	}
}

// exclusiveWaiting reports whether a transaction waits to run alone.
func (db *DB) exclusiveWaiting() bool {
	db.turns.mu.Lock()
	defer db.turns.mu.Unlock()
	return db.turns.waiting > 0
}
