// Package pgdev checks the postgres target on a real PostgreSQL server, the
// dev database of --dev-url (as Atlas names it): sqlc's PostgreSQL engine
// parses the derived schema and the module queries but does not know which
// functions, operators and casts exist (SELECT json_extract(...) passes
// it). Here each database's schema is created in a scratch schema of the
// server and each module query is prepared there; what the server refuses
// is reported at the file and line it comes from. The scratch schemas are
// always dropped, when the check fails or is interrupted too.
package pgdev

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/dbgen-dev/dbgen/generator/diag"
	"github.com/dbgen-dev/dbgen/generator/discover"
	"github.com/dbgen-dev/dbgen/generator/postgres"
)

// Database is one database to check: its derived schema and its module
// queries as they run on PostgreSQL.
type Database struct {
	Name    string
	Schema  *postgres.Schema
	Queries []Query
}

// Query is one module query on PostgreSQL, and where its text comes from.
type Query struct {
	Name, SQL string
	Path      string // queries.sql, or queries.postgres.sql when its text is given there
	Line      int
}

// ConnectTimeout bounds the connection to the server when the URL sets no
// connect_timeout: an address that never answers is an error, not a hang.
const ConnectTimeout = 10 * time.Second

// statementTimeout bounds each statement on the server: a lock held by
// another session must not stall a check (the scratch schema's own objects
// are never locked by anyone else, but the catalog may be).
const statementTimeout = "60s"

// cleanupTimeout bounds dropping the scratch schemas, also after an
// interrupt.
const cleanupTimeout = 15 * time.Second

// Error is a dev URL dbgen cannot use: malformed, or a server it cannot
// reach or log in to.
type Error struct {
	Source string // "--dev-url" or "DBGEN_DEV_URL"
	URL    string // with its password removed
	Err    error
}

func (e *Error) Error() string { return fmt.Sprintf("%s %s: %v", e.Source, e.URL, e.Err) }

func (e *Error) Unwrap() error { return e.Err }

// Redact removes the password of a URL, for messages.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Config parses a dev URL: a postgres:// or postgresql:// URL (pgx's
// keyword/value form too), with dbgen's connect timeout unless it sets its
// own.
func Config(source, raw string) (*pgx.ConnConfig, error) {
	bad := func(format string, args ...any) error {
		return &Error{Source: source, URL: Redact(raw), Err: fmt.Errorf(format, args...)}
	}
	if !strings.HasPrefix(raw, "postgres://") && !strings.HasPrefix(raw, "postgresql://") {
		return nil, bad("not a PostgreSQL URL; write postgres://user:password@host:5432/database")
	}
	cfg, err := pgx.ParseConfig(raw)
	if err != nil {
		var pe *pgconn.ParseConfigError
		if errors.As(err, &pe) && pe.Unwrap() != nil {
			return nil, bad("%v; write postgres://user:password@host:5432/database", pe.Unwrap())
		}
		return nil, bad("cannot read it; write postgres://user:password@host:5432/database")
	}
	if u, err := url.Parse(raw); err == nil && !u.Query().Has("connect_timeout") {
		cfg.ConnectTimeout = ConnectTimeout
	}
	if _, ok := cfg.RuntimeParams["statement_timeout"]; !ok {
		cfg.RuntimeParams["statement_timeout"] = statementTimeout
	}
	cfg.RuntimeParams["application_name"] = "dbgen check"
	return cfg, nil
}

// Check creates each database's schema in a scratch schema of the server
// at the URL and prepares each of its module queries there. Problems in the
// user's files come back as a diag.List; an error is a server dbgen cannot
// use. The scratch schemas are dropped before Check returns.
func Check(ctx context.Context, source, raw string, dbs []Database) (diag.List, error) {
	cfg, err := Config(source, raw)
	if err != nil {
		return nil, err
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &Error{Source: source, URL: Redact(raw), Err: connectError(err, cfg)}
	}
	c := &checker{conn: conn, cfg: cfg, prefix: scratchPrefix()}
	defer c.cleanup()
	var problems diag.List
	for i, db := range dbs {
		found, err := c.database(ctx, fmt.Sprintf("%s%d", c.prefix, i), db)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, &Error{Source: source, URL: Redact(raw), Err: err}
		}
		problems = append(problems, found...)
	}
	problems.Sort()
	return problems, nil
}

// connectError says why the server could not be reached, with a hint.
func connectError(err error, cfg *pgx.ConnConfig) error {
	msg := err.Error()
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &pe):
		return fmt.Errorf("the server refuses the connection: %s (SQLSTATE %s)", pe.Message, pe.Code)
	case errors.Is(err, context.DeadlineExceeded) || strings.Contains(msg, "timeout"):
		return fmt.Errorf("no answer from %s:%d within %s; check the host and port, or raise connect_timeout in the URL", cfg.Host, cfg.Port, cfg.ConnectTimeout)
	}
	return fmt.Errorf("cannot connect: %v", err)
}

// scratchPrefix names this run's scratch schemas: dbgen_check_, a random
// part, and a number per database.
func scratchPrefix() string {
	b := make([]byte, 5)
	rand.Read(b)
	return "dbgen_check_" + hex.EncodeToString(b) + "_"
}

type checker struct {
	conn    *pgx.Conn
	cfg     *pgx.ConnConfig
	prefix  string
	schemas []string // created, to drop
}

// database checks one database in the scratch schema called scratch.
func (c *checker) database(ctx context.Context, scratch string, db Database) (diag.List, error) {
	if _, err := c.conn.Exec(ctx, "CREATE SCHEMA "+quote(scratch)); err != nil {
		return nil, fmt.Errorf("create a scratch schema: %w", err)
	}
	c.schemas = append(c.schemas, scratch)
	// public stays on the path, as the runtime has it: extensions live there.
	if _, err := c.conn.Exec(ctx, "SET search_path TO "+quote(scratch)+", public"); err != nil {
		return nil, err
	}
	for _, st := range db.Schema.Statements {
		_, err := c.conn.Exec(ctx, st.SQL)
		if err == nil {
			continue
		}
		var pe *pgconn.PgError
		if !errors.As(err, &pe) {
			return nil, err
		}
		// What follows would fail for want of this object: the first
		// problem of a database is the one to fix.
		return diag.List{statementProblem(db, st, pe)}, nil
	}
	var problems diag.List
	for _, q := range db.Queries {
		_, err := c.conn.Prepare(ctx, "", q.SQL)
		if err == nil {
			continue
		}
		var pe *pgconn.PgError
		if !errors.As(err, &pe) {
			return nil, err
		}
		problems = append(problems, queryProblem(q, pe))
	}
	if _, err := c.conn.Exec(ctx, "DEALLOCATE ALL"); err != nil {
		return nil, err
	}
	return problems, nil
}

// serverMessage is what the server says, with its hint.
func serverMessage(pe *pgconn.PgError) string {
	msg := pe.Message
	if pe.Detail != "" {
		msg += " (" + pe.Detail + ")"
	}
	if pe.Hint != "" {
		msg += "; " + strings.TrimSuffix(pe.Hint, ".")
	}
	return msg
}

// statementProblem places a statement the server refused: an override
// file's at its line there (and the line of the error in it), a derived
// one at the SQLite statement it comes from.
func statementProblem(db Database, st postgres.Statement, pe *pgconn.PgError) diag.Diagnostic {
	msg := serverMessage(pe)
	switch {
	case st.Override != nil:
		line := st.Override.Line
		if pe.Position > 0 {
			line += strings.Count(prefixRunes(st.SQL, int(pe.Position)-1), "\n")
		}
		return diag.Errorf(st.Override.Path, line, "PostgreSQL refuses it: %s", msg)
	case st.Source != nil:
		return diag.Errorf(st.Source.File.Path, st.Source.Line, "PostgreSQL refuses the %s dbgen derived from this statement: %s; give its PostgreSQL text in %s",
			strings.ToLower(st.Kind), msg, discover.PostgresPath(st.Source.File.Path))
	}
	return diag.Errorf("", 0, "database %s: PostgreSQL refuses %s: %s", db.Name, st.SQL, msg)
}

// queryProblem places a query the server refused at its name line.
func queryProblem(q Query, pe *pgconn.PgError) diag.Diagnostic {
	if strings.HasSuffix(q.Path, discover.PostgresSuffix) {
		return diag.Errorf(q.Path, q.Line, "query %s: PostgreSQL refuses its PostgreSQL text: %s", q.Name, serverMessage(pe))
	}
	return diag.Errorf(q.Path, q.Line, "query %s: PostgreSQL refuses it: %s; give its PostgreSQL text under -- name: %s in %s",
		q.Name, serverMessage(pe), q.Name, path.Base(discover.PostgresPath(q.Path)))
}

// prefixRunes is s up to its n-th character.
func prefixRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// cleanup drops the scratch schemas, on the check's connection when it is
// still good, else on a new one (an interrupt closes it): never with the
// check's context, which may be cancelled.
func (c *checker) cleanup() {
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	conn := c.conn
	if conn.IsClosed() || conn.PgConn().IsBusy() {
		conn.Close(ctx)
		var err error
		if conn, err = pgx.ConnectConfig(ctx, c.cfg); err != nil {
			return
		}
	}
	defer conn.Close(ctx)
	for _, s := range c.schemas {
		conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+quote(s)+" CASCADE")
	}
}

func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }
