package codegen

import (
	"strings"
	"unicode/utf8"
)

// Most of a large generate's time was gofmt formatting the rendered files.
// The templates write them already formatted instead: indentation and
// blank lines as gofmt has them, and the columns gofmt aligns (struct
// fields, the names of a var block) padded here. A test checks that gofmt
// changes nothing in any file so written (TestTemplatesWriteGofmtedGo);
// the files whose alignment is harder to predict (Definition's composite
// literal) still go through go/format, as does every file of a package
// with a non-ASCII name in it, where column widths are less certain.

// preformatted are the templates whose output needs no gofmt.
var preformatted = map[string]bool{
	"models.go.tmpl": true, "tables.go.tmpl": true, "list.go.tmpl": true, "bulk.go.tmpl": true,
	"handle.go.tmpl": true, "queries.go.tmpl": true, "migrations.go.tmpl": true,
}

// align pads the columns gofmt aligns, and reports whether every name is
// ASCII (see above).
func (m *dbModel) align() {
	m.ascii = true
	check := func(s string) {
		if m.ascii && strings.ContainsFunc(s, func(r rune) bool { return r >= utf8.RuneSelf }) {
			m.ascii = false
		}
	}
	for _, t := range m.Tables {
		names, types := width(t.Fields, func(f *fieldModel) string { return f.Name }), width(t.Fields, func(f *fieldModel) string { return f.Type })
		for _, f := range t.Fields {
			check(f.Name + f.Type + f.Tag)
			f.NameCol, f.TypeCol = pad(f.Name, names), pad(f.Type, types)
		}
		for _, ps := range []*paramsModel{t.Create, t.Set} {
			if ps == nil {
				continue
			}
			w := width(ps.Fields, func(f *paramField) string { return f.Name })
			for _, f := range ps.Fields {
				f.NameCol = pad(f.Name, w)
			}
		}
		if t.Key != nil {
			w := width(t.Key.Fields, func(f *fieldModel) string { return f.Name })
			for _, f := range t.Key.Fields {
				f.NameCol = pad(f.Name, w)
			}
		}
		w := width(t.Cols, func(c *colModel) string { return c.Var })
		for _, c := range t.Cols {
			check(c.Var)
			c.VarCol = pad(c.Var, w)
		}
	}
}

// width is the widest of the strings get returns, in runes, as gofmt
// measures a column.
func width[T any](items []T, get func(T) string) int {
	w := 0
	for _, it := range items {
		w = max(w, utf8.RuneCountInString(get(it)))
	}
	return w
}

// pad is s followed by the spaces that take it to width, and one more.
func pad(s string, width int) string {
	return s + strings.Repeat(" ", width-utf8.RuneCountInString(s)+1)
}
