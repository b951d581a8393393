//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package sqlcgen

import (
	"errors"
	"os"
	"syscall"
)

// lock takes the lock of a work folder (see workdir.go). flock, unlike
// fcntl's locks, also conflicts between two runs in one process.
func lock(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}

// tryLock takes the lock of another run's work folder if that run is over.
func tryLock(f *os.File) (free bool, err error) {
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return false, nil
	}
	return err == nil, err
}
