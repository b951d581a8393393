package sqlcgen

import (
	"fmt"
	"go/token"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/dbgen-dev/dbgen/generator/diag"
)

// plan is the checked input of one sqlc run.
type plan struct {
	jobs  []jobPlan
	split bool // dbgen's own run, not the plain-sqlc baseline
}

type jobPlan struct {
	Job
	schema [][]byte // the schema's pieces, one per statement when split
	files  []filePlan
}

// filePlan is one queries file: where it came from, the Go file it becomes,
// and the pieces sqlc sees (see sqlText.pieces).
type filePlan struct {
	path   string
	out    string
	pieces [][]byte
}

// packageName is an ASCII Go identifier.
var packageName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// newPlan checks the jobs and, if split, splits their schemas and queries
// files. Query names defined twice in one package come back as an *Error
// naming both places.
func newPlan(jobs []Job, split bool) (*plan, error) {
	p := &plan{split: split}
	seen := map[string]bool{}
	var diags []Diagnostic
	for _, job := range jobs {
		switch {
		case !packageName.MatchString(job.Package) || token.IsKeyword(job.Package):
			return nil, fmt.Errorf("sqlc: %q is not a valid package name", job.Package)
		case job.engine() != EngineSQLite && job.engine() != EnginePostgreSQL:
			return nil, fmt.Errorf("sqlc: package %s: unknown engine %q", job.Package, job.Engine)
		case seen[job.Key()]:
			return nil, fmt.Errorf("sqlc: package %s is given twice", job.Key())
		}
		seen[job.Key()] = true
		for _, o := range job.Options.Overrides {
			if (o.DBType == "") == (o.Column == "") {
				return nil, fmt.Errorf("sqlc: package %s: an override needs either a db type or a column: %+v", job.Package, o)
			}
		}

		jp := jobPlan{Job: job, schema: [][]byte{[]byte(job.Schema)}}
		switch {
		case job.SchemaPieces != nil:
			jp.schema = nil
			for _, p := range job.SchemaPieces {
				jp.schema = append(jp.schema, []byte(p.SQL+";\n"))
			}
		case split:
			jp.schema = scanSQL([]byte(job.Schema)).statements()
		}
		defined := map[string]string{} // query name -> "path:line"
		outs := map[string]bool{}
		for _, f := range job.Queries {
			queries, problems := ReadQueries(f.Path, f.SQL)
			diags = append(diags, problems...)
			for _, q := range queries {
				here := f.Path + ":" + strconv.Itoa(q.Line)
				if first, ok := defined[q.Name]; ok {
					diags = append(diags, Diagnostic{Path: f.Path, Line: q.Line, Msg: fmt.Sprintf(
						"query %s is already defined at %s; rename it", q.Name, first)})
					continue
				}
				defined[q.Name] = here
			}
			text := scanSQL(scanSQL(f.SQL).asciiComments())
			pieces := [][]byte{text.src}
			if split {
				pieces = text.pieces()
			}
			jp.files = append(jp.files, filePlan{path: f.Path, out: outputName(f.Path, outs), pieces: pieces})
		}
		p.jobs = append(p.jobs, jp)
	}
	if len(diags) > 0 {
		l := diag.List(diags)
		l.Sort()
		return nil, &Error{Diagnostics: l}
	}
	return p, nil
}

var unsafeFileChars = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// outputName is the name of the Go file sqlc writes for a queries file: its
// base name with ".go" added, as sqlc does, made safe for a file name
// ("<crud>" gives "crud.sql.go") and made unique in the package by a number
// ("queries.sql.go", then "queries_2.sql.go").
func outputName(p string, taken map[string]bool) string {
	base := strings.TrimSuffix(path.Base(p), ".sql")
	base = strings.Trim(unsafeFileChars.ReplaceAllString(base, "_"), "_.")
	if base == "" {
		base = "queries"
	}
	name := base + ".sql.go"
	for i := 2; taken[name]; i++ {
		name = base + "_" + strconv.Itoa(i) + ".sql.go"
	}
	taken[name] = true
	return name
}
