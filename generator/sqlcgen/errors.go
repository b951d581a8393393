package sqlcgen

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/dbgen-dev/dbgen/generator/diag"
	"github.com/dbgen-dev/dbgen/internal/sqllex"
)

// Diagnostic is one problem sqlc found, at a place in the user's files.
// Path is empty for a problem sqlc gives no file for; Msg then names the
// database.
type Diagnostic = diag.Diagnostic

// Error is the failure of a run in which sqlc found problems in the SQL.
// It unwraps to a diag.List, as the other stages' input errors do.
type Error struct {
	Diagnostics []Diagnostic
	// PostgreSQL is set when the problems are all those of jobs on the
	// PostgreSQL engine. When the SQLite jobs have problems too, only
	// theirs are reported: they are the ones to fix first.
	PostgreSQL bool
}

func (e *Error) Error() string {
	lines := make([]string, len(e.Diagnostics))
	for i, d := range e.Diagnostics {
		if d.Path == "" {
			lines[i] = d.Msg
		} else {
			lines[i] = d.String()
		}
	}
	return strings.Join(lines, "\n")
}

func (e *Error) Unwrap() error { return diag.List(e.Diagnostics) }

var (
	// located is sqlc's "file:line:col: message", file relative to sqlc.json.
	located = regexp.MustCompile(`^(.+?):(\d+):(\d+): (.*)$`)
	// parserLine is what ANTLR's console listener, which sqlc leaves on its
	// SQLite parser, prints for a syntax error: the only place its line and
	// column appear, as sqlc reports every syntax error at 1:1 of the file.
	parserLine = regexp.MustCompile(`^line (\d+):(\d+) (.*)$`)
)

// failure turns what a failed run printed into an error: an *Error when
// sqlc reported problems in the SQL, a plain error when it crashed or
// failed for a reason that is dbgen's, with the workspace's paths removed.
func (ws *workspace) failure(res *result) error {
	clean := ws.cleaner()
	if res.exitCode != 1 {
		return fmt.Errorf("sqlc crashed (exit code %d), which is a bug in sqlc or dbgen:\n%s",
			res.exitCode, firstLines(strings.TrimSpace(clean.Replace(string(res.stderr))), 40))
	}
	var (
		reports []report
		parser  []parserError
		pkg     string
		other   []Diagnostic
	)
	for _, line := range strings.Split(string(res.stderr), "\n") {
		if m := parserLine.FindStringSubmatch(line); m != nil {
			l, _ := strconv.Atoi(m[1])
			c, _ := strconv.Atoi(m[2])
			parser = append(parser, parserError{l, c + 1, m[3]})
			continue
		}
		if name, ok := strings.CutPrefix(line, "# package "); ok {
			pkg = name
			continue
		}
		if m := located.FindStringSubmatch(line); m != nil {
			if src, ok := ws.sources[filepath.ToSlash(m[1])]; ok {
				l, _ := strconv.Atoi(m[2])
				c, _ := strconv.Atoi(m[3])
				reports = append(reports, report{src, l, c, m[4]})
				continue
			}
		}
		switch {
		case line == "":
		case pkg == "":
			other = append(other, Diagnostic{Msg: "sqlc: " + clean.Replace(line)})
		default:
			other = append(other, Diagnostic{Msg: fmt.Sprintf("database %s: %s", pkg, clean.Replace(line))})
		}
	}
	if len(reports) == 0 && (pkg == "" || len(other) == 0) {
		// Nothing about a package: sqlc did not get to the SQL.
		out := strings.TrimSpace(string(res.stderr) + "\n" + string(res.stdout))
		return fmt.Errorf("sqlc failed:\n%s", firstLines(clean.Replace(out), 40))
	}
	// sqlc reports a query's problem once per code generator it runs, Go
	// and the JSON of its request: the same report twice.
	reports = unique(reports)
	var lite, pg []report
	for _, r := range reports {
		if ws.plan.jobs[r.src.job].engine() == EngineSQLite {
			lite = append(lite, r)
		} else {
			pg = append(pg, r)
		}
	}
	postgres := len(lite) == 0 && len(pg) > 0
	if len(lite) > 0 {
		reports = lite
	}
	for i := range reports {
		if postgres {
			r := &reports[i]
			r.line, r.col = postgresSyntaxPosition(ws.text(r.src), r.line, r.col, r.msg)
		}
	}
	ws.placeSyntaxErrors(reports, parser)
	diags := other
	for _, r := range reports {
		d := ws.diagnostic(r)
		d.Msg = clean.Replace(d.Msg)
		diags = append(diags, d)
	}
	l := diag.List(diags)
	l.Sort()
	l = unique(l)
	return &Error{Diagnostics: l, PostgreSQL: postgres}
}

// unique keeps the first of equal items, in order.
func unique[T comparable](items []T) []T {
	seen := map[T]bool{}
	out := items[:0]
	for _, it := range items {
		if !seen[it] {
			seen[it] = true
			out = append(out, it)
		}
	}
	return out
}

// report is one "file:line:col: message" of sqlc's, on a workspace file.
type report struct {
	src       source
	line, col int
	msg       string
}

// parserError is one syntax error as ANTLR printed it.
type parserError struct {
	line, col int
	msg       string
}

// placeSyntaxErrors gives sqlc's syntax errors their place. sqlc reports
// every one at 1:1 of its file, with the message of the last error ANTLR
// found there; ANTLR printed each with its line and column but no file.
// Since a piece keeps its lines, a printed error belongs to the piece that
// failed and spans its line, when only one such piece does; the piece's
// first such error is the one to report (the later ones follow from it).
func (ws *workspace) placeSyntaxErrors(reports []report, printed []parserError) {
	isSyntax := map[string]bool{}
	for _, p := range printed {
		isSyntax[p.msg] = true
	}
	var failed []int // indexes in reports
	for i, r := range reports {
		if r.line == 1 && r.col == 1 && isSyntax[r.msg] {
			failed = append(failed, i)
		}
	}
	for _, i := range failed {
		first, last := ws.lineRange(reports[i].src)
		var own []parserError
		for _, p := range printed {
			if p.line < first || p.line > last {
				continue
			}
			shared := false
			for _, j := range failed {
				if f, l := ws.lineRange(reports[j].src); j != i && p.line >= f && p.line <= l {
					shared = true
				}
			}
			if !shared {
				own = append(own, p)
			}
		}
		r := &reports[i]
		if len(own) > 0 {
			r.line, r.col, r.msg = own[0].line, own[0].col, own[0].msg
		} else {
			r.line, r.col = ws.statementStart(r.src)
		}
		r.msg = syntaxMessage(r.msg)
	}
}

// diagnostic maps a report to the user's file. Pieces of queries files keep
// the original lines and columns; the schema has no file of its own (it is
// the DDL of several), so its line is quoted instead.
func (ws *workspace) diagnostic(r report) Diagnostic {
	if r.line == 1 && r.col == 1 {
		// sqlc's place for an error it has no position for: the start of
		// the file, which for a piece is the start of its statement.
		r.line, r.col = ws.statementStart(r.src)
	}
	j := &ws.plan.jobs[r.src.job]
	if r.src.file < 0 && j.SchemaPieces != nil {
		if p := j.SchemaPieces[r.src.piece]; p.Path != "" {
			return pieceDiagnostic(p, r, ws.schemaLine(r.src, r.line))
		}
	}
	if r.src.file < 0 {
		return Diagnostic{Msg: fmt.Sprintf("database %s: sqlc cannot read the schema: %s, at %q",
			r.src.pkg, r.msg, ws.schemaLine(r.src, r.line))}
	}
	if j.engine() != EngineSQLite {
		return Diagnostic{Path: r.src.path, Line: r.line, Col: r.col, Msg: r.msg}
	}
	return Diagnostic{Path: r.src.path, Line: r.line, Col: r.col, Msg: sqliteWording(r.msg)}
}

// postgresNear is PostgreSQL's syntax error, with the token it failed at.
var postgresNear = regexp.MustCompile(`^syntax error at or near "(.*)"$`)

// postgresSyntaxPosition puts a syntax error of sqlc's PostgreSQL engine
// back on its token. sqlc takes the parser's cursor, which counts from 1,
// for an offset counting from 0, and then moves past white space: it
// reports the character after the token's first one, or the next token.
func postgresSyntaxPosition(text []byte, line, col int, msg string) (int, int) {
	m := postgresNear.FindStringSubmatch(msg)
	if m == nil || m[1] == "" {
		return line, col
	}
	off := offsetOf(text, line, col)
	if off < 0 {
		return line, col
	}
	end := min(len(text), off-1+len(m[1]))
	if end < 0 {
		return line, col
	}
	i := bytes.LastIndex(text[:end], []byte(m[1]))
	if i < 0 {
		return line, col
	}
	return sqllex.Position(text, i)
}

// offsetOf is the byte offset of a line and column (in characters, from
// 1) of text; -1 when text has no such place.
func offsetOf(text []byte, line, col int) int {
	l, c := 1, 1
	for i, r := range string(text) {
		if l == line && c == col {
			return i
		}
		if r == '\n' {
			l, c = l+1, 1
			continue
		}
		c++
	}
	return -1
}

// pieceDiagnostic places a problem in a schema piece at its place in the
// user's file: at its line there for a statement the user wrote, at the
// statement it was derived from for one dbgen wrote.
func pieceDiagnostic(p SchemaPiece, r report, text string) Diagnostic {
	if p.Derived {
		override := strings.TrimSuffix(p.Path, ".sql") + ".postgres.sql"
		return Diagnostic{Path: p.Path, Line: p.Line, Msg: fmt.Sprintf(
			"the PostgreSQL statement dbgen derived from this one does not parse (%s, at %q); this is a bug of dbgen: give the statement's PostgreSQL text in %s meanwhile",
			r.msg, text, override)}
	}
	d := Diagnostic{Path: p.Path, Line: p.Line + r.line - 1, Msg: r.msg}
	if r.line > 1 || r.col > 1 {
		d.Col = r.col
	}
	return d
}

// sqlcWordings are the messages of sqlc's catalog, which come from its
// PostgreSQL engine, with what SQLite says for the same mistake: a SQLite
// user searches for SQLite's words.
var sqlcWordings = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`^relation "(.*)" does not exist$`), "no such table: $1"},
	{regexp.MustCompile(`^table alias "(.*)" does not exist$`), "no such table: $1"},
	{regexp.MustCompile(`^column "(.*)" does not exist$`), "no such column: $1"},
	{regexp.MustCompile(`^column reference "(.*)" is ambiguous$`), "ambiguous column name: $1"},
	{regexp.MustCompile(`^function (.*) does not exist$`), "no such function: $1"},
	// sqlc writes * out as the table's columns, then parses its own text,
	// whose non-ASCII name it cuts (see ReadQueries).
	{regexp.MustCompile(`^edited query syntax is invalid: (?:mismatched|extraneous) input '([^\x00-\x7f][^']*)'.*$`),
		"sqlc writes * out as the table's column names and cannot read back a name that is not ASCII (near '$1'); " +
			"list the columns the query needs instead of *, or rename the column to ASCII"},
}

func sqliteWording(msg string) string {
	for _, w := range sqlcWordings {
		if w.re.MatchString(msg) {
			return w.re.ReplaceAllString(msg, w.with)
		}
	}
	return msg
}

// text is the content sqlc read for a workspace file.
func (ws *workspace) text(src source) []byte {
	j := ws.plan.jobs[src.job]
	if src.file < 0 {
		return j.schema[src.piece]
	}
	return j.files[src.file].pieces[src.piece]
}

// lineRange is the first and last line of a file's text, padding aside.
func (ws *workspace) lineRange(src source) (int, int) {
	text := ws.text(src)
	trimmed := bytes.TrimLeft(text, " \t\r\n")
	first := 1 + bytes.Count(text[:len(text)-len(trimmed)], []byte("\n"))
	return first, 1 + bytes.Count(text, []byte("\n"))
}

// statementStart is the line and column of the first token of a file:
// past whitespace and comments, where sqlc places a statement.
func (ws *workspace) statementStart(src source) (int, int) {
	text := ws.text(src)
	if i := firstToken(text); i >= 0 {
		return sqllex.Position(text, i)
	}
	return 1, 1
}

func (ws *workspace) schemaLine(src source, line int) string {
	schema := ws.plan.jobs[src.job].Schema
	if ws.plan.jobs[src.job].SchemaPieces != nil {
		schema = string(ws.text(src))
	}
	lines := strings.Split(schema, "\n")
	if line < 1 || line > len(lines) {
		return ""
	}
	return strings.TrimSpace(lines[line-1])
}

// antlrExpecting is an ANTLR message with the set of tokens it expected.
var antlrExpecting = regexp.MustCompile(`^((?:mismatched|extraneous) input '.*') expecting \{.*\}$`)

// syntaxMessage shortens ANTLR's syntax errors: the set of expected tokens
// names grammar rules, not SQL, and is often the whole statement list.
func syntaxMessage(msg string) string {
	if m := antlrExpecting.FindStringSubmatch(msg); m != nil {
		msg = m[1]
	}
	return "syntax error: " + msg
}

// cleaner rewrites the workspace's paths in sqlc's messages into the user's.
func (ws *workspace) cleaner() *strings.Replacer {
	var pairs []string
	for name, src := range ws.sources {
		user := src.path
		if src.file < 0 {
			user = "the schema of " + src.pkg
			if j := ws.plan.jobs[src.job]; j.engine() != EngineSQLite {
				user = "the PostgreSQL schema of " + src.pkg
			}
		}
		pairs = append(pairs, filepath.Join(ws.dir, filepath.FromSlash(name)), user)
		pairs = append(pairs, filepath.FromSlash(name), user)
	}
	pairs = append(pairs, ws.configPath(), configName, ws.dir+string(filepath.Separator), "", ws.dir, ".")
	return strings.NewReplacer(pairs...)
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines[n] = "..."
	}
	return strings.Join(lines, "\n")
}
