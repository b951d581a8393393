package migrate

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"strings"
	"sync"

	atlas "ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/postgres"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/dbgen-dev/dbgen/generator/pgdev"
	"github.com/dbgen-dev/dbgen/internal/sqllex"
	rtmigrate "github.com/dbgen-dev/dbgen/runtime/migrate"
)

// DevURLEnv is the environment variable that gives the dev database when
// --dev-url does not.
const DevURLEnv = "DBGEN_DEV_URL"

// DevURLHint says how to give a dev database, for messages.
const DevURLHint = "give a PostgreSQL server dbgen may create scratch schemas on with --dev-url postgres://user@host/db or " + DevURLEnv

// devLockTimeout bounds a wait for a lock on the dev database (another
// dbgen's scratch work holds one only while it runs), devStatementTimeout
// a statement there (no scratch schema has rows).
const (
	devLockTimeout      = "30s"
	devStatementTimeout = "60s"
)

// PostgresDev is the dev database of PostgreSQL planning, as Atlas calls
// it: a server that tells what a schema is, by running it. Everything dbgen
// does there runs in one transaction on one connection, which Close rolls
// back: every scratch schema is gone afterwards, also after an error or an
// interrupt, and if the process dies the server ends the transaction with
// the connection. A migration file cannot commit it: transaction control
// is refused, as the runtime refuses it.
//
// A PostgresDev is used by one goroutine at a time.
type PostgresDev struct {
	url   string // redacted, for messages
	db    *sql.DB
	conn  *sql.Conn
	tx    *sql.Tx
	drv   atlas.Driver
	token string // prefix of the scratch schemas
	n     int    // scratch schemas made so far
	// extSchema is the scratch schema extensions are created in, on every
	// search_path; extSchemas are the schemas of the extensions in use.
	extSchema  string
	extSchemas []string
	extensions map[string]bool
	closeOnce  sync.Once
	closeErr   error
}

// OpenPostgresDev connects to the dev database at rawURL, given by source
// ("--dev-url" or DBGEN_DEV_URL, for messages), and starts the transaction
// its scratch schemas live in. A URL that does not parse, or a server that
// does not answer within the connect timeout (10 seconds unless the URL
// sets connect_timeout), is a *pgdev.Error that says how to give one.
func OpenPostgresDev(ctx context.Context, source, rawURL string) (*PostgresDev, error) {
	if rawURL == "" {
		return nil, errors.New("no dev database: " + DevURLHint)
	}
	cfg, err := pgdev.Config(source, rawURL)
	if err != nil {
		return nil, err
	}
	shown := pgdev.Redact(rawURL)
	cfg.RuntimeParams["application_name"] = "dbgen migrate"
	d := &PostgresDev{url: shown, extensions: map[string]bool{}}
	d.db = stdlib.OpenDB(*cfg)
	d.db.SetMaxOpenConns(1)
	fail := func(err error) (*PostgresDev, error) {
		return nil, errors.Join(&pgdev.Error{Source: source, URL: shown, Err: err}, d.Close())
	}
	if d.conn, err = d.db.Conn(ctx); err == nil {
		err = d.conn.PingContext(ctx)
	}
	if err != nil {
		if ctx.Err() != nil {
			return fail(ctx.Err())
		}
		return fail(fmt.Errorf("cannot connect: %v; start the server, or %s", connectError(err), DevURLHint))
	}
	if d.tx, err = d.conn.BeginTx(ctx, nil); err != nil {
		return fail(err)
	}
	// A lock another session holds, or a statement that runs away, ends
	// in an error rather than a wait without end.
	if _, err := d.tx.ExecContext(ctx, "SET LOCAL lock_timeout = '"+devLockTimeout+"'; SET LOCAL statement_timeout = '"+devStatementTimeout+"'"); err != nil {
		return fail(err)
	}
	if d.drv, err = postgres.Open(d.tx); err != nil {
		return fail(err)
	}
	var buf [6]byte
	rand.Read(buf[:])
	d.token = "dbgen_dev_" + hex.EncodeToString(buf[:])
	d.extSchema = d.token + "_ext"
	if _, err := d.tx.ExecContext(ctx, "CREATE SCHEMA "+d.extSchema); err != nil {
		return fail(fmt.Errorf("create a scratch schema: %v (the user needs the CREATE privilege on the database)", pgMessage(err)))
	}
	d.extSchemas = []string{d.extSchema}
	return d, nil
}

// Close rolls back everything done on the dev database and disconnects.
func (d *PostgresDev) Close() error {
	d.closeOnce.Do(func() {
		// database/sql rolls the transaction back itself when the context
		// it began with is canceled (an interrupt), and then Rollback says
		// it is done.
		var errs []error
		if d.tx != nil {
			if err := d.tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
				// The connection closes instead, which ends the transaction
				// on the server just as well.
				_ = d.conn.Raw(func(any) error { return driver.ErrBadConn })
			}
		}
		if d.conn != nil {
			if err := d.conn.Close(); err != nil && !errors.Is(err, sql.ErrConnDone) && !errors.Is(err, driver.ErrBadConn) {
				errs = append(errs, err)
			}
		}
		errs = append(errs, d.db.Close())
		if err := errors.Join(errs...); err != nil {
			d.closeErr = fmt.Errorf("dev database %s: %w", d.url, err)
		}
	})
	return d.closeErr
}

// URL is the dev database's URL, its password left out.
func (d *PostgresDev) URL() string { return d.url }

// connectError is pgx's error about a connection, on one line, the part
// that says why.
func connectError(err error) string {
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) && ce.Unwrap() != nil {
		err = ce.Unwrap()
	}
	return strings.Join(strings.Fields(err.Error()), " ")
}

// pgSpace is a scratch schema of the dev database: the schema of one state
// of a database, built by running its statements there.
type pgSpace struct {
	dev  *PostgresDev
	name string
	// extensions are those its statements created, with the statement.
	extensions map[string]string
}

// space creates an empty scratch schema.
func (d *PostgresDev) space(ctx context.Context) (*pgSpace, error) {
	d.n++
	s := &pgSpace{dev: d, name: fmt.Sprintf("%s_%d", d.token, d.n), extensions: map[string]string{}}
	if _, err := d.tx.ExecContext(ctx, "CREATE SCHEMA "+s.name); err != nil {
		return nil, d.wrap(err)
	}
	return s, nil
}

// wrap says where an error of the dev database comes from.
func (d *PostgresDev) wrap(err error) error {
	if isLockTimeout(err) {
		return fmt.Errorf("dev database %s: waited %s for a lock (is another dbgen using it?): %w", d.url, devLockTimeout, err)
	}
	return fmt.Errorf("dev database %s: %w", d.url, err)
}

func isLockTimeout(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "55P03"
}

// enter makes s the schema unqualified names resolve in, with the
// extensions' schemas after it.
func (s *pgSpace) enter(ctx context.Context) error {
	path := append([]string{s.name}, s.dev.extSchemas...)
	if _, err := s.dev.tx.ExecContext(ctx, "SET LOCAL search_path TO "+strings.Join(path, ", ")); err != nil {
		return s.dev.wrap(err)
	}
	return nil
}

// drop removes s, to keep the transaction small.
func (s *pgSpace) drop(ctx context.Context) error {
	if _, err := s.dev.tx.ExecContext(ctx, "DROP SCHEMA "+s.name+" CASCADE"); err != nil {
		return s.dev.wrap(err)
	}
	return nil
}

// savepoint runs fn under a savepoint: what it does stays when it
// succeeds and keep is true, and is undone otherwise.
func (s *pgSpace) savepoint(ctx context.Context, keep bool, fn func() error) (err error) {
	tx := s.dev.tx
	if _, err := tx.ExecContext(ctx, "SAVEPOINT dbgen_step"); err != nil {
		return s.dev.wrap(err)
	}
	err = fn()
	end := "RELEASE SAVEPOINT dbgen_step"
	if err != nil || !keep {
		end = "ROLLBACK TO SAVEPOINT dbgen_step"
	}
	if _, rerr := tx.ExecContext(context.WithoutCancel(ctx), end); rerr != nil {
		err = errors.Join(err, s.dev.wrap(rerr))
	}
	if end != "RELEASE SAVEPOINT dbgen_step" {
		// The rolled back part may have taken back search_path too.
		if eerr := s.enter(context.WithoutCancel(ctx)); eerr != nil {
			err = errors.Join(err, eerr)
		}
	}
	return err
}

// exec runs the statements of a PostgreSQL script in s, split as the
// runtime splits them; a statement that fails undoes the whole script.
func (s *pgSpace) exec(ctx context.Context, file, script string) error {
	stmts, err := rtmigrate.SplitPostgres(script)
	if err != nil {
		line := 0
		if se := (*sqllex.SyntaxError)(nil); errors.As(err, &se) {
			line, err = se.Line, errors.New(se.Msg)
		}
		return &stmtError{file: file, line: line, err: err}
	}
	pieces := make([]pgStmt, len(stmts))
	for i, st := range stmts {
		pieces[i] = pgStmt{text: st.Text, line: st.Line}
	}
	return s.run(ctx, file, pieces)
}

// pgStmt is a statement to run, with the line it starts at.
type pgStmt struct {
	text string
	line int
}

// run runs stmts in s as one unit: all or none.
func (s *pgSpace) run(ctx context.Context, file string, stmts []pgStmt) error {
	if err := s.enter(ctx); err != nil {
		return err
	}
	extensions := maps.Clone(s.extensions)
	err := s.savepoint(ctx, true, func() error {
		for _, st := range stmts {
			if err := s.runOne(ctx, file, st, extensions); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		s.extensions = extensions
	}
	return err
}

func (s *pgSpace) runOne(ctx context.Context, file string, st pgStmt, extensions map[string]string) error {
	if err := pgControl(st.text); err != nil {
		return &stmtError{file: file, line: st.line, stmt: st.text, err: err}
	}
	// Extensions belong to the database, not to a schema: they are made
	// once, in a schema of their own on every scratch schema's path.
	if name, create, ok := extensionStmt(st.text); ok {
		if create {
			if err := s.dev.extension(ctx, name); err != nil {
				return &stmtError{file: file, line: st.line, stmt: st.text, err: err}
			}
			if err := s.enter(ctx); err != nil {
				return err
			}
		}
		if create {
			extensions[name] = st.text
		} else {
			delete(extensions, name)
		}
		return nil
	}
	if _, err := s.dev.tx.ExecContext(ctx, st.text); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		line := st.line + errorLine(st.text, err)
		return &stmtError{file: file, line: line, stmt: st.text, err: pgMessage(err)}
	}
	return nil
}

// extension makes extension name available to every scratch schema.
func (d *PostgresDev) extension(ctx context.Context, name string) error {
	if d.extensions[name] {
		return nil
	}
	var schema string
	err := d.tx.QueryRowContext(ctx, `SELECT n.nspname FROM pg_catalog.pg_extension e
  JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = $1`, name).Scan(&schema)
	if errors.Is(err, sql.ErrNoRows) {
		schema = d.extSchema
		_, err = d.tx.ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS "+quotePG(name)+" SCHEMA "+d.extSchema)
	}
	if err != nil {
		return pgMessage(err)
	}
	d.extensions[name] = true
	if !containsFold(d.extSchemas, schema) {
		d.extSchemas = append(d.extSchemas, quotePG(schema))
	}
	return nil
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(strings.Trim(x, `"`), s) {
			return true
		}
	}
	return false
}

var extensionRE = regexp.MustCompile(`(?is)^(CREATE|DROP)\s+EXTENSION\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`)

// extensionStmt reads CREATE EXTENSION and DROP EXTENSION statements.
func extensionStmt(text string) (name string, create, ok bool) {
	m := extensionRE.FindStringSubmatch(text)
	if m == nil {
		return "", false, false
	}
	name = m[2]
	if strings.HasPrefix(name, `"`) {
		name = strings.ReplaceAll(name[1:len(name)-1], `""`, `"`)
	} else {
		name = strings.ToLower(name)
	}
	return name, strings.EqualFold(m[1], "CREATE"), true
}

var controlRE = regexp.MustCompile(`(?is)^(BEGIN|START|COMMIT|END|ROLLBACK|ABORT|SAVEPOINT|RELEASE|PREPARE\s+TRANSACTION)\b`)

// pgControl refuses transaction control: the runtime runs each file in a
// transaction of its own, and here it would end the dev transaction.
func pgControl(text string) error {
	if controlRE.MatchString(text) {
		return errors.New("transaction control is not allowed in a migration: the runtime runs each file in one transaction")
	}
	return nil
}

// errorLine is the line, counted from 0 in stmt, that PostgreSQL's error
// points to.
func errorLine(stmt string, err error) int {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Position <= 0 {
		return 0
	}
	n := 0
	for i := range stmt {
		if n++; n >= int(pe.Position) {
			return strings.Count(stmt[:i], "\n")
		}
	}
	return 0
}

// pgMessage is PostgreSQL's error as psql says it: the message, and the
// detail and hint when there are.
func pgMessage(err error) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return err
	}
	msg := pe.Message
	if pe.Detail != "" {
		msg += " (" + pe.Detail + ")"
	}
	if pe.Hint != "" {
		msg += "; " + pe.Hint
	}
	return errors.New(msg)
}

// quotePG quotes an identifier for PostgreSQL.
func quotePG(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }
