package runtime

import (
	"context"
	"errors"
	"testing"
	"time"
)

// turns: shared turns run together; an exclusive one waits for them to
// end and holds back new shared ones while it waits and runs; a wait ends
// with its context, and leaves the lock as it found it.
func TestTurns(t *testing.T) {
	var tu turns
	ctx := context.Background()
	end1, err := tu.take(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	end2, err := tu.take(ctx, false)
	if err != nil {
		t.Fatal("a second shared turn waited:", err)
	}
	alone := make(chan func())
	go func() {
		end, err := tu.take(ctx, true)
		if err != nil {
			t.Error(err)
		}
		alone <- end
	}()
	// The exclusive turn is waiting (or about to): a new shared turn
	// whose context ends must give up rather than pass it.
	for {
		tu.mu.Lock()
		waiting := tu.waiting
		tu.mu.Unlock()
		if waiting == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := tu.take(short, false); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a shared turn passed a waiting exclusive one: %v", err)
	}
	end1()
	select {
	case <-alone:
		t.Fatal("the exclusive turn began while a shared one was held")
	case <-time.After(10 * time.Millisecond):
	}
	end2()
	endAlone := <-alone
	after := make(chan struct{})
	go func() {
		end, err := tu.take(ctx, false)
		if err != nil {
			t.Error(err)
		}
		end()
		close(after)
	}()
	select {
	case <-after:
		t.Fatal("a shared turn began during the exclusive one")
	case <-time.After(10 * time.Millisecond):
	}
	endAlone()
	<-after

	// An exclusive wait that gives up lets held-back shared turns go.
	end3, _ := tu.take(ctx, false)
	gaveUp, cancel2 := context.WithCancel(ctx)
	done := make(chan error)
	go func() {
		_, err := tu.take(gaveUp, true)
		done <- err
	}()
	for {
		tu.mu.Lock()
		waiting := tu.waiting
		tu.mu.Unlock()
		if waiting == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	cancel2()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("exclusive wait after cancel: %v", err)
	}
	end4, err := tu.take(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	end3()
	end4()
	if tu.shared != 0 || tu.alone || tu.waiting != 0 {
		t.Errorf("left shared %d, alone %v, waiting %d", tu.shared, tu.alone, tu.waiting)
	}
}
