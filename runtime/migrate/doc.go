// Package migrate applies the migrations that dbgen plans to a SQLite
// database, verifies them, reverts them with their down scripts and records
// what it did. Applications link it through the runtime package; it depends
// on database/sql, io/fs and crypto only, never on the generator or Atlas.
//
// # Directory layout
//
// A migrations directory, as dbgen writes it and a generated package embeds
// it (pass the directory itself, e.g. fs.Sub(embedded, "migrations")):
//
//	atlas.sum                          integrity sum of the up migrations
//	20250102150405_add_users.sql       up migration: <UTC version>_<name>.sql
//	down/atlas.sum                     integrity sum of the down scripts
//	down/20250102150405_add_users.sql  its down script, same file name
//
// The top level is an ordinary Atlas migration directory: Atlas reads only
// the *.sql files there and hashes them into atlas.sum. The down scripts live
// in down/ so that Atlas never takes one for a migration; down/ carries its
// own atlas.sum in the same format, so an edited down script is caught too.
//
// # Applying
//
// Every operation verifies both atlas.sum files first. Each file then runs in
// its own BEGIN IMMEDIATE transaction, one statement at a time, on a
// connection whose foreign_keys pragma is off: SQLite's table rebuild drops
// the old table, and with foreign keys on that DROP would run ON DELETE
// CASCADE and silently delete the child rows. PRAGMA foreign_key_check runs
// before each commit instead, and a violation rolls the file back. The
// pragma is restored when the call returns, failed or not.
//
// Applied files are recorded in the dbgen_revisions table with their
// checksum; a recorded checksum that no longer matches its file is refused.
// The revisions are read only after the write lock is taken, so processes
// that open a new database at the same time apply each migration once. A
// process waits for another's write transaction, such as its migration, for
// as long as its context allows, however short its busy_timeout.
//
// # Schemas
//
// Describe reads a database's schema from SQLite's pragmas, and Compare says
// how two differ, structurally: the order of columns, the spelling and
// quoting of SQL and the names SQLite gives constraint indexes do not count.
// Adopt uses it for a database made before its migrations were (a package
// without migrations has Open create the schema from its DDL): it replays
// the migrations in a scratch database and stamps the database at the one
// whose schema it has, as Baseline does, or says which is closest. The
// runtime uses it too, to check at Open that the migrations reached the
// package's schema.
//
// # PostgreSQL
//
// Given a pool of pgx's database/sql driver, every function works on the
// current schema of its connections (the first of their search_path that
// exists): migrations are PostgreSQL's SQL, split by SplitPostgres, each
// file in one transaction, which covers DDL too, so a process killed during
// a file leaves the schema at its last recorded revision. Processes take
// turns on the schema's advisory lock (LockKey) instead of SQLite's write
// lock. Adopt does not replay PostgreSQL's migrations: a schema with tables
// and no history is stamped with Baseline.
//
// Every error wraps ErrMigration and names the file, and for a failing
// statement its line and text.
package migrate
