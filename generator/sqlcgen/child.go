package sqlcgen

import (
	"fmt"
	"os"
	"runtime/debug"

	"github.com/sqlc-dev/sqlc/pkg/cli"

	// Ends the silence quietinit keeps on stderr while packages initialize:
	// sqlc links github.com/ncruces/go-sqlite3/embed, which prints at init.
	_ "github.com/dbgen-dev/dbgen/internal/quietinit/restore"
)

// childEnv marks the process that runSqlc starts: any executable that links
// this package becomes sqlc when started with it, before main runs.
const childEnv = "DBGEN_SQLCGEN_CHILD"

// childPanicCode is the exit code of a child whose main goroutine panicked.
const childPanicCode = 70

func init() {
	if os.Getenv(childEnv) != "1" {
		return
	}
	os.Exit(runChild(os.Args[1:]))
}

// runChild is the child's whole life: sqlc's command line. A panic in the
// main goroutine becomes a message and an exit code; one in sqlc's own
// goroutines ends the process with Go's exit code 2 and trace, which the
// parent reports the same way.
func runChild(args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(os.Stderr, "panic: %v\n\n%s", r, debug.Stack())
			code = childPanicCode
		}
	}()
	return cli.Run(args)
}
