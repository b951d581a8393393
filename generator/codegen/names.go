package codegen

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dbgen-dev/dbgen/generator/diag"
	"github.com/dbgen-dev/dbgen/generator/load"
)

// viewDuplicate matches the name SQLite gives the second of two view
// columns with the same name ("id:1"); sqlc names both "id".
var viewDuplicate = regexp.MustCompile(`:[0-9]+$`)

// checkNames reports the column names that cannot become Go names, before
// sqlc writes code that does not compile: two columns of one table that map
// to the same field, and names starting with a digit, which sqlc turns into
// invalid parameter names.
func checkNames(dbs []*load.Database, n namer) error {
	var problems diag.List
	for _, db := range dbs {
		for _, f := range db.Queries {
			for _, q := range moduleQueries(string(f.Data)) {
				if slices.Contains(handleMethods, q.Name) {
					problems = append(problems, diag.Errorf(f.Path, q.Line, "query name %s is taken by the generated package's own API; rename the query", q.Name))
				}
			}
		}
		for _, t := range db.Tables {
			st := db.Statement(t.Name)
			at := func(msg string, args ...any) {
				problems = append(problems, diag.Errorf(st.File.Path, st.Line, msg, args...))
			}
			fields := map[string]string{}
			for _, c := range t.Columns {
				if t.View && viewDuplicate.MatchString(c.Name) {
					at("view %s has two columns named %s; give one an alias (AS other_name)", t.Name, c.Name[:strings.LastIndexByte(c.Name, ':')])
					continue
				}
				if r, _ := utf8.DecodeRuneInString(c.Name); unicode.IsDigit(r) {
					at("column %q of %s starts with a digit, which sqlc cannot name a Go parameter after; rename the column", c.Name, t.Name)
					continue
				}
				field := n.goName(c.Name)
				if other, dup := fields[field]; dup {
					at("columns %q and %q of %s both become the Go field %s; rename one of them", other, c.Name, t.Name, field)
					continue
				}
				fields[field] = c.Name
			}
		}
	}
	return problems.Err()
}
