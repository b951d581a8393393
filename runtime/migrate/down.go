package migrate

import (
	"context"
	"database/sql"
	"io/fs"
	"path"
)

// Base is the Down target before the first migration: reverting to it
// reverts every migration.
const Base = "base"

// Down reverts the migrations applied after targetVersion, latest first, by
// running their down scripts with the same safety as Up: one transaction per
// file, foreign keys off, foreign_key_check before commit. The revision of
// each reverted file is deleted with it.
func Down(ctx context.Context, db *sql.DB, dir fs.FS, targetVersion string) error {
	src, err := load(dir)
	if err != nil {
		return err
	}
	target, err := src.target(targetVersion)
	if err != nil {
		return err
	}
	return withConn(ctx, db, func(c *sql.Conn) error {
		for {
			done, err := step(ctx, c, func(applied []Revision) (*work, error) {
				if _, err := src.check(applied); err != nil {
					return nil, err
				}
				last := src.latest(applied)
				if last <= target {
					return nil, nil
				}
				m := src.migrations[last]
				if m.down == nil {
					return nil, fileError(path.Join(DownDir, m.File), "missing: %s cannot be reverted without its down script", m.File)
				}
				return &work{file: m.down, record: func() error { return deleteRevision(ctx, c, m.Version) }}, nil
			})
			if err != nil || done {
				return err
			}
		}
	})
}
