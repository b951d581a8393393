// Package migrate is the migrate stage of the pipeline: it plans the next
// migration of a database from its schema files with Atlas, lints
// migrations with Atlas's analyzers, and verifies a migrations directory for
// dbgen check. The runtime/migrate package applies what it plans.
//
// # Planning
//
// Plan replays the existing migrations into an in-memory SQLite database,
// loads the desired schema into another, and asks Atlas's SQLite driver for
// the changes between them (RealmDiff, then PlanChanges). On top of Atlas:
//
//   - Views and triggers, which Atlas's SQLite driver skips, are compared by
//     the SQL SQLite stores for them. Changed ones are dropped and created
//     again, and so is every one that refers to a table the migration
//     rebuilds, renames or drops: they are dropped before the table changes
//     and created after them, since SQLite refuses to rename a table while
//     a view or trigger refers to a missing one.
//   - CREATE TABLE, CREATE INDEX and ADD COLUMN use the SQL of the schema
//     files, also for the new table of a rebuild, so that what Atlas does
//     not model (COLLATE, ON CONFLICT, comments) survives a migration.
//   - A table whose definition changed where Atlas's model does not look
//     (COLLATE, ON CONFLICT), or whose UNIQUE constraints changed, is
//     rebuilt: SQLite has no ALTER TABLE for either.
//   - A dropped table and an added one of the same shape are a rename.
//     Other renames, of columns and of tables that changed too, are planned
//     as such when PlanInput.Renames names them or PlanInput.AskRename says
//     yes: ALTER TABLE ... RENAME first, then the other changes, planned
//     from the renamed schema; the down script plans back to the renamed
//     schema, then renames back.
//   - The down script is planned on its own, from the new schema back to the
//     old, so it also reverses table rebuilds. Its header names the data it
//     cannot bring back: what the migration dropped, and what it drops.
//
// Plan checks its own work before returning it: the migration must apply
// and reach the desired schema, and the down script must bring it back.
//
// # Layout
//
// Migrations are append-only. A directory, gen/<db>/migrations:
//
//	atlas.sum                          Atlas's integrity sum of the up migrations
//	20250102150405_add_users.sql       migration <UTC YYYYMMDDHHMMSS>_<name>.sql
//	down/atlas.sum                     integrity sum of the down scripts, same format
//	down/20250102150405_add_users.sql  its down script, same name
//
// The top level is a plain Atlas directory: migrate.LocalDir lists only its
// *.sql files, and migrate.Validate checks them against atlas.sum. A name
// such as "<version>_<name>.down.sql" would not do: Atlas would take it for
// a migration of the same version. In down/, the scripts form a directory
// of their own that Atlas validates the same way.
//
// # Lint
//
// Lint runs the analyzers Atlas registers for SQLite (sql/sqlite/sqlitecheck:
// destructive, data_depend, incompatible, condrop) over the schema change of
// each statement, found by running the file statement by statement in a dev
// database. Destructive changes (DS1xx) are errors, the others warnings.
// Atlas's directive silences a finding: "-- atlas:nolint" optionally
// followed by analyzer names or codes, on the line before the statement, or
// at the top of the file followed by an empty line for the whole file. Plan
// refuses a destructive change unless allowed, and then writes the directive
// before each destructive statement, recording the approval in the file.
//
// # Verify
//
// Verify is dbgen check for migrations: sums, down scripts, replay, drift
// from the schema files, and down scripts undoing their migrations. Its
// findings carry Atlas's codes or dbgen's DG1xx codes (see Finding). An
// edited or deleted migration that VerifyOptions.Shipped says was never
// shipped is fixed with dbgen migrate hash, not restored. Uncovered is the
// drift part alone, for generate.
package migrate
