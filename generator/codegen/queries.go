package codegen

import (
	"regexp"
	"strings"

	"github.com/dbgen-dev/dbgen/generator/sqltext"
)

// annotation matches sqlc's query header in either comment style.
var annotation = regexp.MustCompile(`(?m)^\s*(?:--|/\*)\s*name:\s*(\S+)\s+(:\w+)`)

// moduleQuery is a query of the module's own queries file.
type moduleQuery struct {
	Name  string
	Line  int
	Write bool
}

// moduleQueries lists the queries of a queries file and whether each one
// writes, so that the database handle can send it to the writer or to the
// read pool.
func moduleQueries(src string) []moduleQuery {
	locs := annotation.FindAllStringSubmatchIndex(src, -1)
	var qs []moduleQuery
	for i, loc := range locs {
		end := len(src)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		body := src[loc[1]:end]
		if i := strings.Index(body, "*/"); i >= 0 && strings.HasPrefix(strings.TrimSpace(src[loc[0]:loc[1]]), "/*") {
			body = body[i+2:] // past the end of a /* name: ... */ header
		}
		line := 1 + strings.Count(src[:loc[2]], "\n")
		qs = append(qs, moduleQuery{Name: src[loc[2]:loc[3]], Line: line, Write: writes(body)})
	}
	return qs
}

// writes reports whether a statement may change the database: anything but a
// plain SELECT, VALUES or a WITH whose body only reads.
func writes(sql string) bool {
	toks, err := sqltext.Tokenize(sql)
	if err != nil {
		return true // unreadable: sqlc will say why; a write is the safe guess
	}
	if len(toks) == 0 {
		return false
	}
	switch strings.ToUpper(toks[0].Text) {
	case "SELECT", "VALUES":
		return false
	case "WITH":
		for _, t := range toks {
			if t.Is("INSERT") || t.Is("UPDATE") || t.Is("DELETE") || t.Is("REPLACE") {
				return true
			}
		}
		return false
	}
	return true
}
