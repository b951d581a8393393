package migrate

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// RevisionsTable records the migrations applied to a database. Tools that
// list an application's tables should leave it out.
const RevisionsTable = "dbgen_revisions"

// Revision is one applied migration, as recorded in RevisionsTable.
type Revision struct {
	Version     string
	Description string
	Checksum    string        // hex SHA-256 of the up file
	AppliedAt   time.Time     // UTC, when the file was applied or stamped
	Duration    time.Duration // time the file took to apply
	Baseline    bool          // stamped by Baseline, not applied
}

// querier is what the revision functions need of a *sql.Conn or *sql.DB.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

const createRevisions = `CREATE TABLE IF NOT EXISTS ` + RevisionsTable + ` (
  version     TEXT PRIMARY KEY,
  description TEXT NOT NULL,
  checksum    TEXT NOT NULL,
  applied_at  TEXT NOT NULL,
  duration_ms INTEGER NOT NULL,
  baseline    INTEGER NOT NULL DEFAULT 0
)`

func createRevisionsTable(ctx context.Context, c *conn) error {
	if _, err := c.ExecContext(ctx, c.e.createRevisions()); err != nil {
		return fileError(RevisionsTable, "create table: %w", err)
	}
	return nil
}

// readRevisions returns the recorded revisions in version order; none when
// the table does not exist yet.
func readRevisions(ctx context.Context, e engine, q querier) ([]Revision, error) {
	exists, err := e.revisionsExist(ctx, q)
	if err != nil || !exists {
		return nil, wrapRevisions(err)
	}
	rows, err := q.QueryContext(ctx, `SELECT version, description, checksum, applied_at, duration_ms, baseline FROM `+
		RevisionsTable+` ORDER BY version`)
	if err != nil {
		return nil, wrapRevisions(err)
	}
	defer rows.Close()
	var revs []Revision
	for rows.Next() {
		var (
			r         Revision
			appliedAt string
			ms        int64
		)
		if err := rows.Scan(&r.Version, &r.Description, &r.Checksum, &appliedAt, &ms, &r.Baseline); err != nil {
			return nil, wrapRevisions(err)
		}
		if r.AppliedAt, err = time.Parse(time.RFC3339Nano, appliedAt); err != nil {
			return nil, wrapRevisions(fmt.Errorf("version %s: applied_at: %w", r.Version, err))
		}
		r.Duration = time.Duration(ms) * time.Millisecond
		revs = append(revs, r)
	}
	return revs, wrapRevisions(rows.Err())
}

func insertRevision(ctx context.Context, c *conn, r Revision) error {
	_, err := c.ExecContext(ctx, c.e.insertRevision(),
		r.Version, r.Description, r.Checksum, r.AppliedAt.UTC().Format(time.RFC3339Nano), r.Duration.Milliseconds(), r.Baseline)
	return wrapRevisions(err)
}

func deleteRevision(ctx context.Context, c *conn, version string) error {
	_, err := c.ExecContext(ctx, c.e.deleteRevision(), version)
	return wrapRevisions(err)
}

func wrapRevisions(err error) error {
	if err == nil {
		return nil
	}
	return &Error{File: RevisionsTable, Err: err}
}

// Version returns the version of the latest migration applied to db, or ""
// when none is.
func Version(ctx context.Context, db *sql.DB) (string, error) {
	revs, err := readRevisions(ctx, engineOf(db), db)
	if err != nil || len(revs) == 0 {
		return "", err
	}
	return revs[len(revs)-1].Version, nil
}

// Applied returns the revisions recorded in db, in version order; none when
// it has no migration history. Unlike Status it needs no migrations
// directory: it serves tools that look at a database without its program.
func Applied(ctx context.Context, db *sql.DB) ([]Revision, error) {
	return readRevisions(ctx, engineOf(db), db)
}
