package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/dbgen-dev/dbgen/internal/sqllex"
)

// Up applies the pending migrations of dir to db in version order, one
// transaction per file. db is the application's writer pool; Up pins one of
// its connections for the duration of the call, so none may be held by the
// caller meanwhile.
func Up(ctx context.Context, db *sql.DB, dir fs.FS) error {
	src, err := load(dir)
	if err != nil {
		return err
	}
	// Most opens find nothing to do: settle that without the write lock.
	applied, err := readRevisions(ctx, engineOf(db), db)
	if err != nil {
		return err
	}
	if pending, err := src.check(applied); err != nil || len(pending) == 0 {
		return err
	}
	return withConn(ctx, db, func(c *conn) error {
		for {
			done, err := step(ctx, c, func(applied []Revision) (*work, error) {
				pending, err := src.check(applied)
				if err != nil || len(pending) == 0 {
					return nil, err
				}
				m, start := pending[0], time.Now()
				return &work{file: m.up, record: func() error {
					// Called once the file ran: the duration covers it.
					return insertRevision(ctx, c, Revision{
						Version:     m.Version,
						Description: m.Description,
						Checksum:    m.checksum,
						AppliedAt:   start,
						Duration:    time.Since(start),
					})
				}}, nil
			})
			if err != nil || done {
				return err
			}
		}
	})
}

// work is what one step does in its transaction.
type work struct {
	file   *file        // the script to run; nil when only the revisions change
	record func() error // the revision bookkeeping, after the script
}

// A stepFunc chooses the work of a step from the revisions read under the
// write lock; nil work means there is nothing left to do.
type stepFunc func(applied []Revision) (*work, error)

// step does one piece of work in a BEGIN IMMEDIATE transaction on c (on
// PostgreSQL a transaction under the schema's advisory lock) and reports
// whether there was nothing left to do. The revisions are read only once
// the write lock is held, so that a concurrent process's work is seen and
// never repeated.
func step(ctx context.Context, c *conn, choose stepFunc) (done bool, err error) {
	if err := c.e.begin(ctx, c.Conn); err != nil {
		return false, fileError(RevisionsTable, "take the write lock: %w", err)
	}
	defer func() {
		if err != nil || done {
			// The rollback must run even when ctx was what failed.
			if _, rerr := c.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); rerr != nil {
				err = errors.Join(err, fileError(RevisionsTable, "rollback: %w", rerr))
			}
		}
	}()
	if err := createRevisionsTable(ctx, c); err != nil {
		return false, err
	}
	applied, err := readRevisions(ctx, c.e, c)
	if err != nil {
		return false, err
	}
	w, err := choose(applied)
	if err != nil || w == nil {
		return w == nil, err
	}
	name := RevisionsTable
	if w.file != nil {
		name = w.file.name
		if err := execFile(ctx, c.e, c.Conn, w.file); err != nil {
			return false, err
		}
		if err := c.e.verify(ctx, c.Conn, name); err != nil {
			return false, err
		}
	}
	if err := w.record(); err != nil {
		return false, err
	}
	if _, err := c.ExecContext(ctx, "COMMIT"); err != nil {
		return false, &Error{File: name, Err: fmt.Errorf("commit: %w", err)}
	}
	return false, nil
}

// begin starts a BEGIN IMMEDIATE transaction on c, waiting for the write
// lock for as long as ctx allows. The connection's busy_timeout bounds one
// attempt only, and another process's migration can take longer than that:
// a second instance of an application that starts meanwhile must wait for
// it, not fail to open.
func begin(ctx context.Context, c *sql.Conn) error {
	pause := 10 * time.Millisecond
	for {
		_, err := c.ExecContext(ctx, "BEGIN IMMEDIATE")
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			// The driver reports BUSY or INTERRUPT when ctx ends during the wait.
			return ctx.Err()
		}
		if !isBusy(err) {
			return err
		}
		timer := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		case <-timer.C:
		}
		pause = min(2*pause, time.Second)
	}
}

// isBusy reports an error that another connection's lock caused. The driver
// says so through Temporary (go-sqlite3: BUSY, and INTERRUPT, which only a
// canceled ctx causes here); asking the interface keeps this package free of
// any driver.
func isBusy(err error) bool {
	var t interface{ Temporary() bool }
	return errors.As(err, &t) && t.Temporary()
}

// execFile runs the statements of f one at a time, so that a failure names
// the statement and its line.
func execFile(ctx context.Context, e engine, c *sql.Conn, f *file) error {
	stmts, err := e.split(f)
	if err != nil {
		return err
	}
	for _, s := range stmts {
		if err := e.control(s.Text); err != nil {
			return &Error{File: f.name, Line: s.Line, Statement: s.Text, Err: err}
		}
		if _, err := c.ExecContext(ctx, s.Text); err != nil {
			return e.statementError(f, s, err)
		}
	}
	return nil
}

// checkStatement refuses transaction control: each file already runs in a
// transaction of its own, and a COMMIT inside it would end that early and
// break the all-or-nothing guarantee of the file. The statement's first
// word is read as SQLite reads it, so no white space or comment after the
// keyword (END\nTRANSACTION, COMMIT/*x*/) hides it.
func checkStatement(stmt string) error {
	toks, err := sqllex.Tokens(stmt)
	if err != nil {
		return err
	}
	for _, t := range toks {
		if t.Kind == sqllex.Space || t.Kind == sqllex.Comment {
			continue
		}
		for _, w := range []string{"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"} {
			if t.Is(w) {
				return errors.New("transaction control is not allowed in a migration: the runtime runs each file in one transaction")
			}
		}
		return nil
	}
	return nil
}

// foreignKeyCheck fails when a foreign key of the database is violated. The
// migration ran with enforcement off, so this is where a rebuild that lost
// a parent row, or a new constraint that existing rows break, is caught.
func foreignKeyCheck(ctx context.Context, c *sql.Conn, name string) error {
	rows, err := c.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return &Error{File: name, Err: fmt.Errorf("foreign key check: %w", err)}
	}
	defer rows.Close()
	var (
		violations []string
		count      int
	)
	for rows.Next() {
		var (
			table, parent string
			rowid         sql.NullInt64
			fkid          int
		)
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return &Error{File: name, Err: fmt.Errorf("foreign key check: %w", err)}
		}
		if count++; count <= 3 {
			violations = append(violations, fmt.Sprintf("%s row %d references a missing %s row", table, rowid.Int64, parent))
		}
	}
	if err := rows.Err(); err != nil {
		return &Error{File: name, Err: fmt.Errorf("foreign key check: %w", err)}
	}
	if count == 0 {
		return nil
	}
	more := ""
	if count > len(violations) {
		more = fmt.Sprintf(" (and %d more)", count-len(violations))
	}
	return &Error{File: name, Err: fmt.Errorf("foreign key violations after the migration, rolled back: %s%s",
		strings.Join(violations, "; "), more)}
}

// conn is the connection a migration runs on, with its engine.
type conn struct {
	*sql.Conn
	e engine
}

// withConn runs fn on a connection of db pinned for the call, prepared by
// its engine: on SQLite with foreign key enforcement off (see the package
// documentation) and a busy timeout for the locks that statements inside a
// migration wait for (begin waits for the write lock itself, however long
// it takes); on PostgreSQL holding the schema's advisory lock. What the
// engine changed is restored afterwards, also when fn fails; a connection
// that cannot be restored is discarded rather than handed back to the
// pool with foreign keys off or the lock held.
func withConn(ctx context.Context, db *sql.DB, fn func(*conn) error) (err error) {
	e := engineOf(db)
	c, err := db.Conn(ctx)
	if err != nil {
		return fileError(RevisionsTable, "connect: %w", err)
	}
	defer c.Close()
	restore, err := e.session(ctx, c)
	if restore != nil {
		defer func() {
			// Restore even when ctx was what failed.
			if rerr := restore(context.WithoutCancel(ctx)); rerr != nil {
				err = errors.Join(err, fileError(RevisionsTable, "restore the connection: %w", rerr))
				discard(c)
			}
		}()
	}
	if err != nil {
		return err
	}
	return fn(&conn{Conn: c, e: e})
}

func setPragmas(ctx context.Context, c *sql.Conn, foreignKeys bool, busyTimeout int) error {
	if _, err := c.ExecContext(ctx, fmt.Sprintf("PRAGMA foreign_keys = %t", foreignKeys)); err != nil {
		return err
	}
	_, err := c.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", busyTimeout))
	return err
}

// defaultBusyTimeout is how long a statement of a migration waits for a lock
// when the connection was opened without a busy timeout.
const defaultBusyTimeout = 30 * time.Second
