// Package load is the second stage of the pipeline: it runs each database's
// schema files in an in-memory SQLite, which is the parser and the judge, maps
// its errors back to file and line, validates what SQLite alone cannot see
// (duplicates across files, foreign keys into other databases) and inspects
// the result with Atlas into table metadata.
package load

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/ncruces/go-sqlite3"
	"github.com/ncruces/go-sqlite3/ext/fts5"

	"github.com/dbgen-dev/dbgen/generator/diag"
	"github.com/dbgen-dev/dbgen/generator/discover"
	"github.com/dbgen-dev/dbgen/generator/sqltext"
	"github.com/dbgen-dev/dbgen/internal/sqliteconn"
	"github.com/dbgen-dev/dbgen/internal/sqllex"
	dbrt "github.com/dbgen-dev/dbgen/runtime"
)

// Database is one database, loaded and inspected.
type Database struct {
	Name       string
	Statements []*Statement // in the order they were executed
	Tables     []dbrt.Table // tables and views in statement order; Go names are codegen's
	Queries    []*discover.File
}

// DDL returns the database's schema as one SQL text, statement order kept.
func (d *Database) DDL() string {
	var b strings.Builder
	for _, s := range d.Statements {
		b.WriteString(s.Text)
		b.WriteString(";\n\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// Statement returns the CREATE statement of the named object, or nil.
func (d *Database) Statement(name string) *Statement {
	for _, s := range d.Statements {
		if strings.EqualFold(s.Create.Name, name) {
			return s
		}
	}
	return nil
}

// QuotedNames returns the names the schema writes quoted somewhere
// ("Email", [Order]): sqlc keeps their case, and folds bare ones.
func (d *Database) QuotedNames() map[string]bool {
	quoted := map[string]bool{}
	for _, s := range d.Statements {
		for _, t := range s.Tokens {
			if t.Kind == sqltext.Quoted {
				quoted[sqltext.Name(t)] = true
			}
		}
	}
	return quoted
}

// Statement is one CREATE statement and where it came from.
type Statement struct {
	File *discover.File
	sqltext.Statement
	Create *sqltext.Create
	Line   int
}

func (s *Statement) where() string { return fmt.Sprintf("%s:%d", s.File.Path, s.Line) }

// Run loads every database of the project, in parallel. All problems found
// are returned together as a diag.List.
func Run(ctx context.Context, p *discover.Project) ([]*Database, error) {
	out := make([]*Database, len(p.Databases))
	errs := make([]error, len(p.Databases))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, db := range p.Databases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i], errs[i] = loadDatabase(ctx, db)
		}()
	}
	wg.Wait()
	var problems diag.List
	for _, err := range errs {
		var l diag.List
		switch {
		case errors.As(err, &l):
			problems = append(problems, l...)
		case err != nil:
			return nil, err
		}
	}
	if len(problems) == 0 {
		problems = checkForeignKeys(out)
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// loadDatabase executes the database's statements in a private in-memory
// SQLite and inspects the result.
func loadDatabase(ctx context.Context, db *discover.Database) (*Database, error) {
	stmts, problems := parseFiles(db)
	if len(problems) == 0 {
		problems = checkViewDepth(stmts)
	}
	if len(problems) > 0 {
		return nil, problems
	}
	if len(stmts) == 0 && len(db.Queries) == 0 {
		// Nothing to generate: most likely a file still to be written, or
		// statements commented out by mistake.
		for _, f := range db.Schemas {
			problems = append(problems, diag.Errorf(f.Path, 0, "database %s has no CREATE statement and no queries; declare at least one table, or delete the file", db.Name))
		}
		return nil, problems
	}
	conn, closeConn, err := openMemory(ctx)
	if err != nil {
		return nil, err
	}
	defer closeConn()
	out := &Database{Name: db.Name, Queries: db.Queries}
	var err2 error
	out.Statements, out.Tables, problems, err2 = execute(ctx, conn, stmts)
	if err2 != nil {
		return nil, fmt.Errorf("inspect database %s: %w", db.Name, err2)
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return out, nil
}

// openMemory opens a private in-memory database on a single pinned
// connection (":memory:" is per connection, so a pool would lose it), with
// the FTS5 extension, so that full-text virtual tables validate.
func openMemory(ctx context.Context) (*sql.Conn, func(), error) {
	pool, err := sqliteconn.Open("file::memory:?_pragma=foreign_keys(1)", fts5.Register)
	if err != nil {
		return nil, nil, err
	}
	pool.SetMaxOpenConns(1)
	conn, err := pool.Conn(ctx)
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	return conn, func() { conn.Close(); pool.Close() }, nil
}

// parseFiles splits every schema file into statements, accepts only CREATE
// statements and catches duplicate names before SQLite sees them, so that the
// error can name both places.
func parseFiles(db *discover.Database) ([]*Statement, diag.List) {
	var stmts []*Statement
	var problems diag.List
	defined := map[string]*Statement{}
	for _, f := range db.Schemas {
		split, err := sqltext.Split(string(f.Data))
		if err != nil {
			problems = append(problems, lexError(f, err))
			continue
		}
		lines := sqllex.NewLines(f.Data)
		for _, s := range split {
			line, _ := lines.Position(s.Offset)
			st := &Statement{File: f, Statement: s, Line: line}
			if len(s.Text) > sqliteconn.SQLLength {
				problems = append(problems, diag.Errorf(f.Path, line, "%s", TooLong("statement", len(s.Text))))
				continue
			}
			c, err := sqltext.ParseCreate(s)
			if err != nil {
				problems = append(problems, diag.Errorf(f.Path, line, "%s", notDDLMessage(err)))
				continue
			}
			st.Create = c
			nameLine, nameCol := lines.Position(c.NameToken.Offset)
			switch {
			case c.Temp:
				problems = append(problems, diag.Errorf(f.Path, line, "CREATE TEMP %s makes an object that vanishes when the connection closes; remove TEMP", strings.ToUpper(string(c.Kind))))
				continue
			case c.Schema != "" && !strings.EqualFold(c.Schema, "main"):
				problems = append(problems, diag.Errorf(f.Path, line, "%s %s is qualified with schema %q; each database is its own file, so drop the qualifier and set -- DATABASE_NAME: instead", c.Kind, c.Name, c.Schema))
				continue
			case strings.HasPrefix(strings.ToLower(c.Name), "sqlite_"):
				problems = append(problems, diag.Diagnostic{Path: f.Path, Line: nameLine, Col: nameCol,
					Msg: fmt.Sprintf("%s name %q starts with sqlite_, which SQLite reserves for itself; rename it", c.Kind, c.Name)})
				continue
			}
			key := namespace(c.Kind) + strings.ToLower(c.Name)
			if first, dup := defined[key]; dup {
				problems = append(problems, diag.Diagnostic{Path: f.Path, Line: nameLine, Col: nameCol,
					Msg: fmt.Sprintf("%s %s is already defined at %s (database %s); remove one of the two definitions", c.Kind, c.Name, first.where(), db.Name)})
				continue
			}
			defined[key] = st
			stmts = append(stmts, st)
		}
	}
	return stmts, problems
}

// lexError reports a string, identifier or comment left open, where it opens.
func lexError(f *discover.File, err error) diag.Diagnostic {
	var se *sqllex.SyntaxError
	if errors.As(err, &se) {
		return diag.Diagnostic{Path: f.Path, Line: se.Line, Col: se.Col, Msg: se.Msg + "; close it"}
	}
	return diag.Errorf(f.Path, 0, "%v", err)
}

// namespace: tables, views and indexes share SQLite's name space; triggers
// have their own.
func namespace(k sqltext.ObjectKind) string {
	if k == sqltext.Trigger {
		return "trigger:"
	}
	return "object:"
}

func notDDLMessage(err error) string {
	var nd *sqltext.NotDDLError
	if !errors.As(err, &nd) {
		return err.Error()
	}
	switch verb := strings.Fields(nd.Verb + " x")[0]; verb {
	case "DROP", "ALTER":
		return fmt.Sprintf("%s in a schema file: schema files declare the schema as it should be; edit the CREATE statement instead and let `dbgen migrate diff` plan the change", nd.Verb)
	case "INSERT", "UPDATE", "DELETE", "REPLACE":
		return fmt.Sprintf("%s in a schema file: schema files hold only CREATE TABLE, INDEX, VIEW and TRIGGER; put seed data in a migration or in the application", nd.Verb)
	default:
		return fmt.Sprintf("%s in a schema file: schema files hold only CREATE TABLE, INDEX, VIEW and TRIGGER statements and comments", nd.Verb)
	}
}

// execute runs the statements in SQLite and describes the tables and
// views they create, in statement order.
//
// Tables go first, so that files may refer to each other's tables in any
// order, and one at a time: each is created with its indexes, described and
// dropped again. SQLite reads its whole schema at every CREATE, to load the
// new object, so a schema kept small keeps loading linear in the number of
// tables. Views and triggers follow, created with the tables and views they
// name, and retried while they name an object a later statement creates.
//
// A statement SQLite crashes on ends it: the connection is gone, and the
// crash is returned as the error, a diag.List at the statement.
func execute(ctx context.Context, conn *sql.Conn, stmts []*Statement) ([]*Statement, []dbrt.Table, diag.List, error) {
	var tables, rest []*Statement
	indexes := map[string][]*Statement{} // lower-case table name -> its indexes
	for _, s := range stmts {
		switch s.Create.Kind {
		case sqltext.Table, sqltext.VirtualTable:
			if s.Create.AsSelect {
				// Its columns come from the tables it selects from: it is
				// made with them, as a view is.
				rest = append(rest, s)
				continue
			}
			tables = append(tables, s)
		case sqltext.Index:
			indexes[strings.ToLower(s.Create.On)] = append(indexes[strings.ToLower(s.Create.On)], s)
		default:
			rest = append(rest, s)
		}
	}
	// One transaction for all: each DDL statement on its own would also
	// begin and commit one.
	if _, err := conn.ExecContext(ctx, "BEGIN"); err == nil {
		defer conn.ExecContext(ctx, "ROLLBACK")
	}
	var done, doneIndexes []*Statement
	var described []dbrt.Table
	var problems diag.List
	byName := map[string]*Statement{}
	for _, s := range tables {
		if d, crash := execStatement(ctx, conn, s); crash != nil {
			return nil, nil, nil, crash
		} else if d != nil {
			problems = append(problems, d...)
			continue
		}
		byName[strings.ToLower(s.Create.Name)] = s
		ok := true
		for _, ix := range indexes[strings.ToLower(s.Create.Name)] {
			if d, crash := execStatement(ctx, conn, ix); crash != nil {
				return nil, nil, nil, crash
			} else if d != nil {
				problems = append(problems, d...)
				ok = false
				continue
			}
			doneIndexes = append(doneIndexes, ix)
		}
		delete(indexes, strings.ToLower(s.Create.Name))
		if !ok {
			continue
		}
		kind := TableObject
		if s.Create.Kind == sqltext.VirtualTable {
			kind = VirtualObject
		}
		t, err := Inspect(ctx, conn, []Object{{s.Create.Name, kind}})
		if err != nil {
			return nil, nil, nil, err
		}
		described = append(described, t...)
		done = append(done, s)
		if _, err := conn.ExecContext(ctx, "DROP TABLE "+quote(s.Create.Name)); err != nil {
			return nil, nil, nil, err
		}
	}
	// Indexes of a table no statement creates: SQLite says so.
	for _, ixs := range indexes {
		for _, ix := range ixs {
			d, crash := execStatement(ctx, conn, ix)
			if crash != nil {
				return nil, nil, nil, crash
			}
			problems = append(problems, d...)
		}
	}
	if len(problems) > 0 {
		return nil, nil, problems, nil
	}
	done = append(done, doneIndexes...)
	if len(rest) == 0 {
		return done, described, nil, nil
	}

	// The tables views and triggers name, back in SQLite with their indexes.
	needed := map[string]bool{}
	for _, s := range rest {
		for _, tok := range s.Tokens {
			if tok.Kind == sqltext.Word || tok.Kind == sqltext.Quoted || tok.Kind == sqltext.String {
				if t := byName[strings.ToLower(sqltext.Name(tok))]; t != nil && !needed[t.Create.Name] {
					needed[t.Create.Name] = true
					if d, crash := execStatement(ctx, conn, t); crash != nil || d != nil {
						return nil, nil, d, crash
					}
				}
			}
		}
	}
	for _, ix := range doneIndexes {
		if needed[byName[strings.ToLower(ix.Create.On)].Create.Name] {
			if d, crash := execStatement(ctx, conn, ix); crash != nil || d != nil {
				return nil, nil, d, crash
			}
		}
	}
	var views []Object
	for len(rest) > 0 {
		var retry []*Statement
		var failed diag.List
		for _, s := range rest {
			if d, crash := execStatement(ctx, conn, s); crash != nil {
				return nil, nil, nil, crash
			} else if d != nil {
				retry = append(retry, s)
				failed = append(failed, d...)
				continue
			}
			done = append(done, s)
			switch s.Create.Kind {
			case sqltext.View:
				views = append(views, Object{s.Create.Name, ViewObject})
			case sqltext.Table:
				t, err := Inspect(ctx, conn, []Object{{s.Create.Name, TableObject}})
				if err != nil {
					return nil, nil, nil, err
				}
				described = append(described, t...)
				byName[strings.ToLower(s.Create.Name)] = s
			}
		}
		if len(retry) == len(rest) {
			return nil, nil, failed, nil
		}
		rest = retry
	}
	v, err := inspectViews(ctx, conn, views, described)
	if err != nil {
		return nil, nil, nil, err
	}
	return done, append(described, v...), nil, nil
}

// execStatement runs s and returns SQLite's error at its place, or, when
// SQLite crashed on it, the crash as crash.
func execStatement(ctx context.Context, conn *sql.Conn, s *Statement) (_ diag.List, crash error) {
	_, err := conn.ExecContext(ctx, s.Text)
	if err == nil && s.Create.Kind == sqltext.View {
		// SQLite resolves a view's names only when it is read: read it
		// once, so that a wrong column is reported here, at its line.
		var rows *sql.Rows
		if rows, err = conn.QueryContext(ctx, "SELECT * FROM "+quote(s.Create.Name)+" LIMIT 0"); err == nil {
			rows.Close()
		} else {
			conn.ExecContext(ctx, "DROP VIEW "+quote(s.Create.Name))
		}
	}
	if err == nil {
		return nil, nil
	}
	if sqliteconn.IsCrash(err) {
		return nil, diag.List{diag.Errorf(s.File.Path, s.Line, "%s %s: %v", s.Create.Kind, s.Create.Name, err)}
	}
	var se *sqlite3.Error
	if !errors.As(err, &se) {
		return diag.List{diag.Errorf(s.File.Path, s.Line, "%v", err)}, nil
	}
	offset := s.Offset
	if tail := se.SQL(); tail != "" && len(tail) <= len(s.Text) {
		offset += len(s.Text) - len(tail)
	} else if tok, ok := offendingName(s, se.Error()); ok {
		offset = tok.Offset
	}
	if d, ok := runOn(s, offset, sqliteMessage(se)); ok {
		return diag.List{d}, nil
	}
	line, col := diag.Position(s.File.Data, offset)
	return diag.List{{Path: s.File.Path, Line: line, Col: col, Msg: sqliteMessage(se)}}, nil
}

func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// offendingName finds the token an SQLite message like "no such column: x"
// names, to point at it rather than at the start of the statement.
func offendingName(s *Statement, msg string) (sqltext.Token, bool) {
	for _, prefix := range []string{"no such column: ", "no such table: ", "unknown column ", "no such collation sequence: ", "no such function: ", "unknown datatype for "} {
		if i := strings.Index(msg, prefix); i >= 0 {
			name := strings.Trim(strings.Fields(msg[i+len(prefix):] + " ")[0], `"':`)
			if j := strings.LastIndexByte(name, '.'); j >= 0 {
				name = name[j+1:]
			}
			return sqltext.FindWord(s.Tokens, name, s.Offset)
		}
	}
	return sqltext.Token{}, false
}

// sqliteMessage is SQLite's own text without the driver's prefix, and with
// what dbgen's limits have to do with it.
func sqliteMessage(e *sqlite3.Error) string {
	msg := strings.TrimPrefix(e.Error(), "sqlite3: ")
	if i := strings.Index(msg, ": "); i >= 0 && strings.HasPrefix(msg, "SQL logic error") {
		msg = msg[i+2:]
	}
	return sqliteconn.Explain(msg)
}
