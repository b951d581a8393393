// Command clean links generator/sqlcgen as dbgen does and runs it once:
// its stderr must show only what main writes there.
package main

import (
	"context"
	"fmt"
	"os"
	"sort"

	"github.com/dbgen-dev/dbgen/generator/sqlcgen"
)

func main() {
	out, err := sqlcgen.Generate(context.Background(), []sqlcgen.Job{{
		Package: "x",
		Schema:  "CREATE TABLE t (id INTEGER PRIMARY KEY);",
		Queries: []sqlcgen.QueryFile{{Path: "q.sql", SQL: []byte("-- name: CountT :one\nSELECT count(*) FROM t;\n")}},
	}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var names []string
	for name := range out["x"].Files {
		names = append(names, name)
	}
	sort.Strings(names)
	fmt.Println(names)
	fmt.Fprintln(os.Stderr, "stderr after generate")
}
