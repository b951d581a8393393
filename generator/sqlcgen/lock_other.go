//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd)

package sqlcgen

import "os"

// Without flock, a work folder's lock cannot tell a live run from a dead
// one: the folders of dead runs are left to the system's temporary-file
// cleaning.
func lock(*os.File) error { return nil }

func tryLock(*os.File) (bool, error) { return false, nil }
