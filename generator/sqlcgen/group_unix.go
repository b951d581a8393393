//go:build unix

package sqlcgen

import (
	"errors"
	"os/exec"
	"syscall"
)

// ownGroup starts the child in a process group of its own and has a
// cancelled context kill the whole group: whatever the child starts dies
// with it. Cancel runs before the child is waited for, so its PID, which is
// the group's ID, cannot have been reused yet.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	dieWithParent(cmd.SysProcAttr)
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}

// processAlive reports whether a process with this PID exists (a zombie
// too); EPERM means it does, as another user's.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
