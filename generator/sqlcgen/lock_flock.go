//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package sqlcgen

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
)

// lockWorkDir makes the lock of a work folder (see workdir.go). It is taken
// under another name and renamed into place, so that a sweep never finds
// the lock file free while its run lives. flock, unlike fcntl's locks, also
// conflicts between two runs in one process.
func lockWorkDir(dir string) (unlock func(), err error) {
	f, err := os.CreateTemp(dir, lockName+"-")
	if err != nil {
		return nil, err
	}
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(dir, lockName))
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}

// tryLock takes the lock of another run's work folder if that run is over.
func tryLock(f *os.File) (free bool, err error) {
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return false, nil
	}
	return err == nil, err
}
