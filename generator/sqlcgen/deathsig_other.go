//go:build unix && !linux

package sqlcgen

import "syscall"

// dieWithParent: only Linux can have the kernel kill a child with its
// parent; elsewhere a child of a SIGKILLed dbgen finishes on its own.
func dieWithParent(*syscall.SysProcAttr) {}
