// Package discover is the first stage of the pipeline: it walks the project's
// roots, finds schema and queries files, reads their DATABASE_NAME directives
// and groups them per database, in a deterministic order.
package discover

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/dbgen-dev/dbgen/generator/config"
	"github.com/dbgen-dev/dbgen/generator/diag"
	"github.com/dbgen-dev/dbgen/generator/userfile"
)

// File is one schema or queries file.
type File struct {
	Path string // slash path relative to the project root, as shown to users
	Data []byte
	// DirectiveLine is the line of the DATABASE_NAME directive, 0 when none.
	DirectiveLine int
}

// Database is every file that feeds one database, sorted by path.
type Database struct {
	Name    string
	Schemas []*File
	Queries []*File
	// PostgresSchemas and PostgresQueries are the override files of the
	// postgres target (X.postgres.sql next to a schema or queries file
	// X.sql, see PostgresPath), read only when the target is on.
	PostgresSchemas []*File
	PostgresQueries []*File
}

// Project is what discovery found under the roots.
type Project struct {
	Root   string // absolute project root
	Config config.Config
	// GoModule is the module path of the nearest go.mod, and GoModuleDir its folder.
	GoModule, GoModuleDir string
	Databases             []*Database // sorted by name
}

// OutImportPath is the import path of the output folder.
func (p *Project) OutImportPath() string {
	rel, err := filepath.Rel(p.GoModuleDir, filepath.Join(p.Root, p.Config.Out))
	if err != nil || rel == "." {
		return p.GoModule
	}
	return p.GoModule + "/" + filepath.ToSlash(rel)
}

// Database returns the database called name, or nil.
func (p *Project) Database(name string) *Database {
	for _, db := range p.Databases {
		if db.Name == name {
			return db
		}
	}
	return nil
}

// skipDirs are never scanned: dependencies, fixtures and tool folders.
var skipDirs = map[string]bool{"vendor": true, "testdata": true, "node_modules": true}

// Run discovers the project rooted at root.
func Run(root string, cfg config.Config) (*Project, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	if info, err := os.Stat(root); err != nil || !info.IsDir() {
		return nil, fmt.Errorf("project root %s is not a folder; check --root", root)
	}
	p := &Project{Root: root, Config: cfg}
	p.GoModule, p.GoModuleDir, err = findModule(root)
	if err != nil {
		return nil, err
	}
	out := filepath.Join(root, cfg.Out)

	var schemas, queries, overrides []*File
	var problems diag.List
	seen := map[string]bool{}
	for _, r := range cfg.Roots {
		dir := filepath.Join(root, r)
		if info, err := os.Stat(dir); err != nil || !info.IsDir() {
			return nil, fmt.Errorf("root %q is not a folder under %s; fix roots in %s or --root", r, root, config.FileName)
		}
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if path != dir && (strings.HasPrefix(d.Name(), ".") || skipDirs[d.Name()] || path == out) {
					return filepath.SkipDir
				}
				// A folder named as a schema or queries file is a mistake
				// to report, not a folder to pass over in silence.
				if path != dir && (matchAny(cfg.SchemaGlobs, d.Name()) || matchAny(cfg.QueryGlobs, d.Name())) {
					rel, _ := filepath.Rel(root, path)
					problems = append(problems, diag.Errorf(filepath.ToSlash(rel), 0, "is a folder; dbgen reads only regular files, or links to them"))
				}
				return nil
			}
			isSchema, isQueries := matchAny(cfg.SchemaGlobs, d.Name()), matchAny(cfg.QueryGlobs, d.Name())
			isOverride := cfg.Postgres() && strings.HasSuffix(d.Name(), PostgresSuffix)
			if isOverride {
				isSchema, isQueries = false, false
			}
			if !isSchema && !isQueries && !isOverride {
				return nil
			}
			rel, _ := filepath.Rel(root, path)
			rel = filepath.ToSlash(rel)
			if seen[rel] {
				return nil // overlapping roots
			}
			seen[rel] = true
			f, ds := readFile(path, rel, isSchema)
			problems = append(problems, ds...)
			if f == nil {
				return nil
			}
			switch {
			case isOverride:
				overrides = append(overrides, f)
			case isSchema:
				schemas = append(schemas, f)
			default:
				queries = append(queries, f)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("scan %s: %w", r, err)
		}
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	p.Databases, problems = group(schemas, queries, cfg.DefaultDatabase)
	problems = append(problems, pairOverrides(p.Databases, overrides)...)
	return p, problems.Err()
}

func matchAny(globs []string, name string) bool {
	for _, g := range globs {
		if ok, _ := filepath.Match(g, name); ok {
			return true
		}
	}
	return false
}

// readFile reads one file and checks that it is text dbgen can read.
func readFile(path, rel string, isSchema bool) (*File, diag.List) {
	data, err := userfile.Read(path)
	var ue *userfile.Error
	switch {
	case errors.As(err, &ue) && ue.Kind == "":
		kind := "queries"
		if isSchema {
			kind = "schema"
		}
		return nil, diag.List{diag.Errorf(rel, 0, "the file is %s; dbgen reads schema and queries files of at most %d MiB: split it into several *.%s.sql files",
			userfile.MiB(ue.Size), userfile.MaxSize>>20, kind)}
	case ue != nil:
		return nil, diag.List{diag.Errorf(rel, 0, "%s", ue.Problem())}
	case err != nil:
		return nil, diag.List{diag.Errorf(rel, 0, "cannot read: %v", err)}
	}
	if i := invalidUTF8(data); i >= 0 {
		line, _ := diag.Position(data, i)
		return nil, diag.List{diag.Errorf(rel, line, "not UTF-8 text (invalid byte 0x%02x); save the file as UTF-8", data[i])}
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		line, _ := diag.Position(data, i)
		return nil, diag.List{diag.Errorf(rel, line, "not a text file (NUL byte); schema and queries files hold SQL text")}
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	return &File{Path: rel, Data: data}, nil
}

func invalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

// group assigns every file to its database.
func group(schemas, queries []*File, defaultDB string) ([]*Database, diag.List) {
	var problems diag.List
	byName := map[string]*Database{}
	get := func(name string) *Database {
		if byName[name] == nil {
			byName[name] = &Database{Name: name}
		}
		return byName[name]
	}
	// dirDB remembers which databases the schema files of each folder feed, so
	// that a queries file without a directive can follow its schema.
	dirDB := map[string][]string{}
	refused := map[string]bool{} // folders with a schema file whose header is wrong
	for _, f := range schemas {
		name, ds := directive(f)
		problems = append(problems, ds...)
		if len(ds) > 0 {
			refused[filepath.Dir(f.Path)] = true
			continue
		}
		if name == "" {
			name = defaultDB
		}
		get(name).Schemas = append(get(name).Schemas, f)
		dir := filepath.Dir(f.Path)
		if !slices.Contains(dirDB[dir], name) {
			dirDB[dir] = append(dirDB[dir], name)
		}
	}
	for _, f := range queries {
		name, ds := directive(f)
		problems = append(problems, ds...)
		if len(ds) > 0 {
			continue
		}
		if name == "" {
			switch names := dirDB[filepath.Dir(f.Path)]; len(names) {
			case 0:
				if refused[filepath.Dir(f.Path)] {
					continue // its schema file's header error says it all
				}
				problems = append(problems, diag.Errorf(f.Path, 0, "no schema file in this folder, so its database is unknown; put it next to its schema file or add a -- DATABASE_NAME: <name> line at the top"))
				continue
			case 1:
				name = names[0]
			default:
				problems = append(problems, diag.Errorf(f.Path, 0, "the schema files in this folder feed several databases (%s); add a -- DATABASE_NAME: <name> line at the top to choose one", strings.Join(names, ", ")))
				continue
			}
		} else if byName[name] == nil {
			problems = append(problems, diag.Errorf(f.Path, f.DirectiveLine, "database %q has no schema file; check the spelling of DATABASE_NAME", name))
			continue
		}
		get(name).Queries = append(get(name).Queries, f)
	}
	var dbs []*Database
	for _, db := range byName {
		slices.SortFunc(db.Schemas, byPath)
		slices.SortFunc(db.Queries, byPath)
		dbs = append(dbs, db)
	}
	slices.SortFunc(dbs, func(a, b *Database) int { return strings.Compare(a.Name, b.Name) })
	return dbs, problems
}

func byPath(a, b *File) int { return strings.Compare(a.Path, b.Path) }

const directiveKey = "DATABASE_NAME:"

// directive reads the DATABASE_NAME directive of the file's leading comment
// block. A directive anywhere else, two different ones, an invalid name, or
// a leading line that looks like the directive but is not one (lookalike)
// is an error: a silently ignored directive would put tables in the wrong
// database.
func directive(f *File) (string, diag.List) {
	var name string
	var problems diag.List
	leading, inBlock := true, false
	for i, line := range strings.Split(string(f.Data), "\n") {
		n := i + 1
		t := strings.TrimSpace(line)
		switch {
		case inBlock:
			inBlock = !strings.Contains(t, "*/")
			continue
		case t == "":
			continue
		case strings.HasPrefix(t, "/*"):
			inBlock = !strings.Contains(t[2:], "*/")
			continue
		case !strings.HasPrefix(t, "--"):
			leading = false
			continue
		}
		body := strings.TrimSpace(strings.TrimLeft(t, "-"))
		if !strings.HasPrefix(strings.ToUpper(body), directiveKey) || leading && !strings.HasPrefix(body, directiveKey) {
			if fix, ok := lookalike(body); ok && leading {
				problems = append(problems, diag.Errorf(f.Path, n, "%s", lookalikeMessage(t, fix)))
			}
			continue
		}
		value := strings.TrimSpace(body[len(directiveKey):])
		switch {
		case !leading:
			problems = append(problems, diag.Errorf(f.Path, n, "DATABASE_NAME must be in the comment block at the top of the file, before the first statement; move it there"))
		case config.CheckDatabaseName(value) != "":
			problems = append(problems, diag.Errorf(f.Path, n, "invalid database name %q: %s", value, config.CheckDatabaseName(value)))
		case name != "" && value != name:
			problems = append(problems, diag.Errorf(f.Path, n, "second DATABASE_NAME %q conflicts with %q at line %d; a file feeds exactly one database", value, name, f.DirectiveLine))
		case name == "":
			name, f.DirectiveLine = value, n
		}
	}
	return name, problems
}

// findModule returns the module path and folder of the nearest go.mod at or
// above dir.
func findModule(dir string) (modPath, modDir string, err error) {
	for d := dir; ; d = filepath.Dir(d) {
		data, err := userfile.Read(filepath.Join(d, "go.mod"))
		if err == nil {
			for _, line := range strings.Split(string(data), "\n") {
				fields := strings.Fields(line)
				if len(fields) >= 2 && fields[0] == "module" {
					return strings.Trim(fields[1], `"`), d, nil
				}
			}
			return "", "", fmt.Errorf("%s has no module line", filepath.Join(d, "go.mod"))
		}
		if !errors.Is(err, os.ErrNotExist) {
			return "", "", err
		}
		if filepath.Dir(d) == d {
			return "", "", fmt.Errorf("no go.mod at or above %s: dbgen writes Go packages into a Go module; run `go mod init <module path>` first", dir)
		}
	}
}
