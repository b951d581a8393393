package config

import (
	"fmt"
	"go/token"
	"go/types"
	"regexp"
	"strings"
)

// GoType is the go_type of an override, read: a basic type ("string",
// "[]byte"), or a type of an imported package, maybe behind a pointer.
type GoType struct {
	Pointer bool
	Import  string // import path, "" for a basic type
	Package string // the package name it is used under
	Name    string // the type's name in its package, or the basic type
}

// Expr is the type as generated code writes it: "*uuid.UUID", "string".
func (t GoType) Expr() string {
	s := t.Name
	if t.Package != "" {
		s = t.Package + "." + t.Name
	}
	if t.Pointer {
		s = "*" + s
	}
	return s
}

// versionElem is the last element of an import path that names a major
// version ("v2"), which is not the package name.
var versionElem = regexp.MustCompile(`^v[0-9]+$`)

// ParseGoType reads a go_type. The package name of an import path is taken
// the way sqlc takes it: the last element, or the one before a /vN element,
// without a "go-" prefix or "-go" suffix, other characters made _.
func ParseGoType(s string) (GoType, error) {
	var t GoType
	spec := strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(spec, "*"); ok {
		t.Pointer, spec = true, rest
	}
	if spec == "[]byte" {
		t.Name = spec
		return t, nil
	}
	dot := strings.LastIndexByte(spec, '.')
	if dot < 0 {
		if !isBasic(spec) {
			return t, fmt.Errorf("go_type %q is neither a basic Go type (string, int64, bool, ...) nor an import path and type (github.com/google/uuid.UUID)", s)
		}
		t.Name = spec
		return t, nil
	}
	path, name := spec[:dot], spec[dot+1:]
	switch {
	case !token.IsIdentifier(name) || !token.IsExported(name):
		return t, fmt.Errorf("go_type %q: %q is not an exported Go type name; write the import path, a dot and the type, e.g. github.com/google/uuid.UUID", s, name)
	case !importPath.MatchString(path) || strings.Contains(path, "//") || strings.HasSuffix(path, "/"):
		return t, fmt.Errorf("go_type %q: %q is not a valid import path", s, path)
	}
	t.Import, t.Name = path, name
	elems := strings.Split(path, "/")
	pkg := elems[len(elems)-1]
	if versionElem.MatchString(pkg) && len(elems) > 1 {
		pkg = elems[len(elems)-2]
	}
	pkg = strings.TrimSuffix(strings.TrimPrefix(pkg, "go-"), "-go")
	pkg = regexp.MustCompile(`[^A-Za-z0-9_]`).ReplaceAllString(pkg, "_")
	if pkg == "" || !token.IsIdentifier(pkg) || token.IsKeyword(pkg) {
		return t, fmt.Errorf("go_type %q: cannot tell the package name of %q", s, path)
	}
	t.Package = pkg
	return t, nil
}

// importPath is the shape of a Go import path: elements of letters,
// digits and ._~- separated by slashes.
var importPath = regexp.MustCompile(`^[A-Za-z0-9_~-][A-Za-z0-9._~-]*(/[A-Za-z0-9._~-]+)*$`)

// isBasic reports whether name is a typed basic Go type, or any.
func isBasic(name string) bool {
	if name == "any" {
		return true
	}
	for _, b := range types.Typ {
		if b.Info() != 0 && b.Info()&types.IsUntyped == 0 && b.Name() == name {
			return true
		}
	}
	return false
}
