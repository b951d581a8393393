//go:build unix

package sqlcgen

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCancelEndsTheChildAndWhatItStarted: a cancelled context (SIGTERM or
// SIGINT in dbgen) kills the child and its own children, not the child
// alone.
func TestCancelEndsTheChildAndWhatItStarted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := childCommand(ctx, "sh", "-c", "sleep 60 & echo $!; wait")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	grandchild, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Kill(grandchild, syscall.SIGKILL)
	cancel()
	start := time.Now()
	cmd.Wait()
	if d := time.Since(start); d > waitDelay+time.Second {
		t.Errorf("Wait took %s after the cancel", d)
	}
	for range 250 {
		if !running(grandchild) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Errorf("the child's own child %d outlived the cancel", grandchild)
}

// running reports whether pid is a process that has not ended; a zombie
// (ended, not yet reaped by whoever inherited it) has ended.
func running(pid int) bool {
	if stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
		i := strings.LastIndexByte(string(stat), ')')
		return i >= 0 && !strings.HasPrefix(string(stat[i+1:]), " Z")
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
