package runtime

import (
	"context"
	"os"
)

// openReadOnly opens the pools of a database opened WithReadOnly: readers
// of a file that must exist, nothing applied to it. The writer pool is a
// one-connection reader too, opened only if something tries to write, so
// that a write fails with READ_ONLY instead of reaching a nil pool.
func (db *DB) openReadOnly(ctx context.Context, cfg config) error {
	// mode=ro never creates the file; asking first gives the clear error.
	if _, err := os.Stat(db.path); err != nil {
		return openError(db.def.Name, "cannot open "+db.path+" read-only", err)
	}
	var err error
	if db.writer, err = db.openPool(cfg, roleReadOnly); err != nil {
		return err
	}
	db.writer.SetMaxOpenConns(1)
	db.writer.SetMaxIdleConns(1)
	db.wconn = db.writer
	if db.reader, err = db.openPool(cfg, roleReadOnly); err != nil {
		return err
	}
	db.reader.SetMaxOpenConns(cfg.readers)
	db.reader.SetMaxIdleConns(cfg.readers)
	db.reader.SetConnMaxLifetime(0)
	db.reader.SetConnMaxIdleTime(0)
	db.rconn = db.reader
	if err := warm(ctx, db.reader, cfg.readers); err != nil {
		return openError(db.def.Name, "cannot open the read pool", err)
	}
	// A file that is not a database, or a WAL file whose index cannot be
	// made, fails here rather than at the first request.
	if _, err := countTables(ctx, db.reader); err != nil {
		return openError(db.def.Name, "cannot read "+db.path, Translate(db.def.Name, err))
	}
	db.log.InfoContext(ctx, "dbgen: database open, read-only", "database", db.def.Name, "path", db.path, "readers", cfg.readers)
	return nil
}
