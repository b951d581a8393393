// Command quiet links package embed the way dbgen does, through restore.
package main

import (
	"fmt"
	"os"

	_ "github.com/dbgen-dev/dbgen/internal/quietinit/restore"
)

func main() {
	fmt.Fprintln(os.Stderr, "stderr after init")
	fmt.Println("stdout after init")
}
