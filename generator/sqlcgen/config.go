package sqlcgen

import (
	"encoding/json"
	"slices"
	"strings"
)

// config is sqlc's configuration file, version 2, in the subset dbgen uses.
// sqlc reads it as sqlc.json; JSON keeps this package free of a YAML
// dependency.
type config struct {
	Version string       `json:"version"`
	SQL     []sqlPackage `json:"sql"`
}

// sqlPackage is one `sql:` entry: one database.
type sqlPackage struct {
	Engine  string   `json:"engine"`
	Schema  []string `json:"schema"`
	Queries []string `json:"queries"`
	Gen     struct {
		Go   goOptions    `json:"go"`
		JSON *jsonOptions `json:"json,omitempty"`
	} `json:"gen"`
}

// goOptions are the sqlc-gen-go options dbgen sets.
type goOptions struct {
	Package string `json:"package"`
	Out     string `json:"out"`
	// The struct tags are the column names: dbgen's runtime scans by them.
	EmitDBTags   bool `json:"emit_db_tags"`
	EmitJSONTags bool `json:"emit_json_tags"`
	// Struct names are the singular of the table name (sqlc's default),
	// which dbgen's own models use too.
	EmitExactTableNames      bool              `json:"emit_exact_table_names"`
	EmitInterface            bool              `json:"emit_interface"`
	EmitPointersForNullTypes bool              `json:"emit_pointers_for_null_types"`
	Rename                   map[string]string `json:"rename,omitempty"`
	Overrides                []override        `json:"overrides,omitempty"`
	Initialisms              []string          `json:"initialisms,omitempty"`
}

// jsonOptions ask sqlc to also write its code generation request as JSON:
// what it knows of each query, the columns of its parameters included.
type jsonOptions struct {
	Out      string `json:"out"`
	Filename string `json:"filename"`
}

// requestFile is the name of that JSON file in a job's output folder.
const requestFile = "codegen_request.json"

type override struct {
	DBType   string `json:"db_type,omitempty"`
	Column   string `json:"column,omitempty"`
	GoType   string `json:"go_type"`
	Nullable bool   `json:"nullable,omitempty"`
}

// sqlPackageFor is the sqlc configuration of one job, whose files are at the
// given paths relative to the configuration file.
func sqlPackageFor(j *jobPlan, schema, queries []string, out string) sqlPackage {
	p := sqlPackage{Engine: j.engine(), Schema: schema, Queries: queries}
	p.Gen.JSON = &jsonOptions{Out: out, Filename: requestFile}
	p.Gen.Go = goOptions{
		Package:                  j.Package,
		Out:                      out,
		EmitDBTags:               true,
		EmitJSONTags:             true,
		EmitExactTableNames:      false,
		EmitPointersForNullTypes: j.Options.PointersForNull,
		Rename:                   j.Options.Rename,
		Overrides:                overrides(j.Options.Overrides),
		Initialisms:              j.Options.Initialisms,
	}
	return p
}

// overrides converts dbgen's overrides to sqlc's. sqlc matches db_type
// against the declared type exactly as written, so a DBType override is
// also given in lower and upper case: "uuid" then matches UUID columns.
func overrides(in []Override) []override {
	var out []override
	for _, o := range in {
		if o.Column != "" {
			out = append(out, override{Column: o.Column, GoType: o.GoType, Nullable: o.Nullable})
			continue
		}
		var spellings []string
		for _, s := range []string{o.DBType, strings.ToLower(o.DBType), strings.ToUpper(o.DBType)} {
			if !slices.Contains(spellings, s) {
				spellings = append(spellings, s)
			}
		}
		for _, s := range spellings {
			out = append(out, override{DBType: s, GoType: o.GoType, Nullable: o.Nullable})
		}
	}
	return out
}

func (c *config) marshal() ([]byte, error) {
	return json.MarshalIndent(c, "", "  ")
}
