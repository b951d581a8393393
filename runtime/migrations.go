package runtime

import "context"

// applySchema brings a database opened by Open to its Definition's schema,
// and migrationVersion reports the revision it is at ("" without migrations).
// They are variables so that package migrate can be wired in here without
// Open depending on it while it is being written.
var (
	applySchema = func(ctx context.Context, db *DB) error {
		if db.def.Migrations != nil {
			return newError(CodeMigrationFailed, db.def.Name, "migrations not supported yet")
		}
		return applyDDL(ctx, db)
	}
	migrationVersion = func(ctx context.Context, db *DB) (string, error) { return "", nil }
)
