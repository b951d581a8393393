package runtime

import (
	"bufio"
	"context"
	"crypto/rand"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

const crashChildEnv = "DBGEN_CRASH_CHILD_DIR"

// TestCrashRecovery runs a child process (this test binary again) that
// commits rows as fast as it can and prints each id once its transaction
// has committed. The parent SIGKILLs it mid-run, ten times over the same
// file: afterwards the database must pass integrity_check and hold every id
// the child reported. WAL with synchronous=NORMAL is durable against process
// crashes (not power loss), which is what this checks.
func TestCrashRecovery(t *testing.T) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		crashChild(dir)
		return
	}
	if testing.Short() {
		t.Skip("spawns processes")
	}
	dir := t.TempDir()
	committed := map[int64]bool{}
	for round := range 10 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashRecovery$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		killAfter := 50 + mrand.IntN(400)
		lines := bufio.NewScanner(out)
		reported := 0
		for lines.Scan() {
			id, err := strconv.ParseInt(lines.Text(), 10, 64)
			if err != nil {
				continue // a line cut by the kill, or test framework output
			}
			committed[id] = true
			if reported++; reported == killAfter {
				if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
			}
		}
		cmd.Wait()
		if reported < killAfter {
			t.Fatalf("round %d: the child stopped after %d rows, before the kill", round, reported)
		}
		checkCrashed(t, dir, round, committed)
	}
	t.Logf("%d committed rows survived 10 kills", len(committed))
}

func checkCrashed(t *testing.T, dir string, round int, committed map[int64]bool) {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, dir, shopDef())
	if err != nil {
		t.Fatalf("round %d: re-open: %v", round, err)
	}
	defer db.Close()
	var check string
	if err := db.Reader().QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("round %d: integrity_check = %q, %v", round, check, err)
	}
	present := map[int64]bool{}
	rows, err := db.Reader().QueryContext(ctx, "SELECT rowid FROM notes")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		present[id] = true
	}
	for id := range committed {
		if !present[id] {
			t.Fatalf("round %d: committed row %d is missing", round, id)
		}
	}
}

// crashChild writes from several goroutines until it is killed (or gives
// up after a while, should the parent die first).
func crashChild(dir string) {
	ctx := context.Background()
	db, err := Open(ctx, dir, shopDef(), WithJournalSizeLimit(1<<20))
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(1)
	}
	deadline := time.Now().Add(30 * time.Second)
	var mu sync.Mutex // one id per write(2): lines never interleave
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			payload := make([]byte, 3000) // several pages per transaction
			for time.Now().Before(deadline) {
				rand.Read(payload)
				var ids []int64
				err := db.WriteTx(ctx, func(tx *Tx) error {
					ids = ids[:0]
					for range 3 {
						var id int64
						if err := tx.QueryRowContext(ctx, "INSERT INTO notes(body) VALUES (?) RETURNING rowid", fmt.Sprintf("%x", payload)).Scan(&id); err != nil {
							return err
						}
						ids = append(ids, id)
					}
					return nil
				})
				if err != nil {
					fmt.Fprintln(os.Stderr, "child:", err)
					os.Exit(1)
				}
				mu.Lock()
				for _, id := range ids {
					fmt.Fprintln(os.Stdout, id)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	os.Exit(0)
}
