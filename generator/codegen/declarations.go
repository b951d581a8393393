package codegen

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strings"
)

// declarations are the names a Go file declares at the top level, methods
// as "Receiver.Method". A package whose files declare a name twice does not
// compile: dbgen refuses to write it (checkDeclarations), whatever the
// schema or the queries' names did to the code.
func declarations(f *ast.File) []string {
	var names []string
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil || len(d.Recv.List) == 0 {
				names = append(names, d.Name.Name)
				continue
			}
			recv := d.Recv.List[0].Type
			if star, ok := recv.(*ast.StarExpr); ok {
				recv = star.X
			}
			if id, ok := recv.(*ast.Ident); ok {
				names = append(names, id.Name+"."+d.Name.Name)
			}
		case *ast.GenDecl:
			if d.Tok == token.IMPORT {
				continue
			}
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					names = append(names, s.Name.Name)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						if n.Name != "_" {
							names = append(names, n.Name)
						}
					}
				}
			}
		}
	}
	return names
}

// fileDeclarations parses a file of sqlc's and lists its declarations.
func fileDeclarations(name string, src []byte) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	return declarations(f), nil
}

// checkDeclarations reports a name two files of a package declare, and a
// method of the shared handle that DB's or Tx's own method would hide.
func checkDeclarations(pkg string, byFile map[string][]string) error {
	files := make([]string, 0, len(byFile))
	for f := range byFile {
		files = append(files, f)
	}
	slices.Sort(files)
	where := map[string]string{}
	for _, f := range files {
		for _, name := range byFile[f] {
			if other, dup := where[name]; dup {
				return fmt.Errorf("internal error: the generated package %s would declare %s twice (%s and %s), which does not compile; please report this with the schema", pkg, name, other, f)
			}
			where[name] = f
		}
	}
	for name := range where {
		if m, ok := strings.CutPrefix(name, "handle."); ok {
			for _, outer := range []string{"DB.", "Tx."} {
				if other, hidden := where[outer+m]; hidden {
					return fmt.Errorf("internal error: in the generated package %s, %s%s (%s) hides the method %s of every table and query; please report this with the schema", pkg, outer, m, other, m)
				}
			}
		}
	}
	return nil
}
