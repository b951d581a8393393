package sqlcgen

import (
	"bytes"
	"fmt"
	"go/token"
	"go/types"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dbgen-dev/dbgen/generator/diag"
	"github.com/dbgen-dev/dbgen/internal/sqllex"
)

// Query is one query of a queries file, as its `-- name:` line and the
// statement under it say. It is the one reading of queries files in dbgen:
// the code generator takes names, lines and statements from here.
type Query struct {
	Path string // the queries file
	Name string
	Cmd  string // ":one", ":many", ":exec", ...
	Line int    // of the name line
	// Doc is the comment lines between the name line and the statement,
	// without their "--", which sqlc also makes the method's comment.
	Doc []string
	// SQL is the statement as written, without its ';'.
	SQL string
	// StmtLine is the line of the statement's first token.
	StmtLine int
}

// ReadQueries reads the queries of a queries file and checks what sqlc
// would get wrong without a word, each at its line:
//
//   - a statement without a name line of its own (sqlc drops it, and with
//     it the second of two statements on one line);
//   - a name that is not an exported Go identifier, or whose constant in
//     sqlc's code (the name with a lower-case first letter) is a Go keyword,
//     a predeclared name or one of the packages sqlc's files import;
//   - a non-ASCII character outside a comment: sqlc v1.31.1 measures the
//     statement in characters and cuts it in bytes, so the query it writes
//     loses its end (comments are made ASCII in sqlc's copy instead).
func ReadQueries(path string, src []byte) ([]Query, diag.List) {
	text := scanSQL(src)
	var qs []Query
	var problems diag.List
	lines := sqllex.NewLines(src)
	at := func(offset int, format string, args ...any) {
		line, col := lines.Position(offset)
		problems = append(problems, diag.Diagnostic{Path: path, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
	}
	for _, st := range text.stmts {
		if st.name < 0 {
			at(st.first, "statement without a `-- name: Name :cmd` line: sqlc would drop it silently; give it a name line of its own (a query is one statement)")
			continue
		}
		n := text.names[st.name]
		q := Query{Path: path, Name: n.Name, Cmd: n.cmd, Line: n.Line, SQL: string(src[st.first:st.end])}
		q.StmtLine, _ = lines.Position(st.first)
		q.Doc = docLines(src[n.offset:st.first])
		if why := badQueryName(n.Name); why != "" {
			problems = append(problems, diag.Errorf(path, n.Line, "query name %s %s", n.Name, why))
		}
		qs = append(qs, q)
	}
	for _, n := range text.names {
		if n.used {
			continue
		}
		// A name line inside the statement before it: that statement's ';'
		// is missing, and it runs on into this query's text.
		msg := fmt.Sprintf("query %s has no statement after its name line; write the query, or remove the line", n.Name)
		for _, st := range text.stmts {
			if st.first < n.offset && n.offset < st.end {
				what := "the statement before it"
				if st.name >= 0 {
					what = "query " + text.names[st.name].Name
				}
				end, _ := lines.Position(st.first)
				msg = fmt.Sprintf("query %s has no statement of its own: %s (from line %d) runs on past this name line; is the \";\" missing at the end of %s?",
					n.Name, what, end, what)
				break
			}
		}
		problems = append(problems, diag.Errorf(path, n.Line, "%s", msg))
	}
	for line, start := 1, 0; start < len(src); line++ {
		end := bytes.IndexByte(src[start:], '\n')
		if end < 0 {
			end = len(src) - start
		}
		if end >= maxLine {
			problems = append(problems, diag.Errorf(path, line, "this line is %d bytes long: sqlc reads a queries file a line at a time and stops at %d; break the line", end, maxLine))
		}
		start += end + 1
	}
	for _, off := range text.nonASCII {
		r, _ := utf8.DecodeRune(src[off:])
		at(off, "%q is not ASCII: sqlc v1.31.1 counts the query in characters but cuts it in bytes, so the query it writes would lose its end; "+
			"pass the text as a parameter, or write it with char() (char(%d))", r, r)
	}
	for _, tok := range text.nonASCIINames {
		at(tok.Offset, "the name %s is not ASCII: sqlc v1.31.1 counts a query in characters but cuts it in bytes, so no module query can name it; "+
			"rename it to ASCII in the schema, or read it through a view that gives it an ASCII alias (the generated table API takes any name)", tok.Text)
	}
	return qs, problems
}

// maxLine is the longest line sqlc reads (bufio.Scanner's default limit).
const maxLine = 64 * 1024

// docLines are the "--" comment lines of text, the part of a query between
// its name line and its statement.
func docLines(text []byte) []string {
	lines := strings.Split(string(text), "\n")
	var doc []string
	for _, l := range lines[1:] { // the first is the name line
		l = strings.TrimSpace(l)
		if c, ok := strings.CutPrefix(l, "--"); ok {
			doc = append(doc, strings.TrimPrefix(c, " "))
		}
	}
	return doc
}

// importNames are the names sqlc's query files may import packages under;
// a query's constant must not take one.
var importNames = []string{"context", "sql", "json", "time", "strings", "fmt", "errors", "runtime", "dbrt", "pq", "uuid"}

// badQueryName says what is wrong with a query name, "" when nothing.
func badQueryName(name string) string {
	r, _ := utf8.DecodeRuneInString(name)
	switch {
	case !token.IsIdentifier(name):
		return "is not a Go identifier; use letters, digits and _, starting with a letter"
	case !unicode.IsUpper(r) || r > unicode.MaxASCII:
		return "must start with an upper-case ASCII letter: it becomes an exported Go method"
	case strings.ContainsFunc(name, func(r rune) bool { return r > unicode.MaxASCII }):
		return "must be ASCII: it becomes a Go method"
	case name == "WithTx":
		return "is the name of a method sqlc gives Queries itself; rename the query"
	}
	lower := lowerTitle(name)
	switch {
	case token.IsKeyword(lower):
		return fmt.Sprintf("makes sqlc declare a constant %s, which is a Go keyword; rename the query", lower)
	case types.Universe.Lookup(lower) != nil:
		return fmt.Sprintf("makes sqlc declare a constant %s, which hides Go's predeclared %s; rename the query", lower, lower)
	}
	for _, imp := range importNames {
		if lower == imp {
			return fmt.Sprintf("makes sqlc declare a constant %s, the name its code imports a package under; rename the query", lower)
		}
	}
	return ""
}

// lowerTitle is sqlc's name for a query's constant: the first letter in
// lower case.
func lowerTitle(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[size:]
}
