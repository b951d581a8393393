// Package sqlcgen turns a database's schema and sqlc-annotated queries into
// sqlc's typed Go code, running the sqlc linked into dbgen: no sqlc binary is
// needed on the user's machine.
//
// One call to Generate runs one sqlc invocation for every database, so that
// sqlc compiles the databases concurrently. Its input and output live in a
// scratch folder that is removed before Generate returns; every message is
// mapped back to the user's files and lines.
//
// # A child process
//
// sqlc is started in a child process running the current executable, which
// this package's init turns into sqlc (see child.go). Calling
// github.com/sqlc-dev/sqlc/pkg/cli.Run in dbgen's own process is not safe:
// at v1.31.1 every sqlc command ends with os.Exit(1) when the SQL has an
// error, which would end dbgen before it could report the error, and sqlc
// parses in goroutines of its own, where a panic cannot be recovered. The
// child costs about 10 ms, and it keeps dbgen's stdout and stderr untouched
// without swapping the process-wide os.Stdout and os.Stderr.
//
// # Speed
//
// sqlc's SQLite parser (ANTLR) is most of the time of a run, and it is much
// slower on a file of many statements than on the same statements one per
// file: its full-context predictions look ahead across the statements that
// follow. So the schema and each queries file are split into one file per
// statement or query before sqlc sees them, padded so that lines and columns
// stay those of the original, and sqlc's Go files for the pieces are merged
// back into the file sqlc writes for the whole (see split.go and merge.go);
// a run takes about half the time. Writing queries with explicit column
// lists instead of * also saves sqlc a second parse of each query it
// rewrites.
package sqlcgen
