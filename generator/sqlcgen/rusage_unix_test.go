//go:build unix

package sqlcgen

import (
	"syscall"
	"time"
)

// childCPU is the CPU time used so far by the children this process waited
// for: the sqlc runs, which do all of the work of Generate.
func childCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
