// Command dbgen compiles SQLite schema files into typed Go packages, one per
// database, and keeps their migrations in step. See the README for usage.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
