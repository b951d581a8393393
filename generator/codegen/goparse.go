package codegen

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// sqlcOutput is what dbgen needs to know of the Go code sqlc wrote: the
// fields of each model struct and the signature of each query method, read
// back from the source so dbgen's files always agree with sqlc's.
type sqlcOutput struct {
	structs map[string][]goField // struct name -> fields
	methods map[string]*goMethod // query name -> method on *Queries
	imports map[string]string    // package name -> import path, from every file
	queries map[string]string    // query name -> the SQL sqlc sends for it
}

type goField struct {
	Name, Type, Column string // Column from the db:"..." tag
}

type goMethod struct {
	Name    string
	Params  []goParam
	Results []string // "User", "error"
}

type goParam struct {
	Name, Type string // Type "...T" for a variadic parameter
}

func parseSqlcOutput(files map[string][]byte) (*sqlcOutput, error) {
	out := &sqlcOutput{structs: map[string][]goField{}, methods: map[string]*goMethod{}, imports: map[string]string{}, queries: map[string]string{}}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	fset := token.NewFileSet()
	for _, name := range names {
		if !strings.HasSuffix(name, ".go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, files[name], parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("read sqlc output %s: %w", name, err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			name := path[strings.LastIndexByte(path, '/')+1:]
			if imp.Name != nil {
				name = imp.Name.Name
			}
			out.imports[name] = path
		}
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch spec := spec.(type) {
					case *ast.TypeSpec:
						if st, ok := spec.Type.(*ast.StructType); ok {
							out.structs[spec.Name.Name] = structFields(fset, st)
						}
					case *ast.ValueSpec:
						if name, sql, ok := queryConst(spec); ok {
							out.queries[name] = sql
						}
					}
				}
			case *ast.FuncDecl:
				if d.Recv == nil || len(d.Recv.List) != 1 || exprString(fset, d.Recv.List[0].Type) != "*Queries" {
					continue
				}
				out.methods[d.Name.Name] = method(fset, d)
			}
		}
	}
	return out, nil
}

// queryConst reads one of sqlc's query constants, whose text starts with
// the query's own "-- name: X :cmd" line.
func queryConst(spec *ast.ValueSpec) (name, sql string, ok bool) {
	if len(spec.Values) != 1 {
		return "", "", false
	}
	lit, isLit := spec.Values[0].(*ast.BasicLit)
	if !isLit || lit.Kind != token.STRING {
		return "", "", false
	}
	text, err := strconv.Unquote(lit.Value)
	if err != nil {
		return "", "", false
	}
	head, _, _ := strings.Cut(text, "\n")
	fields := strings.Fields(strings.TrimPrefix(head, "-- name:"))
	if !strings.HasPrefix(head, "-- name:") || len(fields) == 0 {
		return "", "", false
	}
	return fields[0], text, true
}

func structFields(fset *token.FileSet, st *ast.StructType) []goField {
	var fields []goField
	for _, f := range st.Fields.List {
		typ := exprString(fset, f.Type)
		col := ""
		if f.Tag != nil {
			if tag, err := strconv.Unquote(f.Tag.Value); err == nil {
				col = reflect.StructTag(tag).Get("db")
			}
		}
		for _, n := range f.Names {
			fields = append(fields, goField{Name: n.Name, Type: typ, Column: col})
		}
	}
	return fields
}

func method(fset *token.FileSet, d *ast.FuncDecl) *goMethod {
	m := &goMethod{Name: d.Name.Name}
	for _, p := range d.Type.Params.List {
		typ := exprString(fset, p.Type)
		for _, n := range p.Names {
			m.Params = append(m.Params, goParam{Name: n.Name, Type: typ})
		}
	}
	if d.Type.Results != nil {
		for _, r := range d.Type.Results.List {
			m.Results = append(m.Results, exprString(fset, r.Type))
		}
	}
	return m
}

func exprString(fset *token.FileSet, x ast.Expr) string {
	var b bytes.Buffer
	printer.Fprint(&b, fset, x)
	return b.String()
}
