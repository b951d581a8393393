package migrate

import (
	"context"
	"database/sql"
	"io/fs"
)

// Baseline marks a database that has no migration history as being at
// version: the migrations up to it are recorded as applied without running
// them, as Alembic's stamp does. Use it for a database created before its
// migrations were; Up then applies only the later ones.
func Baseline(ctx context.Context, db *sql.DB, dir fs.FS, version string) error {
	src, err := load(dir)
	if err != nil {
		return err
	}
	target, err := src.target(version)
	if err != nil {
		return err
	}
	if target < 0 {
		return fileError(SumFile, "baseline needs a migration version, not %q", version)
	}
	return withConn(ctx, db, func(c *conn) error {
		_, err := step(ctx, c, func(applied []Revision) (*work, error) {
			if len(applied) > 0 {
				return nil, fileError(RevisionsTable, "the database already has %d applied migrations, up to %s: "+
					"baseline only stamps a database without migration history", len(applied), applied[len(applied)-1].Version)
			}
			return &work{record: func() error { return stamp(ctx, c, src.migrations[:target+1]) }}, nil
		})
		return err
	})
}
