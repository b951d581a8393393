package codegen

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jinzhu/inflection"
)

// namer turns SQL names into Go names the way sqlc does (so that the names
// dbgen writes in its own templates match the ones in sqlc's output), with
// table struct names singular, as sqlc's default.
type namer struct {
	initialisms map[string]bool
}

// newNamer names with the given initialisms (config.InitialismSet).
func newNamer(initialisms []string) namer {
	n := namer{initialisms: map[string]bool{}}
	for _, w := range initialisms {
		n.initialisms[strings.ToLower(w)] = true
	}
	return n
}

// goName mirrors sqlc's StructName: non-alphanumerics become word breaks,
// each word is title-cased or upper-cased when it is an initialism, and a
// leading digit gets an underscore.
func (n namer) goName(name string) string {
	name = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return '_'
	}, name)
	var b strings.Builder
	for _, p := range strings.Split(name, "_") {
		if n.initialisms[p] {
			b.WriteString(strings.ToUpper(p))
		} else if p != "" {
			r, size := utf8.DecodeRuneInString(p)
			b.WriteRune(unicode.ToUpper(r))
			b.WriteString(p[size:])
		}
	}
	out := b.String()
	if r, _ := utf8.DecodeRuneInString(out); unicode.IsDigit(r) {
		out = "_" + out
	}
	return out
}

// singularExceptions are the words sqlc keeps as they are, because the
// inflection library gets them wrong.
var singularExceptions = map[string]string{"campus": "campus", "meta": "meta", "calories": "calorie", "waves": "wave"}

// sqlcStructName is the name sqlc gives the row type of a table: the
// singular of its name, "" when the inflection library makes that empty
// (it singularizes "s" to "").
func (n namer) sqlcStructName(table string) string {
	s, ok := singularExceptions[strings.ToLower(table)]
	if !ok {
		s = inflection.Singular(table)
	}
	return n.goName(s)
}

// structName is the Go type of a table's or view's row: the singular of its
// name, or the name itself when the singular is empty.
func (n namer) structName(table string) string {
	if s := n.sqlcStructName(table); s != "" {
		return s
	}
	return n.goName(table)
}

// plural is the Go name of a set of rows of table, whose row type is
// structName, for Count, List and the methods by condition: the plural of
// the table's singular, made a Go name ("t" gives Ts, not TS, and
// "api_token" APITokens); a struct name that was given a suffix is made
// plural itself. A name whose plural is itself gets "List".
func (n namer) plural(table, structName string) string {
	singular, ok := singularExceptions[strings.ToLower(table)]
	if !ok {
		singular = inflection.Singular(table)
	}
	p := inflection.Plural(structName)
	if singular != "" && n.goName(singular) == structName {
		p = n.goName(inflection.Plural(singular))
	}
	if p == structName {
		p += "List"
	}
	return p
}
