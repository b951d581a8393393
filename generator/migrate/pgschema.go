package migrate

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/dbgen-dev/dbgen/generator/diag"
	"github.com/dbgen-dev/dbgen/generator/discover"
	"github.com/dbgen-dev/dbgen/generator/load"
	"github.com/dbgen-dev/dbgen/generator/postgres"
)

// PostgresDir is the folder of a database's PostgreSQL migrations inside
// its migrations folder: gen/<db>/migrations/postgres, laid out as the
// SQLite folder is (atlas.sum, down/ and its atlas.sum), the same versions
// and names on both sides.
const PostgresDir = "postgres"

// PostgresSchema is a database's schema on PostgreSQL, derived from its
// schema files (generator/postgres), each statement with where it comes
// from.
type PostgresSchema struct {
	Database   string
	Statements []PostgresStatement
}

// PostgresStatement is one statement of a derived schema.
type PostgresStatement struct {
	Kind, Name string // "table", "index", "view", "function", ...; "" for another statement
	SQL        string
	File       string // the schema file (or override file) it comes from; "" when dbgen adds it
	Line       int
}

// DerivePostgres derives the PostgreSQL schema of db, the statements of
// its override files (discover.Database.PostgresSchemas) in place of what
// they give. What cannot be carried over is an error at its file and line.
func DerivePostgres(db *load.Database, overrideFiles []*discover.File) (*PostgresSchema, error) {
	var (
		overrides []postgres.Override
		problems  diag.List
	)
	for _, f := range overrideFiles {
		o, p := postgres.ReadOverrides(f)
		overrides = append(overrides, o...)
		problems = append(problems, p...)
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	return derivePG(db, overrides)
}

// derivePG is DerivePostgres with the override files read.
func derivePG(db *load.Database, overrides []postgres.Override) (*PostgresSchema, error) {
	s, problems := postgres.Derive(db, overrides)
	if err := problems.Err(); err != nil {
		return nil, err
	}
	out := &PostgresSchema{Database: db.Name}
	for _, st := range s.Statements {
		ps := PostgresStatement{Kind: st.Kind, Name: st.Name, SQL: st.SQL}
		switch {
		case st.Override != nil:
			ps.File, ps.Line = st.Override.Path, st.Override.Line
		case st.Source != nil:
			ps.File, ps.Line = st.Source.File.Path, st.Source.Line
		}
		out.Statements = append(out.Statements, ps)
	}
	return out, nil
}

// DDL is the schema as one script.
func (s *PostgresSchema) DDL() string {
	var b strings.Builder
	for _, st := range s.Statements {
		b.WriteString(st.SQL)
		b.WriteString(";\n\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// build creates the schema in sp, statement by statement: a statement
// that fails there is an error at the file and line it comes from.
func (s *PostgresSchema) build(ctx context.Context, sp *pgSpace) error {
	for _, st := range s.Statements {
		err := sp.run(ctx, st.File, []pgStmt{{text: st.SQL, line: st.Line}})
		var se *stmtError
		if !errors.As(err, &se) {
			if err != nil {
				return err
			}
			continue
		}
		msg := fmt.Sprintf("the PostgreSQL schema of database %s does not build on the dev database: %v\n%s", s.Database, se.err, st.SQL)
		switch {
		case st.File == "":
			return errors.New(msg)
		case !strings.HasSuffix(st.File, discover.PostgresSuffix):
			// Derived by dbgen from a SQLite statement.
			return fmt.Errorf("%s:%d: %s\n(dbgen derived it from the statement here; give its PostgreSQL text in %s)",
				st.File, st.Line, msg, discover.PostgresPath(st.File))
		}
		return fmt.Errorf("%s:%d: %s", st.File, se.line, msg)
	}
	return nil
}

// objectSQL is the statement of s that creates object o, "" when none.
func (s *PostgresSchema) objectSQL(o pgObject) string {
	name, _, _ := strings.Cut(o.name, "(")
	kind := o.kind
	if kind == "materialized view" {
		kind = "view"
	}
	for _, st := range s.Statements {
		if st.Kind == kind && strings.EqualFold(st.Name, name) {
			return st.SQL
		}
	}
	return ""
}

// state builds s in a new scratch schema and returns the state.
func (s *PostgresSchema) state(ctx context.Context, dev *PostgresDev) (*pgSpace, *pgState, error) {
	sp, err := dev.space(ctx)
	if err != nil {
		return nil, nil, err
	}
	if err := s.build(ctx, sp); err != nil {
		return nil, nil, err
	}
	if odd, err := sp.unsupported(ctx); err != nil {
		return nil, nil, err
	} else if len(odd) > 0 {
		return nil, nil, fmt.Errorf("the PostgreSQL schema of database %s has %s, which dbgen does not plan migrations of "+
			"(tables, indexes, views, functions, triggers and extensions): create it in a migration of its own, written by hand",
			s.Database, strings.Join(odd, ", "))
	}
	st, err := sp.inspect(ctx, s.Database)
	if err != nil {
		return nil, nil, err
	}
	for i, o := range st.objects {
		if text := s.objectSQL(o); text != "" {
			st.objects[i].sql = text
		}
	}
	return sp, st, nil
}
