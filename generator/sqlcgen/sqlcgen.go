package sqlcgen

import (
	"context"
	"fmt"
)

// The engines a Job may compile its queries with.
const (
	EngineSQLite     = "sqlite"
	EnginePostgreSQL = "postgresql"
)

// Job is the sqlc input of one database on one engine.
type Job struct {
	// Package is the Go package name; it is also the database name.
	Package string
	// Engine is sqlc's engine: EngineSQLite ("" too) or EnginePostgreSQL.
	// A database may have one job per engine.
	Engine string
	// Schema is the database's DDL, already validated by SQLite.
	Schema string
	// SchemaPieces, when set, are the schema one statement each, with
	// where each comes from; Schema is then unused. A PostgreSQL schema
	// comes so: dbgen's SQLite splitter does not read its dollar quotes.
	SchemaPieces []SchemaPiece
	// Queries are the files of sqlc-annotated queries, in order: dbgen's own
	// CRUD file first, then the module's queries files.
	Queries []QueryFile
	Options Options
}

// SchemaPiece is one statement of a schema and its place in the user's
// files.
type SchemaPiece struct {
	SQL  string
	Path string // the user's file, "" when none
	Line int    // of the statement's first line there
	// Derived is set when dbgen wrote SQL from the statement at Path:Line
	// (the PostgreSQL derived from a SQLite statement): its lines are not
	// the file's, and a problem in it is dbgen's.
	Derived bool
}

// Key names a job's Output: its package, and its engine when that is not
// SQLite.
func (j Job) Key() string {
	if j.Engine == "" || j.Engine == EngineSQLite {
		return j.Package
	}
	return j.Package + "@" + j.Engine
}

func (j Job) engine() string {
	if j.Engine == "" {
		return EngineSQLite
	}
	return j.Engine
}

// QueryFile is one file of sqlc-annotated queries.
type QueryFile struct {
	// Path names the file in messages, e.g. "accounts/queries.sql". Its base
	// name also names sqlc's Go file for it: "queries.sql" gives
	// "queries.sql.go" (see outputName).
	Path string
	SQL  []byte
}

// Options are the code generation settings of a Job.
type Options struct {
	// Rename maps table and column names to the Go names sqlc uses for them
	// (sqlc's `rename`). Tables are named exactly as in the schema
	// (emit_exact_table_names) unless renamed here.
	Rename map[string]string
	// Overrides replace the Go type of columns (sqlc's `overrides`).
	Overrides []Override
	// PointersForNull makes nullable columns *T instead of sql.Null*
	// (sqlc's emit_pointers_for_null_types).
	PointersForNull bool
	// Initialisms are the name parts written in capitals, e.g. "id", "url".
	// Empty keeps sqlc's default, which is "id" alone.
	Initialisms []string
}

// Override replaces the Go type sqlc picks for some columns. Exactly one of
// DBType and Column is set.
type Override struct {
	// DBType selects the columns of a declared type, e.g. "uuid". sqlc
	// compares it with the declared type as written, without spaces, so
	// dbgen also tries it in lower and upper case.
	DBType string
	// Column selects one column, as "table.column".
	Column string
	// GoType is the Go type, as "time.Time", "string" or
	// "github.com/google/uuid.UUID"; a leading "*" makes it a pointer.
	GoType string
	// Nullable makes a DBType override apply to the nullable columns of the
	// type instead of the NOT NULL ones (sqlc's rule: the two need separate
	// overrides). A Column override applies whatever the nullability.
	Nullable bool
}

// Output is what sqlc made of one job.
type Output struct {
	// Files are the Go files it wrote, by name: db.go, models.go and one
	// "<name>.sql.go" per queries file.
	Files map[string][]byte
	// Queries is what sqlc knows of each query, by name.
	Queries map[string]*QueryInfo
}

// QueryInfo is sqlc's analysis of one query.
type QueryInfo struct {
	Name, Cmd string
	Params    []Param // in order of their number
}

// Param is one parameter of a query: the column it is compared with or
// written to, when there is one.
type Param struct {
	Number        int
	Table, Column string // both "" when the parameter meets no column
	Slice         bool   // sqlc.slice: it expands to several arguments
}

// Generate runs sqlc once for all jobs and returns what it made of each, by
// Key. Problems in the SQL come back as an *Error whose diagnostics
// name the user's files and lines.
func Generate(ctx context.Context, jobs []Job) (map[string]*Output, error) {
	return generate(ctx, jobs, true)
}

// GenerateWhole is sqlc as its own CLI runs: each queries file read whole,
// Go code only, without dbgen's splitting and without the JSON of the code
// generation request. It is the baseline dbgen's benchmarks measure
// themselves against; its Outputs have no Queries.
func GenerateWhole(ctx context.Context, jobs []Job) (map[string]*Output, error) {
	return generate(ctx, jobs, false)
}

// generate is Generate, with the splitting of queries files optional for the
// tests that compare the two.
func generate(ctx context.Context, jobs []Job, split bool) (map[string]*Output, error) {
	if len(jobs) == 0 {
		return map[string]*Output{}, nil
	}
	plan, err := newPlan(jobs, split)
	if err != nil {
		return nil, err
	}
	ws, err := newWorkspace(plan)
	if err != nil {
		return nil, fmt.Errorf("sqlc: %w", err)
	}
	defer ws.remove()

	res, err := runSqlc(ctx, ws.dir, ws.configPath())
	if err != nil {
		return nil, fmt.Errorf("sqlc: %w", err)
	}
	if res.failed() {
		return nil, ws.failure(res)
	}
	return ws.collect()
}
