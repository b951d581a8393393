package sqlcgen

import (
	"context"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"go/types"
	"strconv"
	"strings"
	"testing"
)

// generateOne runs Generate for one database named x and returns its files.
func generateOne(t *testing.T, schema string, opts Options, queries ...QueryFile) map[string][]byte {
	t.Helper()
	out, err := Generate(context.Background(), []Job{{Package: "x", Schema: schema, Queries: queries, Options: opts}})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	checkGo(t, out["x"].Files)
	return out["x"].Files
}

func query(path, sql string) QueryFile { return QueryFile{Path: path, SQL: []byte(sql)} }

// checkGo fails unless every file is Go that parses and is gofmt'd.
func checkGo(t *testing.T, files map[string][]byte) {
	t.Helper()
	for name, src := range files {
		if _, err := parser.ParseFile(token.NewFileSet(), name, src, parser.AllErrors); err != nil {
			t.Errorf("%s does not parse: %v", name, err)
			continue
		}
		formatted, err := format.Source(src)
		if err != nil || string(formatted) != string(src) {
			t.Errorf("%s is not gofmt'd", name)
		}
	}
}

// field is a struct field as written: Go name, type and column (db tag).
type field struct {
	Name, Type, Column string
}

// structs returns the struct types declared in a Go file, by name.
func structs(t *testing.T, src []byte) map[string][]field {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]field{}
	ast.Inspect(f, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSpec)
		if !ok {
			return true
		}
		st, ok := ts.Type.(*ast.StructType)
		if !ok {
			return false
		}
		fields := []field{}
		for _, fl := range st.Fields.List {
			col := ""
			if fl.Tag != nil {
				tag, _ := strconv.Unquote(fl.Tag.Value)
				col, _, _ = strings.Cut(strings.TrimPrefix(tag, `db:"`), `"`)
			}
			for _, name := range fl.Names {
				fields = append(fields, field{name.Name, types.ExprString(fl.Type), col})
			}
		}
		out[ts.Name.Name] = fields
		return false
	})
	return out
}

// querySQL returns the SQL of every query constant in a Go file.
func querySQL(t *testing.T, src []byte) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, s := range gd.Specs {
			vs := s.(*ast.ValueSpec)
			if lit, ok := vs.Values[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				v, _ := strconv.Unquote(lit.Value)
				out[vs.Names[0].Name] = v
			}
		}
	}
	return out
}
