// Package quietinit keeps dbgen's stderr clean while the packages of the
// program initialize, by pointing file descriptor 2 at /dev/null until
// Restore is called. Import it only through its restore subpackage.
//
// # Why
//
// sqlc v1.31.1 imports github.com/ncruces/go-sqlite3/embed, whose init (at
// v0.37.0, the version dbgen pins) runs
//
//	println("If you're reading this, you're unnecessarily importing github.com/ncruces/go-sqlite3/embed.")
//
// which the runtime writes straight to fd 2 when the process starts: every
// dbgen command, `go run` from a user's go:generate line included, would
// print it. Neither pin can change here, and a replace directive in dbgen's
// go.mod would not reach users who build dbgen inside their own module.
//
// # How
//
// Since Go 1.21 the packages of a program are initialized in import-path
// order among those whose imports are already initialized. This package
// imports nothing but "unsafe", so it is ready from the first step, and
// "github.com/dbgen-dev/..." sorts before "github.com/ncruces/...": its init
// runs before embed's. It duplicates fd 2 to a spare close-on-exec
// descriptor and points fd 2 at /dev/null. The restore subpackage imports
// embed and this package, so its init runs after embed's; it calls Restore,
// which moves the saved descriptor back onto fd 2. The window in which fd 2
// is silenced is only the packages initialized between the two.
//
// The package makes raw system calls through syscall.RawSyscall, reached by
// //go:linkname (the syscall package marks it as a linkname target, so the
// linker allows it) because importing "syscall" would make this package wait
// for syscall's initialization and so run after embed.
//
// It does nothing when fd 2 is closed, when /dev/null cannot be opened, or
// when fd 2 is in non-blocking mode (the os package decides how to write to
// fd 2 from its mode while it initializes, which may fall inside the window).
// It is a no-op outside linux/amd64 and linux/arm64. The price of the window:
// a package that panicked during its initialization inside it would end the
// process with exit code 2 and no message; the window holds only embed and
// the few packages that sort between the two, so run dbgen without this
// package (build it without generator/sqlcgen) if that is ever suspected.
//
// # Remove
//
// sqlc dropped the import in https://github.com/sqlc-dev/sqlc/pull/4412.
// Delete this package, and its import in generator/sqlcgen, once dbgen
// requires a sqlc release that includes that change.
package quietinit
