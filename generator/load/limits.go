package load

import (
	"fmt"
	"strings"

	"github.com/dbgen-dev/dbgen/generator/diag"
	"github.com/dbgen-dev/dbgen/generator/sqltext"
	"github.com/dbgen-dev/dbgen/generator/userfile"
	"github.com/dbgen-dev/dbgen/internal/sqliteconn"
)

// TooLong is the message for a statement of n bytes, over the SQL length
// limit of dbgen's SQLite; what names it ("statement", "query").
func TooLong(what string, n int) string {
	return fmt.Sprintf("this %s is %s long; dbgen's SQLite takes statements of at most %d MiB (SQLITE_LIMIT_SQL_LENGTH): split it, or move large values out of the SQL",
		what, userfile.MiB(int64(n)), sqliteconn.SQLLength>>20)
}

// checkViewDepth refuses a view built on views more than MaxViewDepth deep.
// load reads each view as it creates it, and SQLite then no longer counts
// the views under it toward its expression depth: a chain of 265 crashes
// its stack. Only the first view past the limit of each chain is reported.
func checkViewDepth(stmts []*Statement) diag.List {
	views := map[string]*Statement{}
	for _, s := range stmts {
		if s.Create.Kind == sqltext.View {
			views[strings.ToLower(s.Create.Name)] = s
		}
	}
	// deepest[v] is the view under v that its depth comes through.
	depth := map[*Statement]int{}
	deepest := map[*Statement]*Statement{}
	var measure func(s *Statement) int
	measure = func(s *Statement) int {
		if d, ok := depth[s]; ok {
			return d // 0 while s is being measured: a cycle, which SQLite reports
		}
		depth[s] = 0
		d := 1
		for _, tok := range s.Tokens {
			if tok.Kind != sqltext.Word && tok.Kind != sqltext.Quoted && tok.Kind != sqltext.String {
				continue
			}
			if u := views[strings.ToLower(sqltext.Name(tok))]; u != nil && u != s {
				if du := measure(u); du+1 > d {
					d, deepest[s] = du+1, u
				}
			}
		}
		depth[s] = d
		return d
	}
	var problems diag.List
	for _, s := range stmts {
		if s.Create.Kind != sqltext.View || measure(s) <= sqliteconn.MaxViewDepth {
			continue
		}
		if u := deepest[s]; depth[u] > sqliteconn.MaxViewDepth {
			continue // reported at u
		}
		chain := []string{s.Create.Name}
		for u := deepest[s]; u != nil; u = deepest[u] {
			chain = append(chain, u.Create.Name)
		}
		path := strings.Join(chain[:2], " → ") + " → … → " + chain[len(chain)-1]
		line, col := diag.Position(s.File.Data, s.Create.NameToken.Offset)
		problems = append(problems, diag.Diagnostic{Path: s.File.Path, Line: line, Col: col,
			Msg: fmt.Sprintf("view %s is built on views %d deep (%s); dbgen takes at most %d, so that the embedded SQLite's stack holds: define it from the tables of the views it reads",
				s.Create.Name, depth[s], path, sqliteconn.MaxViewDepth)})
	}
	return problems
}
