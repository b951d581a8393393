package load

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/ncruces/go-sqlite3"

	"github.com/dbgen-dev/dbgen/internal/sqliteconn"
	"github.com/dbgen-dev/dbgen/internal/sqllex"
)

// Prepare compiles each query against the database's schema in SQLite and
// returns SQLite's message for those it rejects, by name. sqlc's parser
// recovers from some errors that SQLite refuses (a dangling WHERE, an
// unknown function); without this they would surface only at run time.
func (d *Database) Prepare(ctx context.Context, queries map[string]string) (map[string]string, error) {
	return d.compile(ctx, queries, func(error) bool { return true })
}

// Precheck compiles each query in SQLite before sqlc reads it, and returns
// SQLite's message for those it refuses as too long or nested too deep for
// dbgen's limits, or crashes on: sqlc's parser takes seconds for each level
// of nested subqueries, and would spend minutes on a query SQLite refuses at
// once. sqlc's own syntax (sqlc.arg(x), ...) is blanked out first; what else
// SQLite says is left to Prepare, on the SQL that sqlc writes.
func (d *Database) Precheck(ctx context.Context, queries map[string]string) (map[string]string, error) {
	failed := map[string]string{}
	blanked := map[string]string{}
	for name, q := range queries {
		if len(q) > sqliteconn.SQLLength {
			failed[name] = TooLong("query", len(q))
			continue
		}
		blanked[name] = blankSqlcMacros(q)
	}
	more, err := d.compile(ctx, blanked, sqliteconn.IsRefusal)
	for name, msg := range more {
		failed[name] = msg
	}
	return failed, err
}

// compile prepares each query, in name order, on an in-memory database
// made from the schema, and returns the message of each error that report
// accepts. A query SQLite crashes on takes its connection with it: the
// next query gets a new one.
func (d *Database) compile(ctx context.Context, queries map[string]string, report func(error) bool) (map[string]string, error) {
	if len(queries) == 0 {
		return nil, nil
	}
	names := make([]string, 0, len(queries))
	for name := range queries {
		names = append(names, name)
	}
	slices.Sort(names)
	failed := map[string]string{}
	var conn *sql.Conn
	closeConn := func() {}
	defer func() { closeConn() }()
	for _, name := range names {
		if conn == nil {
			var err error
			if conn, closeConn, err = openMemory(ctx); err != nil {
				return nil, err
			}
			if _, err := conn.ExecContext(ctx, d.DDL()); err != nil {
				return nil, err
			}
		}
		stmt, err := conn.PrepareContext(ctx, queries[name])
		if err == nil {
			stmt.Close()
			continue
		}
		if report(err) {
			failed[name] = strings.TrimSpace(errorMessage(err))
		}
		if sqliteconn.IsCrash(err) {
			closeConn()
			conn, closeConn = nil, func() {}
		}
	}
	return failed, nil
}

// errorMessage is SQLite's message, explained, or the error's.
func errorMessage(err error) string {
	var se *sqlite3.Error
	if errors.As(err, &se) {
		return sqliteMessage(se)
	}
	return err.Error()
}

// blankSqlcMacros replaces sqlc.arg(...), sqlc.narg(...), sqlc.slice(...)
// and sqlc.embed(...), which SQLite cannot parse, with NULL.
func blankSqlcMacros(q string) string {
	toks, err := sqllex.Tokens(q)
	if err != nil {
		return q // SQLite reports it, or Prepare does
	}
	var b strings.Builder
	for i := 0; i < len(toks); i++ {
		if end, ok := sqlcMacro(toks, i); ok {
			b.WriteString("NULL")
			i = end
			continue
		}
		b.WriteString(toks[i].Text)
	}
	return b.String()
}

// sqlcMacro reports whether toks[i:] starts with sqlc . word ( ... ), and
// the index of its closing parenthesis.
func sqlcMacro(toks []sqllex.Token, i int) (int, bool) {
	next := func(j int) int { // the next token after j that is not space or comment
		for j++; j < len(toks) && (toks[j].Kind == sqllex.Space || toks[j].Kind == sqllex.Comment); j++ {
		}
		return j
	}
	if !toks[i].Is("sqlc") {
		return 0, false
	}
	dot := next(i)
	if dot >= len(toks) || toks[dot].Text != "." {
		return 0, false
	}
	word := next(dot)
	if word >= len(toks) || toks[word].Kind != sqllex.Word {
		return 0, false
	}
	open := next(word)
	if open >= len(toks) || toks[open].Text != "(" {
		return 0, false
	}
	depth := 0
	for j := open; j < len(toks); j++ {
		switch toks[j].Text {
		case "(":
			depth++
		case ")":
			if depth--; depth == 0 {
				return j, true
			}
		}
	}
	return 0, false
}
