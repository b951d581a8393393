// Package config reads dbgen.yaml, the optional project configuration, and
// merges it with defaults and command-line flags. Zero config must work: every
// field has a default that matches DESIGN.md.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/dbgen-dev/dbgen/generator/userfile"
)

// FileName is the configuration file looked up at the project root.
const FileName = "dbgen.yaml"

// Config is the resolved configuration of one run.
type Config struct {
	// Roots are the folders scanned for schema files, relative to the project root.
	Roots []string `yaml:"roots"`
	// SchemaGlobs and QueryGlobs match file base names.
	SchemaGlobs []string `yaml:"schema_globs"`
	QueryGlobs  []string `yaml:"query_globs"`
	// Out is the output folder, relative to the project root.
	Out string `yaml:"out"`
	// DefaultDatabase receives schema files without a DATABASE_NAME directive.
	DefaultDatabase string `yaml:"default_database"`
	// NullStyle is "sql" (sql.NullString, ...) or "pointer" (*string, ...).
	NullStyle string `yaml:"null_style"`
	// Initialisms change the words written in capitals in Go names: the
	// default is Go's own list (ID, URL, API, HTTP, JSON, UUID, ...; see
	// DefaultInitialisms); a word adds to it, "-word" takes one out.
	Initialisms []string `yaml:"initialisms"`
	// Overrides replace the Go type of a column or of a declared SQL type.
	Overrides []Override `yaml:"overrides"`
	// Targets are the engines the generated packages run on: sqlite always,
	// and postgres to derive the PostgreSQL schema, check the module queries
	// against it and embed both in the packages (see Postgres).
	Targets []string `yaml:"targets"`

	// Path is the file the configuration came from, "" when none.
	Path string `yaml:"-"`
}

// Override maps a column ("table.column") or a declared type ("uuid") to a Go type.
type Override struct {
	Column string `yaml:"column"`
	DBType string `yaml:"db_type"`
	// GoType is a builtin ("string") or an import path and type
	// ("github.com/google/uuid.UUID").
	GoType string `yaml:"go_type"`
	// Nullable, for db_type overrides, applies the override to nullable columns.
	Nullable bool `yaml:"nullable"`
	Line     int  `yaml:"-"`
}

// The engines a target may name.
const (
	TargetSQLite   = "sqlite"
	TargetPostgres = "postgres"
)

// knownTargets are the values of targets, in the order the messages list them.
var knownTargets = []string{TargetSQLite, TargetPostgres}

// Postgres reports whether the PostgreSQL target is on.
func (c Config) Postgres() bool { return slices.Contains(c.Targets, TargetPostgres) }

// DefaultInitialisms are the words Go writes in capitals in names, the list
// golint and staticcheck check names against.
var DefaultInitialisms = []string{
	"acl", "api", "ascii", "cpu", "css", "dns", "eof", "guid", "html", "http", "https", "id", "ip",
	"json", "lhs", "qps", "ram", "rhs", "rpc", "sla", "smtp", "sql", "ssh", "tcp", "tls", "ttl",
	"udp", "ui", "uid", "uuid", "uri", "url", "utf8", "vm", "xml", "xmpp", "xsrf", "xss",
}

// InitialismSet is the set of initialisms the configuration gives: Go's,
// with the configured words added and the "-word" ones taken out, in lower
// case.
func (c Config) InitialismSet() []string {
	set := map[string]bool{}
	for _, w := range DefaultInitialisms {
		set[w] = true
	}
	for _, w := range c.Initialisms {
		w = strings.ToLower(strings.TrimSpace(w))
		if rest, ok := strings.CutPrefix(w, "-"); ok {
			delete(set, rest)
		} else if w != "" {
			set[w] = true
		}
	}
	out := make([]string, 0, len(set))
	for w := range set {
		out = append(out, w)
	}
	slices.Sort(out)
	return out
}

// Default returns the configuration used when there is no dbgen.yaml.
func Default() Config {
	return Config{
		Roots:           []string{"."},
		SchemaGlobs:     []string{"schema.sql", "*.schema.sql"},
		QueryGlobs:      []string{"queries.sql", "*.queries.sql"},
		Out:             "gen",
		DefaultDatabase: "framework",
		NullStyle:       "sql",
		Targets:         []string{TargetSQLite},
	}
}

// databaseName is the pattern of a valid database name.
var databaseName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// CheckDatabaseName says what is wrong with a database name, "" when it is
// valid: it names a file, a Go package and an import in gen/registry.go.
func CheckDatabaseName(name string) string {
	switch {
	case !databaseName.MatchString(name):
		return "use lower-case letters, digits and _, starting with a letter"
	case token.IsKeyword(name):
		return "it is a Go keyword, which cannot name a package"
	case name == "main":
		return "a package main is a program, which cannot be imported"
	case name == "dbrt":
		return "generated code imports the runtime under that name"
	}
	return ""
}

// CheckOut says what is wrong with an output folder, "" when it is valid: a
// folder inside the project whose name can be the Go package of the registry.
func CheckOut(out string) string {
	base := filepath.Base(filepath.Clean(out))
	switch {
	case out == "":
		return "the output folder is empty; use e.g. gen"
	case !filepath.IsLocal(out) || filepath.Clean(out) == ".":
		return "the output folder must be a folder inside the project root, e.g. gen or internal/db"
	case !token.IsIdentifier(base) || token.IsKeyword(base) || strings.ToLower(base) != base:
		return fmt.Sprintf("its last element %q becomes the package name of registry.go in it: use lower-case letters, digits and _", base)
	}
	return ""
}

// Error is a problem in the configuration file, at a line when known.
type Error struct {
	Path string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// Load reads path (or root/dbgen.yaml when path is "") over the defaults.
// A missing default file is not an error; a missing explicit file is.
func Load(root, path string) (Config, error) {
	cfg := Default()
	explicit := path != ""
	if !explicit {
		path = filepath.Join(root, FileName)
	}
	data, err := userfile.Read(path)
	if errors.Is(err, os.ErrNotExist) && !explicit {
		return cfg, nil
	}
	display := displayPath(root, path)
	var ue *userfile.Error
	if errors.As(err, &ue) {
		return cfg, &Error{Path: display, Msg: ue.Problem()}
	}
	if err != nil {
		return cfg, fmt.Errorf("read config: %w", err)
	}
	cfg.Path = path
	lines, err := decode(data, &cfg)
	if err != nil {
		return cfg, &Error{Path: display, Line: yamlLine(err), Msg: yamlMessage(err)}
	}
	if err := cfg.validate(display, lines); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// keyLines are the lines of dbgen.yaml's keys and of the items of its lists,
// so that a bad value can be pointed at after decoding.
type keyLines struct {
	targets     int   // the targets key
	targetItems []int // each item of targets
}

func decode(data []byte, cfg *Config) (keyLines, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true) // a misspelt key is an error, not a silent default
	if err := dec.Decode(cfg); err != nil {
		if errors.Is(err, io.EOF) {
			return keyLines{}, nil // an empty file is the zero config
		}
		return keyLines{}, err
	}
	var node yaml.Node
	var lines keyLines
	if err := yaml.Unmarshal(data, &node); err == nil {
		lines = recordLines(&node, cfg)
	}
	return lines, nil
}

// recordLines keeps the line of each override, and returns those of the
// targets, so that a bad one can be pointed at after decoding.
func recordLines(doc *yaml.Node, cfg *Config) keyLines {
	var lines keyLines
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return lines
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		switch m.Content[i].Value {
		case "overrides":
			for j, item := range m.Content[i+1].Content {
				if j < len(cfg.Overrides) {
					cfg.Overrides[j].Line = item.Line
				}
			}
		case "targets":
			lines.targets = m.Content[i].Line
			for _, item := range m.Content[i+1].Content {
				lines.targetItems = append(lines.targetItems, item.Line)
			}
		}
	}
	return lines
}

// validateTargets checks the targets list: known engines, each once, sqlite
// among them.
func (c *Config) validateTargets(path string, lines keyLines) error {
	if len(c.Targets) == 0 {
		return &Error{Path: path, Line: lines.targets, Msg: "targets is empty; list the engines to generate for, e.g. targets: [sqlite, postgres]"}
	}
	seen := map[string]bool{}
	for i, t := range c.Targets {
		line := lines.targets
		if i < len(lines.targetItems) {
			line = lines.targetItems[i]
		}
		if !slices.Contains(knownTargets, t) {
			msg := fmt.Sprintf("unknown target %q; ", t)
			if best := closest(t, knownTargets); best != "" {
				msg += "did you mean " + best + "? The targets"
			} else {
				msg += "the targets"
			}
			return &Error{Path: path, Line: line, Msg: msg + " are " + strings.Join(knownTargets, " and ")}
		}
		if seen[t] {
			return &Error{Path: path, Line: line, Msg: fmt.Sprintf("target %s is listed twice", t)}
		}
		seen[t] = true
	}
	if !seen[TargetSQLite] {
		return &Error{Path: path, Line: lines.targets, Msg: "targets must include sqlite: the schema files are SQLite's and every package opens SQLite files; write targets: [sqlite, postgres]"}
	}
	return nil
}

func (c *Config) validate(path string, lines keyLines) error {
	if err := c.validateTargets(path, lines); err != nil {
		return err
	}
	if len(c.Roots) == 0 {
		return &Error{Path: path, Msg: "roots is empty; list at least one folder, e.g. roots: [\".\"]"}
	}
	if why := CheckOut(c.Out); why != "" {
		return &Error{Path: path, Msg: fmt.Sprintf("out %q: %s", c.Out, why)}
	}
	if why := CheckDatabaseName(c.DefaultDatabase); why != "" {
		return &Error{Path: path, Msg: fmt.Sprintf("default_database %q is not a valid database name: %s", c.DefaultDatabase, why)}
	}
	switch c.NullStyle {
	case "sql", "pointer":
	default:
		return &Error{Path: path, Msg: fmt.Sprintf("null_style %q is unknown; use \"sql\" or \"pointer\"", c.NullStyle)}
	}
	for _, g := range append(append([]string{}, c.SchemaGlobs...), c.QueryGlobs...) {
		if _, err := filepath.Match(g, "x"); err != nil || strings.ContainsRune(g, '/') {
			return &Error{Path: path, Msg: fmt.Sprintf("glob %q is invalid; globs match file names, e.g. \"*.schema.sql\"", g)}
		}
	}
	for _, o := range c.Overrides {
		switch {
		case o.GoType == "":
			return &Error{Path: path, Line: o.Line, Msg: "override without go_type"}
		case (o.Column == "") == (o.DBType == ""):
			return &Error{Path: path, Line: o.Line, Msg: "override needs exactly one of column (\"table.column\") or db_type"}
		case o.Column != "" && strings.Count(o.Column, ".") != 1:
			return &Error{Path: path, Line: o.Line, Msg: fmt.Sprintf("override column %q must be written table.column", o.Column)}
		}
		if _, err := ParseGoType(o.GoType); err != nil {
			return &Error{Path: path, Line: o.Line, Msg: err.Error()}
		}
	}
	return nil
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

func yamlLine(err error) int {
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		var n int
		fmt.Sscan(m[1], &n)
		return n
	}
	return 0
}

func yamlMessage(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n  ")
	msg, _, _ = strings.Cut(msg, "\n") // the first of several: the others are at their lines
	msg = yamlLineRE.ReplaceAllString(msg, "")
	msg = strings.TrimPrefix(strings.TrimSpace(msg), ": ")
	if m := unknownField.FindStringSubmatch(msg); m != nil {
		return unknownKeyMessage(m[1], m[2])
	}
	return msg
}

// unknownField is yaml.v3's message for a key KnownFields refuses.
var unknownField = regexp.MustCompile(`^field (\S+) not found in type config\.(\w+)$`)

// unknownKeyMessage says which key is unknown and, when one is close, which
// was meant: "unknown key root; did you mean roots?".
func unknownKeyMessage(key, typeName string) string {
	var keys []string
	var t reflect.Type
	switch typeName {
	case "Config":
		t = reflect.TypeFor[Config]()
	case "Override":
		t = reflect.TypeFor[Override]()
	}
	if t != nil {
		for i := range t.NumField() {
			if k, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); k != "" && k != "-" {
				keys = append(keys, k)
			}
		}
	}
	where := "dbgen.yaml"
	if typeName == "Override" {
		where = "an override"
	}
	msg := fmt.Sprintf("unknown key %s in %s", key, where)
	if best := closest(key, keys); best != "" {
		return msg + "; did you mean " + best + "?"
	}
	return msg + "; the keys are " + strings.Join(keys, ", ")
}

// closest is the word of words nearest to w (case aside) by at most two
// edits, "" when none is.
func closest(w string, words []string) string {
	best, bestDist := "", 3
	for _, k := range words {
		if d := editDistance(strings.ToLower(w), k); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

func displayPath(root, path string) string {
	if rel, err := filepath.Rel(root, path); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return path
}
