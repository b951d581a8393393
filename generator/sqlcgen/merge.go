package sqlcgen

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"regexp"
	"sort"
	"strings"
)

// mergeQueryFiles joins the Go files sqlc wrote for the pieces of one
// queries file into the file it writes for the whole: the header of the
// first with the source renamed, the union of the imports, and the code of
// every query, ordered by method name as sqlc orders it.
func mergeQueryFiles(sourceName string, parts [][]byte) ([]byte, error) {
	var (
		header, pkg string
		imports     = map[string]string{} // path -> name ("" if none)
		queries     []querySection
	)
	for i, src := range parts {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "", src, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			header = string(src[:fset.Position(f.Package).Offset])
			pkg = f.Name.Name
		}
		for _, spec := range f.Imports {
			name := ""
			if spec.Name != nil {
				name = spec.Name.Name
			}
			imports[spec.Path.Value] = name
		}
		queries = append(queries, sections(fset, f, src)...)
	}
	sort.SliceStable(queries, func(a, b int) bool { return queries[a].method < queries[b].method })

	var b bytes.Buffer
	b.WriteString(sourceLine.ReplaceAllLiteralString(header, "// source: "+sourceName))
	fmt.Fprintf(&b, "package %s\n\n", pkg)
	writeImports(&b, imports)
	for _, q := range queries {
		b.WriteString(q.code)
		b.WriteString("\n\n")
	}
	return format.Source(b.Bytes())
}

var sourceLine = regexp.MustCompile(`(?m)^// source: .*$`)

// querySection is the code sqlc writes for one query: its SQL constant,
// parameter and row types, and method, with any comments before them.
type querySection struct {
	method string
	code   string
}

// sections cuts a file's declarations into queries. Each query's code
// starts with the constant holding its SQL; the text between declarations
// goes with the declaration after it, so comments are kept.
func sections(fset *token.FileSet, f *ast.File, src []byte) []querySection {
	var out []querySection
	prev := fset.Position(f.Name.End()).Offset
	for _, d := range f.Decls {
		end := fset.Position(d.End()).Offset
		text := strings.TrimSpace(string(src[prev:end]))
		prev = end
		switch d := d.(type) {
		case *ast.GenDecl:
			if d.Tok == token.IMPORT {
				continue
			}
			if d.Tok == token.CONST || len(out) == 0 {
				out = append(out, querySection{method: firstName(d)})
			}
		case *ast.FuncDecl:
			if len(out) == 0 {
				out = append(out, querySection{})
			}
			out[len(out)-1].method = d.Name.Name
		}
		q := &out[len(out)-1]
		if q.code != "" {
			q.code += "\n\n"
		}
		q.code += text
	}
	return out
}

func firstName(d *ast.GenDecl) string {
	for _, s := range d.Specs {
		switch s := s.(type) {
		case *ast.ValueSpec:
			return s.Names[0].Name
		case *ast.TypeSpec:
			return s.Name.Name
		}
	}
	return ""
}

// writeImports writes the import block as sqlc does: the standard library
// first, then the rest, each sorted by path.
func writeImports(b *bytes.Buffer, imports map[string]string) {
	if len(imports) == 0 {
		return
	}
	var std, other []string
	for p, name := range imports {
		spec := p
		if name != "" {
			spec = name + " " + p
		}
		if isStdlib(p) {
			std = append(std, spec)
		} else {
			other = append(other, spec)
		}
	}
	byPath := func(specs []string) {
		sort.Slice(specs, func(a, b int) bool { return specPath(specs[a]) < specPath(specs[b]) })
	}
	byPath(std)
	byPath(other)
	b.WriteString("import (\n")
	for _, s := range std {
		fmt.Fprintf(b, "\t%s\n", s)
	}
	if len(std) > 0 && len(other) > 0 {
		b.WriteString("\n")
	}
	for _, s := range other {
		fmt.Fprintf(b, "\t%s\n", s)
	}
	b.WriteString(")\n\n")
}

// isStdlib reports whether a quoted import path is in the standard library:
// its first element has no dot.
func isStdlib(quoted string) bool {
	first, _, _ := strings.Cut(strings.Trim(quoted, `"`), "/")
	return !strings.Contains(first, ".")
}

func specPath(spec string) string {
	return spec[strings.IndexByte(spec, '"'):]
}
