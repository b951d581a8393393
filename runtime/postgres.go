package runtime

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/dbgen-dev/dbgen/runtime/migrate"
)

// Open on PostgreSQL. Each database of an application is a schema (a
// namespace) of one PostgreSQL database, named by its Definition's
// Postgres.Schema; its connections have that schema first on their
// search_path, so the runtime's statements and the module's queries name
// tables without it. One pool serves reads and writes: PostgreSQL has no
// single-writer lock to serialise in Go.

// isPostgresURL reports whether dir, as Open and OpenManager take it, is a
// PostgreSQL URL rather than a folder.
func isPostgresURL(dir string) bool {
	s := strings.ToLower(strings.TrimSpace(dir))
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// redactURL is a PostgreSQL URL fit for messages and Path: its password
// replaced, and any password parameter left out.
func redactURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "postgres://(unreadable URL)"
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// defaultConnectTimeout bounds a connection attempt when neither the URL
// (connect_timeout) nor DATABASE_CONNECTION_TIMEOUT says.
const defaultConnectTimeout = 10 * time.Second

// postgresConfig reads a URL into pgx's configuration for schema's
// connections.
func postgresConfig(module, rawURL, schema string, cfg config) (*pgx.ConnConfig, error) {
	cc, err := pgx.ParseConfig(strings.TrimSpace(rawURL))
	if err != nil {
		// pgx's message names the URL with its password masked.
		return nil, newError(CodeValidationFailed, module, "invalid PostgreSQL URL: "+pgParseMessage(err),
			"url", redactURL(rawURL)).wrap(err)
	}
	if cc.ConnectTimeout == 0 {
		// DATABASE_CONNECTION_TIMEOUT, not WithBusyTimeout: a lock wait
		// made short must not make a slow network an error.
		cc.ConnectTimeout = cfg.connectTimeout
		if cc.ConnectTimeout <= 0 {
			cc.ConnectTimeout = defaultConnectTimeout
		}
	}
	// The module's schema first, then public, where extensions such as
	// citext usually live. A search_path in the URL is replaced: one URL
	// serves every module.
	cc.RuntimeParams["search_path"] = quoteIdent(schema) + ", public"
	if cfg.busyTimeout > 0 {
		// busy_timeout's meaning here: how long a statement waits for a lock
		// before it fails, which WriteTx then retries (55P03).
		cc.RuntimeParams["lock_timeout"] = strconv.FormatInt(cfg.busyTimeout.Milliseconds(), 10)
	}
	if cc.RuntimeParams["timezone"] == "" && cc.RuntimeParams["TimeZone"] == "" {
		// SQLite's CURRENT_DATE and CURRENT_TIMESTAMP are UTC's: so are
		// PostgreSQL's DEFAULTs, and its text of a time, in UTC.
		cc.RuntimeParams["TimeZone"] = "UTC"
	}
	if cc.RuntimeParams["application_name"] == "" {
		cc.RuntimeParams["application_name"] = "dbgen " + module
	}
	if cfg.readOnly {
		cc.RuntimeParams["default_transaction_read_only"] = "on"
	}
	return cc, nil
}

// pgParseMessage is what pgx says is wrong with a URL, without the URL.
func pgParseMessage(err error) string {
	var pe *pgconn.ParseConfigError
	if errors.As(err, &pe) {
		msg := err.Error()
		if i := strings.Index(msg, "`: "); i >= 0 {
			return msg[i+3:]
		}
	}
	return err.Error()
}

// sqliteSettings are the settings that only mean something to SQLite, one
// bit each, set when an option or an environment variable gives one.
type sqliteSettings uint8

const (
	setJournalMode sqliteSettings = 1 << iota
	setSynchronous
	setCacheSize
	setMmapSize
	setJournalSizeLimit
)

// sqliteOnly refuses the settings that only mean something to SQLite when
// any is given at all, even to its default value: SQLITE_JOURNAL_MODE=WAL
// for a PostgreSQL database is as much a mistake as =DELETE.
func (c *config) sqliteOnly(module string) error {
	var set []string
	for _, s := range []struct {
		bit  sqliteSettings
		name string
	}{
		{setJournalMode, "WithJournalMode (" + EnvJournalMode + ")"},
		{setSynchronous, "WithSynchronous (" + EnvSynchronous + ")"},
		{setCacheSize, "WithCacheSize (" + EnvCacheSize + ")"},
		{setMmapSize, "WithMmapSize"},
		{setJournalSizeLimit, "WithJournalSizeLimit"},
	} {
		if c.sqliteSet&s.bit != 0 {
			set = append(set, s.name)
		}
	}
	if len(set) == 0 {
		return nil
	}
	return newError(CodeValidationFailed, module, "SQLite settings given for a PostgreSQL database: "+strings.Join(set, ", ")+
		"; they set SQLite's pragmas, which PostgreSQL does not have: remove them, or leave the variables unset", "settings", set)
}

// registerTypes makes pgx read a timestamptz in UTC, as the codec reads a
// DATETIME on SQLite, rather than in the process's zone.
func registerTypes(_ context.Context, c *pgx.Conn) error {
	c.TypeMap().RegisterType(&pgtype.Type{Name: "timestamptz", OID: pgtype.TimestamptzOID,
		Codec: &pgtype.TimestamptzCodec{ScanLocation: time.UTC}})
	return nil
}

// openPostgres is Open for a postgres:// URL.
func openPostgres(ctx context.Context, rawURL string, def *Definition, cfg config) (_ *DB, err error) {
	if def.Postgres == nil {
		return nil, newError(CodeValidationFailed, def.Name, "database "+def.Name+" has no PostgreSQL schema: its package was "+
			"generated for SQLite only; regenerate it with targets: [sqlite, postgres] in dbgen.yaml", "database", def.Name)
	}
	schema := def.Postgres.Schema
	if schema == "" {
		schema = def.Name
	}
	if !databaseName.MatchString(schema) {
		return nil, newError(CodeValidationFailed, def.Name,
			fmt.Sprintf("invalid PostgreSQL schema name %q: want [a-z][a-z0-9_]*", schema), "schema", schema)
	}
	if err := cfg.sqliteOnly(def.Name); err != nil {
		return nil, err
	}
	cc, err := postgresConfig(def.Name, rawURL, schema, cfg)
	if err != nil {
		return nil, err
	}
	db := &DB{
		def:      def,
		path:     redactURL(rawURL),
		dialect:  postgresDialect,
		policy:   retryPolicy{maxRetries: cfg.maxRetries, first: cfg.backoffMin, max: cfg.backoffMax},
		log:      cfg.logger,
		readOnly: cfg.readOnly,
		wturn:    writerTurn{wait: writerWait(cfg)}, // no writer to take: bounds the turns
	}
	defer func() {
		if err != nil {
			db.closePools()
		}
	}()
	pool := stdlib.OpenDB(*cc, stdlib.OptionAfterConnect(registerTypes))
	pool.SetMaxOpenConns(cfg.readers)
	pool.SetMaxIdleConns(cfg.readers)
	pool.SetConnMaxLifetime(0)
	// Idle connections hold a server process each: let a quiet pool shrink.
	pool.SetConnMaxIdleTime(5 * time.Minute)
	db.writer, db.reader = pool, pool
	db.wconn = pgConn{pool}
	db.rconn = db.wconn
	if err := pool.PingContext(ctx); err != nil {
		return nil, db.connectError(ctx, cc, err)
	}
	if db.readOnly {
		err = db.checkPostgresSchema(ctx, schema)
	} else {
		err = db.applyPostgresSchema(ctx, schema)
	}
	if err != nil {
		return nil, err
	}
	if err := warm(ctx, pool, cfg.readers); err != nil {
		return nil, db.connectError(ctx, cc, err)
	}
	db.log.InfoContext(ctx, "dbgen: database open", "database", def.Name, "url", db.path, "schema", schema,
		"connections", cfg.readers, "read_only", db.readOnly)
	return db, nil
}

// connectError explains why the server could not be reached or refused
// the connection. It never shows the password.
func (db *DB) connectError(ctx context.Context, cc *pgx.ConnConfig, err error) *Error {
	where := cc.Host
	if !strings.HasPrefix(where, "/") {
		where = net.JoinHostPort(cc.Host, strconv.Itoa(int(cc.Port)))
	}
	where = "PostgreSQL at " + where + " (database " + cc.Database + ", user " + cc.User + ")"
	reason, msg := "unreachable", "cannot connect to "+where
	var pe *pgconn.PgError
	var ne net.Error
	switch {
	case errors.As(err, &pe) && (pe.Code == "28P01" || pe.Code == "28000"):
		reason, msg = "authentication", "authentication failed for "+where+": "+pe.Message
	case errors.As(err, &pe) && pe.Code == "3D000":
		return newError(CodeDatabaseNotFound, db.def.Name, "no database "+cc.Database+" on "+where+": create it first",
			"url", db.path, "reason", "no database").wrap(err)
	case errors.As(err, &pe) && pe.Code == "42501":
		reason, msg = "permission", "the role may not connect to "+where+": "+pe.Message
	case errors.As(err, &pe):
		msg += ": " + pe.Message
	case ctx.Err() != nil:
		reason, msg = "canceled", "connecting to "+where+" did not finish: "+ctx.Err().Error()
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		reason, msg = "timeout", fmt.Sprintf("cannot connect to %s: no answer within %s (connect_timeout)", where, cc.ConnectTimeout)
	default:
		msg += ": " + lastCause(err)
	}
	return newError(CodeInternal, db.def.Name, msg, "url", db.path, "reason", reason).wrap(err)
}

// lastCause is the innermost message of err: what the dial said, without
// pgx's preamble.
func lastCause(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}

// applyPostgresSchema brings the database's schema up to date: created if
// missing, then its migrations applied, or its DDL run when it has no
// tables and the package no migrations; then checked.
func (db *DB) applyPostgresSchema(ctx context.Context, schema string) error {
	if err := db.createSchema(ctx, schema); err != nil {
		return err
	}
	if db.def.Postgres.Migrations != nil {
		if err := db.Migrate(ctx, db.def.Postgres.Migrations); err != nil {
			var re *Error
			if errors.As(err, &re) {
				return err
			}
			return newError(CodeMigrationFailed, db.def.Name, "apply the PostgreSQL migrations").wrap(err)
		}
	}
	return db.checkPostgresSchema(ctx, schema)
}

// createSchema creates the schema, and its tables from the DDL when the
// package has no migrations and the schema no tables, under the lock that
// migrations of the schema take: two processes that open a new database at
// once create it once.
func (db *DB) createSchema(ctx context.Context, schema string) (err error) {
	c, err := db.writer.Conn(ctx)
	if err != nil {
		return Translate(db.def.Name, err)
	}
	defer c.Close()
	unlock, err := advisoryLock(ctx, c, schema)
	if err != nil {
		return newError(CodeMigrationFailed, db.def.Name, "wait for other processes creating schema "+schema).wrap(err)
	}
	defer func() {
		if uerr := unlock(); uerr != nil {
			_ = c.Raw(func(any) error { return driver.ErrBadConn })
			if err == nil {
				err = newError(CodeInternal, db.def.Name, "release the schema's lock").wrap(uerr)
			}
		}
	}()
	var exists bool
	if err := c.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1)`, schema).Scan(&exists); err != nil {
		return Translate(db.def.Name, err)
	}
	if !exists {
		// CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege on the
		// database even when the schema is there: asked only when it is not.
		if _, err := c.ExecContext(ctx, "CREATE SCHEMA "+quoteIdent(schema)); err != nil {
			return db.schemaError(schema, "create schema "+schema, err)
		}
		db.log.InfoContext(ctx, "dbgen: schema created", "database", db.def.Name, "schema", schema)
	}
	ddl := db.def.Postgres.DDL
	if db.def.Postgres.Migrations != nil || ddl == "" {
		return nil
	}
	n, err := pgObjects(ctx, c, schema)
	if err != nil || n > 0 {
		return Translate(db.def.Name, err)
	}
	tx, err := c.BeginTx(ctx, nil)
	if err != nil {
		return Translate(db.def.Name, err)
	}
	// No arguments: pgx sends the script as one simple query, every
	// statement of it in this transaction.
	if _, err := tx.ExecContext(ctx, ddl); err != nil {
		tx.Rollback()
		return db.schemaError(schema, "create the tables of schema "+schema+" from the package's DDL"+ddlLine(ddl, err), err)
	}
	if err := tx.Commit(); err != nil {
		return db.schemaError(schema, "create the tables of schema "+schema, err)
	}
	return nil
}

// ddlLine says at which line of the DDL PostgreSQL found the error.
func ddlLine(ddl string, err error) string {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Position <= 0 {
		return ""
	}
	n := 0
	for i := range ddl {
		if n++; n >= int(pe.Position) {
			return fmt.Sprintf(" (line %d)", strings.Count(ddl[:i], "\n")+1)
		}
	}
	return ""
}

// schemaError is MIGRATION_FAILED for a failure to create the schema or
// its tables, with what to do about a missing privilege.
func (db *DB) schemaError(schema, what string, err error) *Error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == pgInsufficientPrivilege {
		return newError(CodeMigrationFailed, db.def.Name, what+": "+pe.Message+
			"; grant the role CREATE on the database (or on schema "+schema+"), or have an administrator create the schema for it",
			"schema", schema, "reason", "permission").wrap(err)
	}
	msg := what
	if pe != nil {
		msg += ": " + pe.Message
	}
	return newError(CodeMigrationFailed, db.def.Name, msg, "schema", schema).wrap(err)
}

// advisoryLock takes the advisory lock of schema's migrations on c,
// waiting as long as ctx allows, and returns what releases it.
func advisoryLock(ctx context.Context, c *sql.Conn, schema string) (func() error, error) {
	key := migrate.LockKey(schema)
	if _, err := c.ExecContext(ctx, "SET lock_timeout = 0"); err != nil {
		return nil, err
	}
	_, err := c.ExecContext(ctx, "SELECT pg_advisory_lock($1)", key)
	if _, rerr := c.ExecContext(context.WithoutCancel(ctx), "RESET lock_timeout"); err == nil {
		err = rerr
	}
	if err != nil {
		// The lock may have been granted all the same (a cancel racing the
		// grant, RESET failing after it): never pool a session holding it.
		_ = c.Raw(func(any) error { return driver.ErrBadConn })
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	return func() error {
		_, err := c.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", key)
		return err
	}, nil
}

// pgObjects counts the tables and views of schema, the revisions table aside.
func pgObjects(ctx context.Context, q queryer, schema string) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace
  WHERE s.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relname <> 'dbgen_revisions'`, schema).Scan(&n)
	return n, err
}

// checkPostgresSchema fails when the schema lacks a table, view or column
// of the Definition, naming them, rather than at the first query that
// needs one. What it has in addition is left alone.
func (db *DB) checkPostgresSchema(ctx context.Context, schema string) error {
	got, err := db.postgresColumns(ctx, db.reader, schema)
	if err != nil {
		return err
	}
	if len(db.missingFrom(got)) > 0 && !db.readOnly && db.def.Postgres.Migrations != nil {
		// Another process may be migrating the schema right now: judge it,
		// and read the version the message gives, once that is done, under
		// the migrations' lock.
		c, err := db.writer.Conn(ctx)
		if err != nil {
			return Translate(db.def.Name, err)
		}
		defer c.Close()
		unlock, err := advisoryLock(ctx, c, schema)
		if err != nil {
			return newError(CodeMigrationFailed, db.def.Name, "wait for other processes migrating schema "+schema).wrap(err)
		}
		defer func() {
			if unlock() != nil {
				_ = c.Raw(func(any) error { return driver.ErrBadConn }) // never pool a session holding it
			}
		}()
		if got, err = db.postgresColumns(ctx, c, schema); err != nil {
			return err
		}
	}
	if len(got) == 0 && db.readOnly {
		return newError(CodeDatabaseNotFound, db.def.Name, "schema "+schema+" has no tables (or does not exist): "+
			"a read-only open creates nothing", "schema", schema)
	}
	missing := db.missingFrom(got)
	if len(missing) == 0 {
		return nil
	}
	version, _ := migrationVersion(ctx, db) // under the lock when migrations may run
	var msg string
	switch {
	case db.readOnly:
		msg = fmt.Sprintf("schema %s lacks what the package needs: %s", schema, strings.Join(missing, ", "))
	case db.def.Postgres.Migrations != nil:
		msg = fmt.Sprintf("the PostgreSQL migrations applied, up to %s, do not reach the package's schema: schema %s lacks %s; "+
			"the schema files changed without a migration: plan one with dbgen migrate diff --db %s NAME and build again",
			orNone(version), schema, strings.Join(missing, ", "), db.def.Name)
	default:
		msg = fmt.Sprintf("schema %s lacks %s: it had tables before, and a package without migrations creates its "+
			"tables only in an empty schema; plan migrations (dbgen migrate diff --db %s NAME), or bring the schema to the package's",
			schema, strings.Join(missing, ", "), db.def.Name)
	}
	return newError(CodeMigrationFailed, db.def.Name, msg, "schema", schema, "missing", missing, "version", version)
}

func orNone(version string) string {
	if version == "" {
		return "none"
	}
	return version
}

// postgresColumns reads the tables and views of schema with their columns.
func (db *DB) postgresColumns(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, schema string) (map[string]map[string]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.relname, coalesce(a.attname, '') FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  WHERE s.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`, schema)
	if err != nil {
		return nil, newError(CodeMigrationFailed, db.def.Name, "read schema "+schema).wrap(Translate(db.def.Name, err))
	}
	defer rows.Close()
	got := map[string]map[string]bool{}
	for rows.Next() {
		var table, column string
		if err := rows.Scan(&table, &column); err != nil {
			return nil, newError(CodeMigrationFailed, db.def.Name, "read schema "+schema).wrap(err)
		}
		if got[table] == nil {
			got[table] = map[string]bool{}
		}
		got[table][column] = true
	}
	if err := rows.Err(); err != nil {
		return nil, newError(CodeMigrationFailed, db.def.Name, "read schema "+schema).wrap(Translate(db.def.Name, err))
	}
	return got, nil
}

// missingFrom names the tables, views and columns of the Definition that
// got (postgresColumns) lacks.
func (db *DB) missingFrom(got map[string]map[string]bool) []string {
	var missing []string
	for i := range db.def.Tables {
		t := &db.def.Tables[i]
		if t.Virtual {
			continue // the generator refuses them on PostgreSQL: an override gives something else
		}
		cols := got[t.Name]
		if cols == nil {
			missing = append(missing, t.Kind()+" "+t.Name)
			continue
		}
		for _, c := range t.RecordColumns() {
			if !cols[c] {
				missing = append(missing, "column "+t.Name+"."+c)
			}
		}
	}
	return missing
}
