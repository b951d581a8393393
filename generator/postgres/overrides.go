package postgres

import (
	"fmt"
	"strings"

	"github.com/dbgen-dev/dbgen/generator/diag"
	"github.com/dbgen-dev/dbgen/generator/discover"
)

// An override file (schema.postgres.sql or *.postgres.sql next to a schema
// file) gives the PostgreSQL text of what dbgen cannot derive: a view using
// SQLite's functions, a trigger (with the function it runs), an index on an
// expression. A statement that creates an object the SQLite schema has
// replaces that object's derivation; every other statement (a function, an
// extension) is added after the derived ones, in file order.

// Override is one statement of an override file.
type Override struct {
	Kind, Name string // what it creates: "view", "trigger", "function", ...; "" for another statement
	SQL        string
	Path       string
	Line       int
}

// ReadOverrides splits an override file into statements, PostgreSQL's
// quoting rules (dollar quotes included) applied.
func ReadOverrides(f *discover.File) ([]Override, diag.List) {
	src := string(f.Data)
	var out []Override
	var problems diag.List
	stmts, err := splitPostgres(src)
	if se, ok := err.(*splitError); ok {
		return nil, diag.List{diag.Errorf(f.Path, se.line, "%s", se.msg)}
	}
	for _, s := range stmts {
		line, _ := diag.Position(f.Data, s.offset)
		o := Override{SQL: s.text, Path: f.Path, Line: line}
		o.Kind, o.Name = creates(s.text)
		out = append(out, o)
	}
	return out, problems
}

// splitError is a string, name, comment or body left open, at its line.
type splitError struct {
	line int
	msg  string
}

func (e *splitError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

func openAt(src string, i int, format string, args ...any) error {
	return &splitError{line: lineOf(src, i), msg: fmt.Sprintf(format, args...)}
}

type pgStatement struct {
	text   string
	offset int
}

// splitPostgres cuts PostgreSQL source into statements at the semicolons
// outside strings, quoted names, comments and dollar-quoted bodies.
func splitPostgres(src string) ([]pgStatement, error) {
	var out []pgStatement
	start := 0
	emit := func(end int) {
		text := strings.TrimSpace(stripComments(src[start:end]))
		if text != "" {
			lead := len(src[start:end]) - len(strings.TrimLeft(src[start:end], " \t\r\n"))
			out = append(out, pgStatement{text: strings.TrimSpace(src[start:end]), offset: start + lead})
		}
		start = end + 1
	}
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case c == '\'':
			j := i + 1
			for ; j < len(src); j++ {
				if src[j] == '\'' {
					if j+1 < len(src) && src[j+1] == '\'' {
						j++
						continue
					}
					break
				}
				if src[j] == '\\' && i > 0 && (src[i-1] == 'E' || src[i-1] == 'e') {
					j++
				}
			}
			if j >= len(src) {
				return nil, openAt(src, i, "this string is not closed; end it with '")
			}
			i = j
		case c == '"':
			j := strings.IndexByte(src[i+1:], '"')
			if j < 0 {
				return nil, openAt(src, i, "this quoted name is not closed; end it with \"")
			}
			i += j + 1
		case c == '-' && i+1 < len(src) && src[i+1] == '-':
			j := strings.IndexByte(src[i:], '\n')
			if j < 0 {
				i = len(src)
			} else {
				i += j
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			depth, j := 1, i+2
			for ; j < len(src) && depth > 0; j++ {
				switch {
				case strings.HasPrefix(src[j:], "/*"):
					depth++
					j++
				case strings.HasPrefix(src[j:], "*/"):
					depth--
					j++
				}
			}
			if depth > 0 {
				return nil, openAt(src, i, "this comment is not closed; end it with */")
			}
			i = j - 1
		case c == '$':
			tag := dollarTag(src[i:])
			if tag == "" {
				continue
			}
			j := strings.Index(src[i+len(tag):], tag)
			if j < 0 {
				return nil, openAt(src, i, "the body quoted with %s is not closed; end it with %s", tag, tag)
			}
			i += len(tag) + j + len(tag) - 1
		case c == ';':
			emit(i)
		}
	}
	emit(len(src))
	return out, nil
}

// dollarTag returns the $tag$ that opens s, "" when s opens none.
func dollarTag(s string) string {
	for j := 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == '$':
			return s[:j+1]
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || j > 1 && c >= '0' && c <= '9':
		default:
			return ""
		}
	}
	return ""
}

func lineOf(s string, off int) int { return 1 + strings.Count(s[:off], "\n") }

// stripComments drops -- comments, to tell an empty statement.
func stripComments(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if i := strings.Index(line, "--"); i >= 0 {
			line = line[:i]
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// creates reads what a CREATE statement makes: its kind and name, the name
// unquoted and without a schema.
func creates(sql string) (kind, name string) {
	words := strings.Fields(stripComments(sql))
	if len(words) < 3 || !strings.EqualFold(words[0], "CREATE") {
		return "", ""
	}
	i := 1
	if strings.EqualFold(words[i], "OR") && i+1 < len(words) && strings.EqualFold(words[i+1], "REPLACE") {
		i += 2
	}
	for i < len(words) && (strings.EqualFold(words[i], "UNIQUE") || strings.EqualFold(words[i], "MATERIALIZED") ||
		strings.EqualFold(words[i], "CONSTRAINT") || strings.EqualFold(words[i], "TEMP") || strings.EqualFold(words[i], "TEMPORARY")) {
		i++
	}
	if i+1 >= len(words) {
		return "", ""
	}
	kind = strings.ToLower(words[i])
	i++
	if i+2 < len(words) && strings.EqualFold(words[i], "IF") && strings.EqualFold(words[i+1], "NOT") {
		i += 3
	}
	if kind == "index" && i < len(words) && strings.EqualFold(words[i], "CONCURRENTLY") {
		i++
	}
	if i >= len(words) {
		return kind, ""
	}
	name = words[i]
	if p := strings.IndexAny(name, "("); p >= 0 {
		name = name[:p]
	}
	if dot := strings.LastIndexByte(name, '.'); dot >= 0 {
		name = name[dot+1:]
	}
	return kind, strings.Trim(name, `"`)
}
