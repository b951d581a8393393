package runtime

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/dbgen-dev/dbgen/runtime/migrate"
)

// applySchema brings a database opened by Open to its Definition's schema:
// its embedded migrations when it has them (atlas.sum verified, one
// transaction per file, safe against a second process doing the same), else
// the schema DDL on a database that has no tables yet.
//
// A database that Open created from the DDL before the package had
// migrations is stamped at the migration whose schema it has, so that only
// the later ones run. Once migrated, the database must have the schema of
// the Definition: a schema change planned without a migration fails here,
// naming what is missing, rather than at the first query that needs it.
func applySchema(ctx context.Context, db *DB) error {
	if db.def.Migrations == nil {
		return applyDDL(ctx, db)
	}
	if err := db.Migrate(ctx, db.def.Migrations); err != nil {
		var re *Error
		if errors.As(err, &re) {
			return err
		}
		return newError(CodeMigrationFailed, db.def.Name, "apply migrations").wrap(err)
	}
	return checkSchema(ctx, db)
}

// Migrate applies the pending migrations of dir as Open applies the
// Definition's: a database made before its migrations is first stamped at
// the migration whose schema it has (or refused with the baseline command
// that fixes it, a MIGRATION_FAILED *Error), then every pending file runs.
// dir need not be the Definition's: an admin server that opened a file as
// it is may have been given its project's folder. A failing file is a
// *migrate.Error, which names it.
func (db *DB) Migrate(ctx context.Context, dir fs.FS) error {
	stamped, err := migrate.Adopt(ctx, db.Writer(), dir, scratchDB)
	if ue := (*migrate.UnknownSchemaError)(nil); errors.As(err, &ue) {
		return db.unknownSchemaError(ue)
	}
	if err != nil {
		return err
	}
	if stamped != "" {
		db.log.InfoContext(ctx, "dbgen: the database was made before its migrations; stamped at the migration whose schema it has",
			"database", db.def.Name, "version", stamped)
	}
	return migrate.Up(ctx, db.Writer(), dir)
}

// unknownSchemaError explains a database made without migrations whose
// schema is the one of no migration, and gives the command that stamps it.
func (db *DB) unknownSchemaError(ue *migrate.UnknownSchemaError) error {
	dir := filepath.Dir(db.path)
	command := fmt.Sprintf("dbgen migrate baseline --dir %s --db %s --to %s", dir, db.def.Name, ue.Closest.Version)
	msg := fmt.Sprintf("%s has tables but no migration history, and its schema is the one of no migration: "+
		"compared with the closest, %s, it has %s; bring it to that schema, then stamp it there: %s",
		db.path, ue.Closest.File, ue.Differences, command)
	return newError(CodeMigrationFailed, db.def.Name, msg,
		"object", ue.Differences[0].Object(), "closest", ue.Closest.Version, "command", command,
		"differences", differenceList(ue.Differences))
}

// checkSchema fails when the migrated database lacks something of the
// Definition's schema, or defines it differently. What the database has in
// addition (a table, an index an operator added) is left alone. The
// Definition's schema is described once per process; the database's takes
// a few queries of SQLite's pragmas (see BenchmarkOpenMigrated).
func checkSchema(ctx context.Context, db *DB) error {
	if db.def.DDL == "" {
		return nil
	}
	want, err := desiredSchema(ctx, db.def.DDL)
	if err != nil {
		return newError(CodeMigrationFailed, db.def.Name, "read the package's schema").wrap(err)
	}
	got, err := migrate.Describe(ctx, db.Writer())
	if err != nil {
		return newError(CodeMigrationFailed, db.def.Name, "read the database's schema").wrap(err)
	}
	var diffs migrate.Differences
	for _, d := range got.Compare(want) {
		if !d.Extra() {
			diffs = append(diffs, d)
		}
	}
	if len(diffs) == 0 {
		return nil
	}
	version, err := migrate.Version(ctx, db.Writer())
	if err != nil {
		return newError(CodeMigrationFailed, db.def.Name, "read the migrations applied").wrap(err)
	}
	command := fmt.Sprintf("dbgen migrate diff --db %s NAME", db.def.Name)
	msg := fmt.Sprintf("the migrations applied, up to %s, do not reach the package's schema: the database has %s; "+
		"the schema files changed without a migration: plan one with %s and build again", version, diffs, command)
	return newError(CodeMigrationFailed, db.def.Name, msg,
		"object", diffs[0].Object(), "version", version, "command", command, "differences", differenceList(diffs))
}

func differenceList(ds migrate.Differences) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.String()
	}
	return out
}

// migrationVersion reports the revision the database is at, "" when none
// is recorded. It reads the revisions table, as migrate.Status and
// migrate.Applied do, whether or not the Definition has its migrations: a
// file opened without them (dbgen serve introspects files) still says what
// was applied to it. It only reads, so it asks the read pool: a status check
// must not queue behind a long write transaction.
func migrationVersion(ctx context.Context, db *DB) (string, error) {
	return migrate.Version(ctx, db.Reader())
}
