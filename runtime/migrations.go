package runtime

import (
	"context"

	"github.com/dbgen-dev/dbgen/runtime/migrate"
)

// applySchema brings a database opened by Open to its Definition's schema:
// its embedded migrations when it has them (atlas.sum verified, one
// transaction per file, safe against a second process doing the same), else
// the schema DDL on a database that has no tables yet.
func applySchema(ctx context.Context, db *DB) error {
	if db.def.Migrations == nil {
		return applyDDL(ctx, db)
	}
	if err := migrate.Up(ctx, db.Writer(), db.def.Migrations); err != nil {
		return newError(CodeMigrationFailed, db.def.Name, "apply migrations").wrap(err)
	}
	return nil
}

// migrationVersion reports the revision the database is at, "" without
// migrations. It only reads, so it asks the read pool: a status check must
// not queue behind a long write transaction.
func migrationVersion(ctx context.Context, db *DB) (string, error) {
	if db.def.Migrations == nil {
		return "", nil
	}
	return migrate.Version(ctx, db.Reader())
}
