package codegen

import (
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// qualifier finds the package names used in a Go type: "sql" in
// "sql.NullString", "uuid" in "[]uuid.UUID".
var qualifier = regexp.MustCompile(`\b([A-Za-z_][A-Za-z0-9_]*)\.`)

// stdTypes are the packages of the types valueType may introduce even where
// sqlc's files did not import them (time.Time out of sql.NullTime).
var stdTypes = map[string]string{"time": "time", "sql": "database/sql", "json": "encoding/json"}

// importsFor returns the import lines the types need, resolving each package
// name through the imports sqlc's files declared (which also cover type
// overrides from dbgen.yaml).
func importsFor(types []string, known map[string]string) []string {
	known = maps.Clone(known)
	for name, path := range stdTypes {
		known[name] = path
	}
	seen := map[string]bool{}
	var std, other []string
	for _, t := range types {
		for _, m := range qualifier.FindAllStringSubmatch(t, -1) {
			name := m[1]
			path, ok := known[name]
			if !ok || seen[name] {
				continue
			}
			seen[name] = true
			line := strconv.Quote(path)
			if path != name && !strings.HasSuffix(path, "/"+name) {
				line = name + " " + line
			}
			if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ".") {
				other = append(other, line)
			} else {
				std = append(std, line)
			}
		}
	}
	byPath := func(a, b string) int { return strings.Compare(importPath(a), importPath(b)) }
	slices.SortFunc(std, byPath)
	slices.SortFunc(other, byPath)
	if len(std) > 0 && len(other) > 0 {
		std = append(std, "") // a blank line between the groups, as goimports has it
	}
	return append(std, other...)
}

// importPath is the quoted path of an import line.
func importPath(line string) string { return line[strings.IndexByte(line, '"'):] }
