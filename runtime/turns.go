package runtime

import (
	"context"
	"sync"
)

// On PostgreSQL write transactions run side by side, SERIALIZABLE, and one
// that conflicts with another fails at once (40001, 40P01) rather than
// waiting as SQLite's writer does for its lock. Under contention on a hot
// row a transaction run again as it was could lose every time: each of its
// attempts meets the next writer's commit. So a transaction that conflicted
// runs its next attempt alone among the database's write transactions of
// this process: it waits for those in flight to end, and new ones wait for
// it, before its BEGIN (its snapshot then sees every commit of theirs). The
// others take a shared turn, which costs no round trip. Conflicts with
// other processes remain possible, and are retried with the same backoff.

// turns is a readers-writer lock whose waits end with ctx, and which lets
// no new shared turn start while an exclusive one waits.
type turns struct {
	mu      sync.Mutex
	shared  int  // shared turns held
	alone   bool // the exclusive turn is held
	waiting int  // exclusive turns waited for
	changed chan struct{}
}

// take waits for a turn, exclusive or shared, and returns what ends it;
// it fails only when ctx ends first.
func (t *turns) take(ctx context.Context, exclusive bool) (func(), error) {
	t.mu.Lock()
	counted := false
	for {
		if exclusive && !t.alone && t.shared == 0 {
			t.alone = true
			if counted {
				t.waiting--
			}
			t.mu.Unlock()
			return t.endAlone, nil
		}
		if !exclusive && !t.alone && t.waiting == 0 {
			t.shared++
			t.mu.Unlock()
			return t.endShared, nil
		}
		if exclusive && !counted {
			t.waiting++
			counted = true
		}
		if t.changed == nil {
			t.changed = make(chan struct{})
		}
		ch := t.changed
		t.mu.Unlock()
		select {
		case <-ctx.Done():
			t.mu.Lock()
			if counted {
				t.waiting--
				t.signal() // shared turns held back by this wait may start
			}
			t.mu.Unlock()
			return nil, ctx.Err()
		case <-ch:
		}
		t.mu.Lock()
	}
}

func (t *turns) endAlone() {
	t.mu.Lock()
	t.alone = false
	t.signal()
	t.mu.Unlock()
}

func (t *turns) endShared() {
	t.mu.Lock()
	t.shared--
	if t.shared == 0 {
		t.signal()
	}
	t.mu.Unlock()
}

// signal wakes every waiter to look again; t.mu is held.
func (t *turns) signal() {
	if t.changed != nil {
		close(t.changed)
		t.changed = nil
	}
}
