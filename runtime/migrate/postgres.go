package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/dbgen-dev/dbgen/internal/sqllex"
)

// On PostgreSQL a database of the application is a schema, the current
// schema of the connections migrate is given (their search_path). Its
// migrations are PostgreSQL's SQL, each file in one transaction, which
// PostgreSQL makes all or nothing, DDL included: a process killed during
// a file leaves the schema at the last recorded revision. Processes that
// migrate the same schema at once take turns on a session advisory lock
// (LockKey), held for a whole Up or Down, and read the revisions only once
// they hold it. Foreign keys are enforced as each statement runs, so no
// check runs before the commit.

// postgresEngine is PostgreSQL through pgx's database/sql driver.
type postgresEngine struct{}

// LockKey is the key of the PostgreSQL advisory lock that serialises the
// migrations of schema; the runtime takes it too while it creates the
// schema or its tables from the DDL.
func LockKey(schema string) int64 {
	h := fnv.New64a()
	h.Write([]byte(RevisionsTable + " " + schema))
	return int64(h.Sum64())
}

// currentSchema is the schema migrate works in: the first schema of the
// search_path that exists.
func currentSchema(ctx context.Context, q querier) (string, error) {
	var schema sql.NullString
	if err := q.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return "", wrapf("read the current schema: %w", err)
	}
	if !schema.Valid {
		return "", wrapf("no schema of the connection's search_path exists: create the schema first")
	}
	return schema.String, nil
}

func (postgresEngine) session(ctx context.Context, c *sql.Conn) (func(context.Context) error, error) {
	schema, err := currentSchema(ctx, c)
	if err != nil {
		return nil, err
	}
	key := LockKey(schema)
	// Another process's migration may take longer than the lock_timeout
	// the pool's connections have: wait for its lock as long as ctx allows.
	if _, err := c.ExecContext(ctx, "SET lock_timeout = 0"); err != nil {
		return nil, wrapf("set lock_timeout: %w", err)
	}
	_, err = c.ExecContext(ctx, "SELECT pg_advisory_lock($1)", key)
	if _, rerr := c.ExecContext(context.WithoutCancel(ctx), "RESET lock_timeout"); rerr != nil && err == nil {
		err = rerr
	}
	restore := func(ctx context.Context) error {
		var released bool
		if err := c.QueryRowContext(ctx, "SELECT pg_advisory_unlock($1)", key).Scan(&released); err != nil {
			return err
		}
		if !released {
			return fmt.Errorf("the advisory lock of schema %s was not held", schema)
		}
		return nil
	}
	if err != nil {
		// The lock may have been granted all the same (a cancel racing the
		// grant, RESET failing after it): a session lock outlives the
		// call, so the connection must not go back to the pool holding it.
		discard(c)
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return nil, wrapf("wait for other processes' migrations of schema %s (advisory lock %d): %w", schema, key, err)
	}
	return restore, nil
}

func (postgresEngine) begin(ctx context.Context, c *sql.Conn) error {
	_, err := c.ExecContext(ctx, "BEGIN")
	return err
}

func (postgresEngine) revisionsExist(ctx context.Context, q querier) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM pg_catalog.pg_tables
  WHERE schemaname = current_schema() AND tablename = $1`, RevisionsTable).Scan(&n)
	return n > 0, err
}

func (postgresEngine) objects(ctx context.Context, q querier) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace
  WHERE s.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relname <> $1`,
		RevisionsTable).Scan(&n)
	return n, err
}

func (postgresEngine) createRevisions() string {
	return `CREATE TABLE IF NOT EXISTS ` + RevisionsTable + ` (
  version     text PRIMARY KEY,
  description text NOT NULL,
  checksum    text NOT NULL,
  applied_at  text NOT NULL,
  duration_ms bigint NOT NULL,
  baseline    boolean NOT NULL DEFAULT false
)`
}

func (postgresEngine) insertRevision() string {
	return `INSERT INTO ` + RevisionsTable +
		` (version, description, checksum, applied_at, duration_ms, baseline) VALUES ($1, $2, $3, $4, $5, $6)`
}

func (postgresEngine) deleteRevision() string {
	return `DELETE FROM ` + RevisionsTable + ` WHERE version = $1`
}

func (postgresEngine) split(f *file) ([]sqllex.Statement, error) {
	stmts, err := SplitPostgres(string(f.data))
	if err != nil {
		var se *sqllex.SyntaxError
		if errors.As(err, &se) {
			return nil, &Error{File: f.name, Line: se.Line, Err: errors.New(se.Msg)}
		}
		return nil, &Error{File: f.name, Err: err}
	}
	return stmts, nil
}

// control refuses transaction control, as PostgreSQL words it.
func (postgresEngine) control(stmt string) error {
	words := pgWords(stmt, 2)
	if len(words) == 0 {
		return nil
	}
	switch words[0] {
	case "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE":
	case "PREPARE":
		if len(words) < 2 || words[1] != "TRANSACTION" {
			return nil
		}
	default:
		return nil
	}
	return errors.New("transaction control is not allowed in a migration: the runtime runs each file in one transaction")
}

func (postgresEngine) verify(context.Context, *sql.Conn, string) error { return nil }

// statementError puts the error at the line PostgreSQL points to in the
// statement, when it does.
func (postgresEngine) statementError(f *file, s sqllex.Statement, err error) *Error {
	line := s.Line
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Position > 0 {
		// Position counts characters from 1.
		n := 0
		for i := range s.Text {
			if n++; n >= int(pe.Position) {
				line += strings.Count(s.Text[:i], "\n")
				break
			}
		}
	}
	return &Error{File: f.name, Line: line, Statement: s.Text, Err: err}
}

// pgToken kinds.
const (
	pgSpace = iota
	pgComment
	pgString // '...', E'...', $tag$...$tag$
	pgQuoted // "..."
	pgWord
	pgSemicolon
	pgOther
)

// pgScan returns the kind of the token of src at i and where it ends, as
// PostgreSQL's lexer reads it: standard strings (” inside), E” strings
// (backslash escapes), dollar quotes, quoted names, -- comments and nested
// /* */ comments. An unterminated one is an error.
func pgScan(src string, i int) (kind, end int, err error) {
	c := src[i]
	next := byte(0)
	if i+1 < len(src) {
		next = src[i+1]
	}
	switch {
	case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
		j := i + 1
		for j < len(src) && strings.IndexByte(" \t\n\r\f\v", src[j]) >= 0 {
			j++
		}
		return pgSpace, j, nil
	case c == '-' && next == '-':
		j := strings.IndexByte(src[i:], '\n')
		if j < 0 {
			return pgComment, len(src), nil
		}
		return pgComment, i + j + 1, nil
	case c == '/' && next == '*':
		depth, j := 1, i+2
		for j < len(src) && depth > 0 {
			switch {
			case strings.HasPrefix(src[j:], "/*"):
				depth++
				j += 2
			case strings.HasPrefix(src[j:], "*/"):
				depth--
				j += 2
			default:
				j++
			}
		}
		if depth > 0 {
			return 0, 0, syntaxError(src, i, "unterminated /* comment")
		}
		return pgComment, j, nil
	case c == '\'':
		return pgQuote(src, i, '\'', false, pgString)
	case (c == 'E' || c == 'e') && next == '\'':
		return pgQuote(src, i+1, '\'', true, pgString)
	case c == '"':
		return pgQuote(src, i, '"', false, pgQuoted)
	case c == '$':
		if tag, ok := dollarTag(src, i); ok {
			j := strings.Index(src[i+len(tag):], tag)
			if j < 0 {
				return 0, 0, syntaxError(src, i, "unterminated dollar-quoted string "+tag)
			}
			return pgString, i + len(tag) + j + len(tag), nil
		}
		if j := digitsFrom(src, i+1); j > i+1 {
			return pgOther, identTail(src, j), nil // $1, a parameter
		}
		return pgOther, i + 1, nil
	case c == ';':
		return pgSemicolon, i + 1, nil
	case isPgWordStart(c):
		j := i + 1
		for j < len(src) && (isPgWordStart(src[j]) || src[j] >= '0' && src[j] <= '9' || src[j] == '$') {
			j++
		}
		return pgWord, j, nil
	case c >= '0' && c <= '9':
		j := i + 1
		for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.') {
			j++
		}
		return pgOther, identTail(src, j), nil
	}
	return pgOther, i + 1, nil
}

func digitsFrom(src string, j int) int {
	for j < len(src) && src[j] >= '0' && src[j] <= '9' {
		j++
	}
	return j
}

// identTail skips what follows a number or a parameter when it starts a
// name: PostgreSQL's scanner reads "1e5" or "$1abc" as a number and a name,
// and a $ inside that name ("$0A$b$") opens no dollar quote.
func identTail(src string, j int) int {
	if j < len(src) && isPgWordStart(src[j]) {
		for j < len(src) && (isPgWordStart(src[j]) || src[j] >= '0' && src[j] <= '9' || src[j] == '$') {
			j++
		}
	}
	return j
}

func isPgWordStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}

// pgQuote ends the quoted token that starts at i: a doubled quote stands
// for itself, and with backslash a backslash escapes the next byte.
func pgQuote(src string, i int, q byte, backslash bool, kind int) (int, int, error) {
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			if backslash {
				j++
			}
		case q:
			if j+1 < len(src) && src[j+1] == q {
				j++
				continue
			}
			return kind, j + 1, nil
		}
	}
	what := "string"
	if q == '"' {
		what = "quoted identifier"
	}
	return 0, 0, syntaxError(src, i, "unterminated "+what)
}

// dollarTag returns the $tag$ that opens a dollar-quoted string at i: $$,
// or $ and a name that does not start with a digit ($1 is a parameter).
func dollarTag(src string, i int) (string, bool) {
	j := i + 1
	if j < len(src) && isPgWordStart(src[j]) {
		for j < len(src) && (isPgWordStart(src[j]) || src[j] >= '0' && src[j] <= '9') {
			j++
		}
	}
	if j < len(src) && src[j] == '$' {
		return src[i : j+1], true
	}
	return "", false
}

func syntaxError(src string, off int, msg string) error {
	return &sqllex.SyntaxError{Line: sqllex.LineAt(src, off), Msg: msg}
}

// SplitPostgres returns the statements of a PostgreSQL script in order,
// cut at the semicolons outside strings, quoted names, comments, dollar
// quotes (function bodies) and the BEGIN ATOMIC ... END body of a SQL
// function. Comments between statements are dropped; empty statements are
// skipped.
func SplitPostgres(src string) ([]sqllex.Statement, error) {
	var (
		stmts      []sqllex.Statement
		first      = -1 // offset of the statement's first significant token
		last       = -1 // end of its last significant token
		depth      int  // BEGIN ATOMIC nesting, CASE ... END within it
		prev       string
		hasContent bool
	)
	flush := func() {
		if hasContent {
			stmts = append(stmts, sqllex.Statement{Text: src[first:last], Offset: first, Line: sqllex.LineAt(src, first)})
		}
		first, last, depth, prev, hasContent = -1, -1, 0, "", false
	}
	for i := 0; i < len(src); {
		kind, end, err := pgScan(src, i)
		if err != nil {
			return nil, err
		}
		switch kind {
		case pgSpace:
		case pgComment:
			if first >= 0 {
				last = end
			}
		case pgSemicolon:
			if depth == 0 {
				flush()
				break
			}
			last = end
		default:
			if first < 0 {
				first = i
			}
			last, hasContent = end, true
			if kind == pgWord {
				w := strings.ToUpper(src[i:end])
				switch {
				case prev == "BEGIN" && w == "ATOMIC":
					depth++
				case depth > 0 && w == "CASE":
					depth++
				case depth > 0 && w == "END":
					depth--
				}
				prev = w
			}
		}
		i = end
	}
	flush()
	return stmts, nil
}

// pgWords returns the first n words of stmt, upper-cased, skipping space
// and comments; it stops at anything that is not a word.
func pgWords(stmt string, n int) []string {
	var words []string
	for i := 0; i < len(stmt) && len(words) < n; {
		kind, end, err := pgScan(stmt, i)
		if err != nil {
			break
		}
		switch kind {
		case pgSpace, pgComment:
		case pgWord:
			words = append(words, strings.ToUpper(stmt[i:end]))
		default:
			return words
		}
		i = end
	}
	return words
}
