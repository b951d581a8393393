// Command loud links package embed without quietinit: the control case.
package main

import (
	"fmt"
	"os"

	_ "github.com/ncruces/go-sqlite3/embed"
)

func main() {
	fmt.Fprintln(os.Stderr, "stderr after init")
	fmt.Println("stdout after init")
}
