// Package templates holds the shape of the Go files dbgen writes for each
// database. The generator builds a plain data model; these templates only
// range over it.
package templates

import (
	"embed"
	"io"
	"strconv"
	"strings"
	"text/template"
)

//go:embed *.tmpl
var files embed.FS

// Package lists the templates rendered for every database, in order; each
// writes the file named like it without ".tmpl".
var Package = []string{
	"dbgen.go.tmpl", "models.go.tmpl", "handle.go.tmpl", "tables.go.tmpl", "list.go.tmpl",
	"bulk.go.tmpl", "queries.go.tmpl", "migrations.go.tmpl",
}

// Registry is rendered once, at the root of the output folder.
const Registry = "registry.go.tmpl"

var parsed = template.Must(template.New("").Funcs(template.FuncMap{
	"quote":   strconv.Quote,
	"text":    goText,
	"strs":    goStrings,
	"strsets": goStringSets,
	"join":    strings.Join,
}).ParseFS(files, "*.tmpl"))

// Execute renders the named template.
func Execute(w io.Writer, name string, data any) error {
	return parsed.ExecuteTemplate(w, name, data)
}

// FS exposes the raw templates, so the generator can fingerprint them.
func FS() embed.FS { return files }

// goText writes s as a Go string literal: a raw one when it has several
// lines and every line can go between backquotes as it is (no backquote,
// no control character, no byte order mark, which Go refuses in source).
func goText(s string) string {
	if !strings.Contains(s, "\n") {
		return strconv.Quote(s)
	}
	for _, line := range strings.Split(s, "\n") {
		if !strconv.CanBackquote(line) || strings.ContainsRune(line, '\uFEFF') {
			return strconv.Quote(s)
		}
	}
	return "`" + s + "`"
}

func goStrings(ss []string) string {
	if len(ss) == 0 {
		return "nil"
	}
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return "[]string{" + strings.Join(q, ", ") + "}"
}

func goStringSets(sets [][]string) string {
	if len(sets) == 0 {
		return "nil"
	}
	q := make([]string, len(sets))
	for i, s := range sets {
		q[i] = strings.TrimPrefix(goStrings(s), "[]string")
	}
	return "[][]string{" + strings.Join(q, ", ") + "}"
}
