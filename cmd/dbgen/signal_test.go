//go:build linux

package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSigtermEndsTheSqlcChild: SIGTERM stops generate as an interrupt does
// (exit 2), ending the sqlc child and removing its work folder, which would
// otherwise hold tens of MB of /dev/shm until the next reboot.
func TestSigtermEndsTheSqlcChild(t *testing.T) {
	project, scratch := slowProject(t), t.TempDir()
	run := startDbgen(t, project, scratch, "generate")
	child := waitForChild(t, run)
	if dirs := workDirs(t, scratch); len(dirs) != 1 {
		t.Fatalf("work folders while sqlc runs: %q, want one", dirs)
	}
	if err := run.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := run.wait(t); code != exitInput {
		t.Errorf("exit code after SIGTERM = %d, want %d (an interrupt)\nstderr: %s", code, exitInput, run.stderr.String())
	}
	if !strings.Contains(run.stderr.String(), "interrupted") {
		t.Errorf("stderr = %q, want it to say the run was interrupted", run.stderr.String())
	}
	waitGone(t, child)
	if dirs := workDirs(t, scratch); len(dirs) != 0 {
		t.Errorf("work folders left after SIGTERM: %q", dirs)
	}
}

// TestSigkilledRunIsSweptByTheNext: a SIGKILLed generate cannot clean up;
// its sqlc child dies with it, and the next run removes its work folder.
func TestSigkilledRunIsSweptByTheNext(t *testing.T) {
	project, scratch := slowProject(t), t.TempDir()
	first := startDbgen(t, project, scratch, "generate")
	child := waitForChild(t, first)
	stale := workDirs(t, scratch)
	if len(stale) != 1 {
		t.Fatalf("work folders while sqlc runs: %q, want one", stale)
	}
	if err := first.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	first.wait(t)
	waitGone(t, child)

	second := startDbgen(t, project, scratch, "generate")
	waitForChild(t, second) // the sweep comes before the child starts
	dirs := workDirs(t, scratch)
	if len(dirs) != 1 || dirs[0] == stale[0] {
		t.Errorf("work folders while the next run's sqlc runs: %q; the dead run's %s should be gone", dirs, stale[0])
	}
	second.cmd.Process.Signal(syscall.SIGTERM)
	second.wait(t)
}

// slowProject is a module whose queries keep sqlc busy for a few seconds,
// long enough to signal generate while its child runs.
func slowProject(t *testing.T) string {
	dir := t.TempDir()
	var queries strings.Builder
	for i := range 1500 {
		fmt.Fprintf(&queries, "-- name: ItemsAbove%d :many\nSELECT id, name, price FROM items WHERE price > ? AND id <> %d ORDER BY name;\n\n", i, i)
	}
	files := map[string]string{
		"go.mod":           "module example.com/app\n",
		"shop/schema.sql":  "-- DATABASE_NAME: shop\nCREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price INTEGER NOT NULL);\n",
		"shop/queries.sql": queries.String(),
	}
	for name, data := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

type dbgenRun struct {
	cmd    *exec.Cmd
	stderr bytes.Buffer
	done   chan error
}

// startDbgen runs this test binary as dbgen (TestMain dispatches on the
// program name), with its scratch folder in scratch (TMPDIR) and its build
// stamps in a cache of its own.
func startDbgen(t *testing.T, project, scratch string, args ...string) *dbgenRun {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	r := &dbgenRun{done: make(chan error, 1)}
	r.cmd = &exec.Cmd{Path: exe, Args: append([]string{"dbgen"}, args...), Dir: project}
	r.cmd.Env = append(os.Environ(), "TMPDIR="+scratch, "XDG_CACHE_HOME="+t.TempDir())
	r.cmd.Stderr = &r.stderr
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { r.done <- r.cmd.Wait() }()
	t.Cleanup(func() {
		r.cmd.Process.Kill()
		<-r.done
	})
	return r
}

// wait returns the exit code, -1 for a death by signal.
func (r *dbgenRun) wait(t *testing.T) int {
	select {
	case err := <-r.done:
		r.done <- err // for the cleanup
		var exit *exec.ExitError
		switch {
		case err == nil:
			return 0
		case errors.As(err, &exit):
			return exit.ExitCode()
		default:
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("dbgen did not exit within 30 s of the signal")
	}
	return 0
}

// waitForChild returns the PID of the sqlc child of r once it runs, and
// makes sure it does not outlive the test.
func waitForChild(t *testing.T, r *dbgenRun) int {
	parent := r.cmd.Process.Pid
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-r.done:
			t.Fatalf("dbgen ended (%v) before its sqlc child was seen; stderr: %s", err, r.stderr.String())
		default:
		}
		entries, _ := os.ReadDir("/proc")
		for _, e := range entries {
			pid, err := strconv.Atoi(e.Name())
			if err != nil {
				continue
			}
			if ppid, _ := procParent(pid); ppid == parent && isSqlcChild(pid) {
				t.Cleanup(func() {
					if isSqlcChild(pid) {
						syscall.Kill(pid, syscall.SIGKILL)
					}
				})
				return pid
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("no sqlc child within 2 minutes")
	return 0
}

// waitGone fails unless process pid ends within 2 s: the sqlc child,
// left alone, would run for far longer.
func waitGone(t *testing.T, pid int) {
	for range 100 {
		if !isSqlcChild(pid) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Errorf("the sqlc child %d still runs after dbgen ended", pid)
}

// isSqlcChild reports whether pid is a live (not zombie) process started as
// dbgen's sqlc child: it guards the cleanup's kill against a reused PID.
func isSqlcChild(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	if i := bytes.LastIndexByte(stat, ')'); i < 0 || bytes.HasPrefix(stat[i+1:], []byte(" Z")) {
		return false
	}
	env, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", pid))
	return err == nil && bytes.Contains(env, []byte("\x00DBGEN_SQLCGEN_CHILD=1\x00"))
}

func procParent(pid int) (int, error) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// pid (comm) state ppid ...: comm may hold spaces and parentheses.
	i := bytes.LastIndexByte(stat, ')')
	fields := strings.Fields(string(stat[i+1:]))
	if len(fields) < 2 {
		return 0, fmt.Errorf("/proc/%d/stat: %q", pid, stat)
	}
	return strconv.Atoi(fields[1])
}

// workDirs lists sqlc's work folders in scratch.
func workDirs(t *testing.T, scratch string) []string {
	matches, err := filepath.Glob(filepath.Join(scratch, "dbgen-sqlc-*"))
	if err != nil {
		t.Fatal(err)
	}
	return matches
}
