package migrate

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"time"
)

// Adopt brings a database that has tables but no migration history under
// the migrations of dir. Such a database was made before its migrations
// were, typically by Open from the schema files while the package had none.
// When its schema is the one some migration leaves, Adopt stamps it at that
// migration, as Baseline does, so that Up applies only the later ones;
// otherwise it returns an *UnknownSchemaError. It returns the version it
// stamped, "" when it left the database alone: it has a history already,
// or no tables.
//
// scratch opens an empty database, such as an in-memory one with a single
// connection, to replay the migrations in and learn the schema each one
// leaves. It is called only for a database to adopt; Adopt closes it.
func Adopt(ctx context.Context, db *sql.DB, dir fs.FS, scratch func(context.Context) (*sql.DB, error)) (string, error) {
	src, err := load(dir)
	if err != nil || len(src.migrations) == 0 {
		return "", err
	}
	// Every open of a migrated database passes here: settle it in a query
	// or two, without the write lock.
	e := engineOf(db)
	if adopt, err := unmanaged(ctx, e, db); err != nil || !adopt {
		return "", err
	}
	if _, pg := e.(postgresEngine); pg {
		// Replaying PostgreSQL's migrations needs a scratch schema on the
		// server; until Adopt has one, the schema is stamped by hand.
		return "", fileError(RevisionsTable, "the schema has tables but no migration history: "+
			"if its schema is the one a migration leaves, stamp it there (dbgen migrate baseline --to VERSION)")
	}
	states, err := src.replay(ctx, scratch)
	if err != nil {
		return "", err
	}
	var stamped string
	err = withConn(ctx, db, func(c *conn) error {
		_, err := step(ctx, c, func(applied []Revision) (*work, error) {
			if len(applied) > 0 {
				return nil, nil // another process got here first
			}
			if adopt, err := unmanaged(ctx, c.e, c); err != nil || !adopt {
				return nil, err
			}
			current, err := Describe(ctx, c)
			if err != nil {
				return nil, err
			}
			target, err := src.match(current, states)
			if err != nil {
				return nil, err
			}
			stamped = src.migrations[target].Version
			return &work{record: func() error { return stamp(ctx, c, src.migrations[:target+1]) }}, nil
		})
		return err
	})
	if err != nil {
		return "", err
	}
	return stamped, nil
}

// unmanaged reports whether the database has tables or views of its own
// but no recorded migration.
func unmanaged(ctx context.Context, e engine, q querier) (bool, error) {
	objects, err := e.objects(ctx, q)
	if err != nil {
		return false, wrapRevisions(err)
	}
	if objects == 0 {
		return false, nil
	}
	revisions, err := e.revisionsExist(ctx, q)
	if err != nil {
		return false, wrapRevisions(err)
	}
	if revisions {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM `+RevisionsTable).Scan(&n); err != nil || n > 0 {
			return false, wrapRevisions(err)
		}
	}
	return true, nil
}

// replay runs the migrations of s in a scratch database and returns the
// schema after each.
func (s *source) replay(ctx context.Context, scratch func(context.Context) (*sql.DB, error)) ([]*Schema, error) {
	db, err := scratch(ctx)
	if err != nil {
		return nil, fileError(RevisionsTable, "open a scratch database to replay the migrations in: %w", err)
	}
	defer db.Close()
	c, err := db.Conn(ctx)
	if err != nil {
		return nil, fileError(RevisionsTable, "open a scratch database to replay the migrations in: %w", err)
	}
	defer c.Close()
	// As Up runs them.
	if _, err := c.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return nil, fileError(RevisionsTable, "scratch database: %w", err)
	}
	states := make([]*Schema, 0, len(s.migrations))
	for _, m := range s.migrations {
		if err := execFile(ctx, sqliteEngine{}, c, m.up); err != nil {
			return nil, err
		}
		st, err := Describe(ctx, c)
		if err != nil {
			return nil, err
		}
		states = append(states, st)
	}
	return states, nil
}

// match returns the migration whose schema, states[i], current has. Of
// migrations that leave the schema as it was (data migrations), the first:
// a database made without them has not had their data changes either.
func (s *source) match(current *Schema, states []*Schema) (int, error) {
	closest, fewest := -1, 0
	var closestDiffs Differences
	for i := len(states) - 1; i >= 0; i-- {
		diffs := current.Compare(states[i])
		if len(diffs) == 0 {
			for i > 0 && len(states[i-1].Compare(states[i])) == 0 {
				i--
			}
			return i, nil
		}
		if closest < 0 || len(diffs) < fewest {
			closest, fewest, closestDiffs = i, len(diffs), diffs
		}
	}
	return 0, &UnknownSchemaError{Closest: s.migrations[closest].Migration, Differences: closestDiffs}
}

// stamp records migrations as applied without running them.
func stamp(ctx context.Context, c *conn, migrations []*migration) error {
	now := time.Now()
	for _, m := range migrations {
		err := insertRevision(ctx, c, Revision{
			Version:     m.Version,
			Description: m.Description,
			Checksum:    m.checksum,
			AppliedAt:   now,
			Baseline:    true,
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// UnknownSchemaError is Adopt's: the database has tables but no migration
// history, and its schema is the one of no migration. It wraps
// ErrMigration.
type UnknownSchemaError struct {
	Closest     Migration   // the migration whose schema is closest to the database's
	Differences Differences // how the database differs from the schema Closest leaves
}

func (e *UnknownSchemaError) Error() string {
	return fmt.Sprintf("the database has tables but no migration history, and its schema is the one of no migration: "+
		"compared with the closest, %s, it has %s; make it match a migration and stamp it there (dbgen migrate baseline --to %s)",
		e.Closest.File, e.Differences, e.Closest.Version)
}

func (e *UnknownSchemaError) Unwrap() error { return ErrMigration }
