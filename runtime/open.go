package runtime

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ncruces/go-sqlite3/ext/fts5"

	"github.com/dbgen-dev/dbgen/internal/sqliteconn"
)

// DB is one open database file: a single writer connection, through which
// every write is serialised in Go instead of fighting over SQLite's lock, and
// a pool of read-only connections that read concurrently thanks to WAL.
//
// On PostgreSQL (Open given a postgres:// URL) it is one schema of a
// PostgreSQL database, and both pools are one pool of connections whose
// search_path is that schema.
type DB struct {
	def      *Definition
	path     string // the file, or the PostgreSQL URL without its password
	dialect  dialect
	writer   *sql.DB
	reader   *sql.DB
	wconn    conn // writer and reader as the runtime's statements run on them
	rconn    conn
	policy   retryPolicy
	log      *slog.Logger
	counters counters
	closed   atomic.Bool
	readOnly bool       // WithReadOnly: both pools read a file opened mode=ro
	turns    turns      // PostgreSQL's write transactions: alone after a conflict
	wturn    writerTurn // SQLite's single writer, taken in turn (writerturn.go)
	// sequences holds the sequence of each identity column on PostgreSQL,
	// by table and column (see identitySequence).
	sequences sync.Map
}

var databaseName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Open opens (creating it when missing) the file <dir>/<def.Name>.db and
// brings its schema up to date. With dir == "" the folder is DATABASE_URL,
// or "data" when that is unset. Settings come from the defaults, then the
// environment (see the Env* constants), then opts; a malformed environment
// value is an error naming the variable.
func Open(ctx context.Context, dir string, def *Definition, opts ...Option) (*DB, error) {
	cfg, err := newConfig(os.LookupEnv, opts)
	if err != nil {
		return nil, err
	}
	return openDB(ctx, cfg.resolveDir(dir), def, cfg)
}

func (c *config) resolveDir(dir string) string {
	if dir == "" {
		return c.dataDir
	}
	return dir
}

func openDB(ctx context.Context, dir string, def *Definition, cfg config) (_ *DB, err error) {
	if def == nil {
		return nil, newError(CodeValidationFailed, "", "nil database definition")
	}
	if !databaseName.MatchString(def.Name) {
		return nil, newError(CodeValidationFailed, def.Name,
			fmt.Sprintf("invalid database name %q: want [a-z][a-z0-9_]*", def.Name), "name", def.Name)
	}
	if isPostgresURL(dir) {
		return openPostgres(ctx, dir, def, cfg)
	}
	db := &DB{
		def:      def,
		path:     filepath.Join(dir, def.Name+".db"),
		policy:   retryPolicy{maxRetries: cfg.maxRetries, first: cfg.backoffMin, max: cfg.backoffMax},
		log:      cfg.logger,
		readOnly: cfg.readOnly,
	}
	defer func() {
		if err != nil {
			db.closePools()
		}
	}()
	if db.readOnly {
		if err := db.openReadOnly(ctx, cfg); err != nil {
			return nil, err
		}
		return db, nil
	}
	db.wturn = newWriterTurn(cfg)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, openError(def.Name, "cannot create the data folder "+dir, err)
	}

	if db.writer, err = db.openPool(cfg, roleWriter); err != nil {
		return nil, err
	}
	// One connection: writers queue in database/sql, in Go, rather than spin
	// on SQLITE_BUSY. Kept open forever, so its page cache stays warm.
	db.writer.SetMaxOpenConns(1)
	db.writer.SetMaxIdleConns(1)
	db.writer.SetConnMaxLifetime(0)
	db.writer.SetConnMaxIdleTime(0)
	db.wconn = db.writer
	if err := db.checkJournalMode(ctx, cfg.pragmas.journalMode); err != nil {
		return nil, err
	}
	if err := applySchema(ctx, db); err != nil {
		return nil, err
	}

	if db.reader, err = db.openPool(cfg, roleReader); err != nil {
		return nil, err
	}
	db.reader.SetMaxOpenConns(cfg.readers)
	db.reader.SetMaxIdleConns(cfg.readers)
	db.reader.SetConnMaxLifetime(0)
	db.reader.SetConnMaxIdleTime(0)
	db.rconn = db.reader
	if err := warm(ctx, db.reader, cfg.readers); err != nil {
		return nil, openError(def.Name, "cannot open the read pool", err)
	}
	db.log.InfoContext(ctx, "dbgen: database open", "database", def.Name, "path", db.path, "readers", cfg.readers)
	return db, nil
}

func (db *DB) openPool(cfg config, role connRole) (*sql.DB, error) {
	name, err := dsn(db.path, cfg.busyTimeout, cfg.pragmas, role)
	if err != nil {
		return nil, openError(db.def.Name, "bad database path", err)
	}
	// FTS5 is an extension in this SQLite build: registered on every
	// connection, so full-text virtual tables of the schema work.
	// sqliteconn sets dbgen's SQLite limits on each too, and turns a crash
	// of the embedded SQLite into an error on a connection it discards.
	pool, err := sqliteconn.Open(name, fts5.Register)
	if err != nil {
		return nil, newError(CodeInternal, db.def.Name, "cannot configure the driver").wrap(err)
	}
	return pool, nil
}

// checkJournalMode opens the writer connection (creating the file) and reads
// the journal mode back: SQLite answers a failed switch to WAL (a file system
// without shared memory, say) with the old mode instead of an error, and the
// read pool would then block the writer.
func (db *DB) checkJournalMode(ctx context.Context, want string) error {
	var got string
	if err := db.writer.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&got); err != nil {
		return openError(db.def.Name, "cannot open "+db.path, err)
	}
	if !strings.EqualFold(got, want) {
		return newError(CodeInternal, db.def.Name,
			fmt.Sprintf("journal_mode is %s, want %s (does the file system support it?)", got, want),
			"path", db.path, "journal_mode", got)
	}
	return nil
}

// openError reports that a database's file or folder could not be opened.
// Open creates what is missing, so a failure is a fault of the server (a
// permission, a full disk, a folder in the way): INTERNAL, not
// DATABASE_NOT_FOUND, which the admin API answers with 404. Only a file
// that is still missing, gone from under Open, is not found.
func openError(module, msg string, err error) *Error {
	code := CodeInternal
	if errors.Is(err, fs.ErrNotExist) {
		code = CodeDatabaseNotFound
	}
	return newError(code, module, msg).wrap(err)
}

// warm opens every reader connection now and leaves them idle
// in the pool, so that no request pays for opening one.
func warm(ctx context.Context, pool *sql.DB, n int) error {
	conns := make([]*sql.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close() // back to the pool; never fails for an open conn
		}
	}()
	for range n {
		c, err := pool.Conn(ctx)
		if err != nil {
			return err
		}
		conns = append(conns, c)
		if err := c.PingContext(ctx); err != nil {
			return err
		}
	}
	return nil
}

// Writer is the single-connection pool for writes. Its transactions are
// IMMEDIATE; prefer WriteTx, which also retries on lock errors. On
// PostgreSQL it is the database's one pool, as is Reader, and statements
// of your own on it are PostgreSQL's ($1 placeholders).
func (db *DB) Writer() *sql.DB { return db.writer }

// Reader is the read-only pool: every connection is query_only.
func (db *DB) Reader() *sql.DB { return db.reader }

// Engine is the database's engine: "sqlite" or "postgres".
func (db *DB) Engine() string { return db.dialect.String() }

// Definition is the metadata the database was opened with.
func (db *DB) Definition() *Definition { return db.def }

// Path is the database file; on PostgreSQL the URL Open was given,
// without its password.
func (db *DB) Path() string { return db.path }

// Name is the database name, the Module of its errors.
func (db *DB) Name() string { return db.def.Name }

// Close lets SQLite refresh its query planner statistics (not on a
// read-only database), then closes both pools. Transactions still running
// fail; call it when the app stops.
func (db *DB) Close() error {
	if db == nil || db.closed.Swap(true) {
		return nil
	}
	if db.readOnly || db.dialect == postgresDialect {
		return db.closePools()
	}
	// PRAGMA optimize is cheap (it only analyses what queries needed) and is
	// what SQLite recommends before closing a long-lived connection.
	if _, err := db.writer.Exec("PRAGMA optimize"); err != nil {
		db.log.Warn("dbgen: PRAGMA optimize failed", "database", db.def.Name, "err", err)
	}
	return db.closePools()
}

func (db *DB) closePools() error {
	var errs []error
	if db.reader != nil {
		errs = append(errs, db.reader.Close())
	}
	if db.writer != nil && db.writer != db.reader {
		errs = append(errs, db.writer.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return newError(CodeInternal, db.def.Name, "close").wrap(err)
	}
	return nil
}
