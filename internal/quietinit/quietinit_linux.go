//go:build linux && (amd64 || arm64)

package quietinit

import "unsafe" // for go:linkname and the path pointer

// rawSyscall is syscall.RawSyscall. Its error result is declared as a plain
// uintptr, the underlying type of syscall.Errno, so that this package need
// not import syscall (see the package documentation).
//
//go:linkname rawSyscall syscall.RawSyscall
func rawSyscall(trap, a1, a2, a3 uintptr) (r1, r2, errno uintptr)

// Values shared by linux/amd64 and linux/arm64, from the syscall package.
const (
	stderrFD      = 2
	fGETFL        = 0x3
	fDUPFDCLOEXEC = 0x406
	oWRONLY       = 0x1
	oNONBLOCK     = 0x800
	oCLOEXEC      = 0x80000
	// firstSpareFD is where the saved copy of fd 2 goes: well above the
	// standard descriptors so that nothing mistakes it for one of them.
	firstSpareFD = 10
)

// devNull is "/dev/null" as the NUL-terminated string openat expects.
var devNull = [...]byte{'/', 'd', 'e', 'v', '/', 'n', 'u', 'l', 'l', 0}

// saved is the descriptor holding the real stderr while fd 2 is silenced,
// or -1.
var saved = -1

func init() {
	flags, _, errno := rawSyscall(sysFCNTL, stderrFD, fGETFL, 0)
	if errno != 0 || flags&oNONBLOCK != 0 {
		return
	}
	fd, _, errno := rawSyscall(sysFCNTL, stderrFD, fDUPFDCLOEXEC, firstSpareFD)
	if errno != 0 {
		return
	}
	// The path is absolute, so openat ignores its directory argument.
	// devNull is a global: the pointer stays valid without keep-alive rules.
	null, _, errno := rawSyscall(sysOPENAT, 0, uintptr(unsafe.Pointer(&devNull[0])), oWRONLY|oCLOEXEC)
	if errno != 0 {
		rawSyscall(sysCLOSE, fd, 0, 0)
		return
	}
	_, _, errno = rawSyscall(sysDUP3, null, stderrFD, 0)
	rawSyscall(sysCLOSE, null, 0, 0)
	if errno != 0 {
		rawSyscall(sysCLOSE, fd, 0, 0)
		return
	}
	saved = int(fd)
}

// Restore points fd 2 back at the real stderr. It is safe to call more than
// once, and does nothing if init did not silence fd 2.
func Restore() {
	if saved < 0 {
		return
	}
	rawSyscall(sysDUP3, uintptr(saved), stderrFD, 0)
	rawSyscall(sysCLOSE, uintptr(saved), 0, 0)
	saved = -1
}
