package sqlcgen

import "syscall"

// dieWithParent has the kernel kill the child when dbgen ends without
// cancelling it, on SIGKILL: sqlc would otherwise run on, for nothing.
func dieWithParent(attr *syscall.SysProcAttr) { attr.Pdeathsig = syscall.SIGKILL }
