package sqliteconn

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
)

// TestOpenNewFileTogether opens the same new file from several pools at the
// same moment, as instances of an application starting together do: each
// connection switches it to WAL, and SQLite answers one of them "database
// is locked" without waiting through busy_timeout (about once in 400 opens
// before Connect retried). Every open must succeed.
func TestOpenNewFileTogether(t *testing.T) {
	const rounds, pools = 100, 4
	var mu sync.Mutex
	var failures []error
	for round := range rounds {
		path := filepath.Join(t.TempDir(), fmt.Sprint(round, ".db"))
		var wg sync.WaitGroup
		for range pools {
			wg.Go(func() {
				db, err := Open("file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(wal)&_pragma=synchronous(normal)", nil)
				if err == nil {
					defer db.Close()
					var mode string
					err = db.QueryRow("PRAGMA journal_mode").Scan(&mode)
				}
				if err != nil {
					mu.Lock()
					failures = append(failures, err)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
	}
	if len(failures) > 0 {
		t.Errorf("%d of %d opens failed, the first: %v", len(failures), rounds*pools, failures[0])
	}
}
