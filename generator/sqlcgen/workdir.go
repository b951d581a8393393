package sqlcgen

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// A work folder is named dbgen-sqlc-<pid>-<random> and holds a file, lock,
// locked (flock) for as long as the run that made it lives. The kernel
// drops the lock when that process ends, however it ends (SIGKILL too):
// a free lock is a dead run, where a PID alone could have been reused.
// Systems without flock have no lock file, only the PID.
const (
	workPrefix = "dbgen-sqlc-"
	lockName   = "lock"
)

// unlockedAge is how old a work folder without a lock file must be before
// its PID decides: a run locks its folder right after making it, and a
// younger folder may be a live run of another PID namespace (a container
// sharing /dev/shm) about to.
const unlockedAge = time.Minute

// makeWorkDir creates a work folder in root, owned by this process until
// release is called.
func makeWorkDir(root string) (dir string, release func(), err error) {
	dir, err = os.MkdirTemp(root, fmt.Sprintf("%s%d-", workPrefix, os.Getpid()))
	if err != nil {
		return "", nil, err
	}
	unlock, err := lockWorkDir(dir)
	if err != nil {
		os.RemoveAll(dir)
		return "", nil, fmt.Errorf("lock the work folder %s: %w", dir, err)
	}
	return dir, func() {
		os.RemoveAll(dir)
		unlock()
	}, nil
}

// sweepWorkDirs removes the work folders in root left by runs that are
// over: interrupted by SIGKILL, a crash or a power cut, they could not
// remove their own, and in /dev/shm each holds memory until the next boot.
// A live run's folder is never touched.
func sweepWorkDirs(root string) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return
	}
	for _, e := range entries {
		pid, ok := workDirPID(e.Name())
		if !ok || !e.IsDir() { // a link by that name is not ours to follow
			continue
		}
		sweepWorkDir(filepath.Join(root, e.Name()), pid)
	}
}

func sweepWorkDir(dir string, pid int) {
	f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		if fi, err := os.Lstat(dir); err == nil && time.Since(fi.ModTime()) > unlockedAge && !processAlive(pid) {
			os.RemoveAll(dir)
		}
		return
	}
	if err != nil {
		return // another user's, or unreadable: not ours to judge
	}
	defer f.Close()
	if free, err := tryLock(f); err == nil && free {
		os.RemoveAll(dir) // holding the lock: no other sweep races us
	}
}

// workDirPID returns the PID in a work folder's name.
func workDirPID(name string) (int, bool) {
	rest, ok := strings.CutPrefix(name, workPrefix)
	if !ok {
		return 0, false
	}
	digits, random, ok := strings.Cut(rest, "-")
	if !ok || random == "" {
		return 0, false
	}
	pid, err := strconv.Atoi(digits)
	if err != nil || pid <= 0 || strconv.Itoa(pid) != digits {
		return 0, false
	}
	return pid, true
}
