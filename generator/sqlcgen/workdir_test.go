package sqlcgen

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// helperRootEnv makes the test binary a run that makes a work folder and
// ends without removing it, as a SIGKILLed dbgen does.
const helperRootEnv = "DBGEN_TEST_WORKDIR_ROOT"

func TestHelperAbandonWorkDir(t *testing.T) {
	root := os.Getenv(helperRootEnv)
	if root == "" {
		t.Skip("helper process of TestSweepRemovesOnlyTheFoldersOfDeadRuns")
	}
	dir, _, err := makeWorkDir(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Print(dir)
	os.Exit(0)
}

// TestSweepRemovesOnlyTheFoldersOfDeadRuns: a sweep removes the work folders
// of runs that are over and keeps those of live runs, telling them apart by
// the lock a run holds while it lives, not by a PID that may be reused.
func TestSweepRemovesOnlyTheFoldersOfDeadRuns(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" && !strings.HasSuffix(runtime.GOOS, "bsd") {
		t.Skip("no flock: folders are never swept")
	}
	root := t.TempDir()
	live, release, err := makeWorkDir(root)
	if err != nil {
		t.Fatal(err)
	}
	defer release()

	// A run that ended without cleaning up: a real process that is gone.
	helper := exec.Command(os.Args[0], "-test.run=^TestHelperAbandonWorkDir$")
	helper.Env = append(os.Environ(), helperRootEnv+"="+root)
	out, err := helper.Output()
	if err != nil {
		t.Fatalf("helper: %v", err)
	}
	abandoned := string(out)
	deadPID := helper.ProcessState.Pid()

	old := time.Now().Add(-2 * unlockedAge)
	mkdir := func(name string, lockFile bool, mtime time.Time) string {
		dir := filepath.Join(root, name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if lockFile {
			os.WriteFile(filepath.Join(dir, lockName), nil, 0o644)
		}
		os.WriteFile(filepath.Join(dir, "sqlc.json"), []byte("{}"), 0o644)
		os.Chtimes(dir, mtime, mtime)
		return dir
	}
	me := os.Getpid()
	swept := []string{
		abandoned,
		// The PID lives, but the lock is free: the PID was reused.
		mkdir(fmt.Sprintf("%s%d-reused", workPrefix, me), true, time.Now()),
		// Died between making the folder and its lock, long ago.
		mkdir(fmt.Sprintf("%s%d-nolock", workPrefix, deadPID), false, old),
	}
	kept := []string{
		live,
		// Between making the folder and its lock: its PID lives.
		mkdir(fmt.Sprintf("%s%d-starting", workPrefix, me), false, old),
		// Dead PID, but too young to be sure it is not another PID
		// namespace's run about to take its lock.
		mkdir(fmt.Sprintf("%s%d-young", workPrefix, deadPID), false, time.Now()),
		// Not named as ours (a build of dbgen before the locks, other tools).
		mkdir(workPrefix+"123456789", false, old),
		mkdir("dbgen-sqlc-x-1", false, old),
		mkdir("other-folder", false, old),
	}
	target := mkdir("target", true, old)
	link := filepath.Join(root, fmt.Sprintf("%s%d-link", workPrefix, deadPID))
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	kept = append(kept, link, target, filepath.Join(target, "sqlc.json"))

	sweepWorkDirs(root)
	for _, dir := range swept {
		if _, err := os.Lstat(dir); !os.IsNotExist(err) {
			t.Errorf("%s not swept (%v)", filepath.Base(dir), err)
		}
	}
	for _, dir := range kept {
		if _, err := os.Lstat(dir); err != nil {
			t.Errorf("%s swept: %v", filepath.Base(dir), err)
		}
	}
	if _, err := os.Stat(filepath.Join(live, lockName)); err != nil {
		t.Errorf("the live run's lock: %v", err)
	}
}

// TestWorkDirPID reads the PID only from names dbgen makes.
func TestWorkDirPID(t *testing.T) {
	for name, want := range map[string]int{
		"dbgen-sqlc-42-123": 42, "dbgen-sqlc-42-": 0, "dbgen-sqlc-123": 0, "dbgen-sqlc-042-1": 0,
		"dbgen-sqlc--1-1": 0, "dbgen-sqlc-0-1": 0, "other-42-1": 0, "dbgen-sqlc-+4-1": 0,
	} {
		got, ok := workDirPID(name)
		if got != want || ok != (want > 0) {
			t.Errorf("workDirPID(%q) = %d, %v; want %d", name, got, ok, want)
		}
	}
}
