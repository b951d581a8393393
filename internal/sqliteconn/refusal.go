package sqliteconn

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ncruces/go-sqlite3"
)

// refusals are the messages SQLite refuses a statement with when it passes
// one of dbgen's limits, and what to tell the user.
var refusals = []struct{ msg, hint string }{
	{"Expression tree is too large", fmt.Sprintf("subqueries, views or expressions nested too deep: dbgen limits SQLite to %d levels, so that its stack holds; flatten the nesting", ExprDepth)},
	{"Recursion limit", fmt.Sprintf("parentheses or subqueries nested too deep: dbgen limits SQLite's parser to %d levels, so that its stack holds; flatten the nesting", ParserDepth)},
	{"parser stack overflow", fmt.Sprintf("parentheses or subqueries nested too deep: dbgen limits SQLite's parser to %d levels, so that its stack holds; flatten the nesting", ParserDepth)},
	{"VIEWs and/or subqueries nested too deep", fmt.Sprintf("dbgen limits SQLite to %d levels, so that its stack holds; define the view from the tables the views under it read", ExprDepth)},
	{"too many terms in compound SELECT", fmt.Sprintf("dbgen limits SQLite to %d terms of UNION, INTERSECT or EXCEPT, so that its stack holds; split the query, or list constant rows with VALUES", CompoundSelect)},
	{"LIKE or GLOB pattern too complex", fmt.Sprintf("dbgen limits patterns to %d bytes: each %% is a level of SQLite's recursion", LikePatternLength)},
	{"triggers nested too deep", fmt.Sprintf("dbgen limits SQLite to %d levels of triggers and foreign key actions", TriggerDepth)},
	{"too many columns", fmt.Sprintf("dbgen limits SQLite to %d", Column)},
	{"too many arguments on function", fmt.Sprintf("dbgen limits SQLite to %d", FunctionArg)},
	{"too many SQL variables", fmt.Sprintf("dbgen limits SQLite to %d", VariableNumber)},
	{"string or blob too big", fmt.Sprintf("dbgen limits SQLite to values of %d MiB and statements of %d MiB", Length>>20, SQLLength>>20)},
}

// Explain returns SQLite's message msg with what dbgen's limits have to do
// with it, or msg alone when they have nothing to.
func Explain(msg string) string {
	for _, r := range refusals {
		if strings.Contains(msg, r.msg) {
			return msg + ": " + r.hint
		}
	}
	return msg
}

// IsRefusal reports whether err is SQLite refusing a statement as too
// large or too deep for dbgen's limits, or crashing on it: an error that
// says nothing about the statement being otherwise valid.
func IsRefusal(err error) bool {
	if IsCrash(err) {
		return true
	}
	var se *sqlite3.Error
	if !errors.As(err, &se) {
		return false
	}
	if se.Code() == sqlite3.TOOBIG || se.Code() == sqlite3.NOMEM {
		return true
	}
	return Explain(se.Error()) != se.Error()
}
