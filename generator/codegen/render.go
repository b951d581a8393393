package codegen

import (
	"bytes"
	"errors"
	"fmt"
	"go/format"
	"go/parser"
	"go/token"
	"maps"
	"path"
	"runtime"
	"strings"
	"sync"

	"github.com/dbgen-dev/dbgen/templates"
)

// renderJob is one file of one package to render.
type renderJob struct {
	pkg      *Package
	model    *dbModel
	template string
	out      []byte
	decls    []string
}

// renderAll renders the files on every core: formatting the Go source is
// most of a large generate's time.
func renderAll(jobs []renderJob) error {
	errs := make([]error, len(jobs))
	work := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range work {
				j := &jobs[i]
				j.out, j.decls, errs[i] = renderDecls(j.template, j.model, preformatted[j.template] && j.model.ascii)
				if errs[i] != nil {
					errs[i] = fmt.Errorf("database %s: %w", j.model.Name, errs[i])
				}
			}
		})
	}
	for i := range jobs {
		work <- i
	}
	close(work)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for _, j := range jobs {
		name := strings.TrimSuffix(j.template, ".tmpl")
		j.pkg.Files[name] = j.out
		j.pkg.decls[name] = j.decls
	}
	for _, j := range jobs {
		if err := checkDeclarations(j.pkg.Name, j.pkg.decls); err != nil {
			return err
		}
	}
	return nil
}

// needs reports whether the package has anything for a template to write.
func (m *dbModel) needs(template string) bool {
	switch template {
	case "migrations.go.tmpl":
		return m.Migrations || m.Postgres != nil && m.Postgres.Migrations
	case "queries.go.tmpl":
		return len(m.Queries) > 0
	case "bulk.go.tmpl", "tables.go.tmpl":
		for _, t := range m.Tables {
			if !t.ReadOnly || template == "tables.go.tmpl" {
				return true
			}
		}
		return false
	case "list.go.tmpl", "models.go.tmpl":
		return len(m.Tables) > 0
	}
	return true
}

// imports works out the import lines of each file from the Go types it
// writes.
func (m *dbModel) imports(tm *typeMapper) {
	var models, tables, list, bulk []string
	for _, t := range m.Tables {
		for _, f := range t.Fields {
			models = append(models, f.Type)
			list = append(list, f.Value)
		}
		for _, ps := range []*paramsModel{t.Create, t.Set} {
			if ps != nil {
				for _, f := range ps.Fields {
					models = append(models, f.Type)
				}
			}
		}
		if t.Key != nil {
			tables = append(tables, t.Key.Params)
			bulk = append(bulk, t.Key.Result)
			for _, f := range t.Key.Fields {
				models = append(models, f.Type)
			}
		}
		for _, u := range t.Uniques {
			tables = append(tables, u.Params)
		}
	}
	// The files of the handle's methods always use context and the runtime.
	fixed := []string{"context.Context", "dbrt.Executor"}
	m.Imports["models.go.tmpl"] = importsFor(models, tm.known)
	m.Imports["tables.go.tmpl"] = importsFor(append(tables, fixed...), tm.known)
	m.Imports["list.go.tmpl"] = importsFor(append(list, "dbrt.Col"), tm.known)
	m.Imports["bulk.go.tmpl"] = importsFor(append(bulk, fixed...), tm.known)
	if len(m.Queries) > 0 {
		known := maps.Clone(m.sqlcImports)
		maps.Copy(known, tm.known)
		m.Imports["queries.go.tmpl"] = importsFor(append(queryTypes(m.Queries), fixed...), known)
	}
}

// Registry renders the package at the root of the output folder that lists
// every database, for runtime.OpenManager.
func Registry(pkgName, outImport string, dbNames []string) ([]byte, error) {
	type entry struct{ Name, Import string }
	data := struct {
		Package, Runtime string
		Databases        []entry
	}{Package: pkgName, Runtime: RuntimeImport}
	for _, name := range dbNames {
		data.Databases = append(data.Databases, entry{Name: name, Import: path.Join(outImport, name)})
	}
	return render(templates.Registry, data)
}

func render(name string, data any) ([]byte, error) {
	src, _, err := renderDecls(name, data, false)
	return src, err
}

// renderDecls renders a template into gofmt'd Go, formatting it unless the
// template writes it formatted already (see align.go), and lists what the
// file declares.
func renderDecls(name string, data any, formatted bool) ([]byte, []string, error) {
	var b bytes.Buffer
	if err := templates.Execute(&b, name, data); err != nil {
		return nil, nil, fmt.Errorf("template %s: %w", name, err)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, b.Bytes(), parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, nil, fmt.Errorf("template %s produced invalid Go: %w", name, err)
	}
	if formatted {
		return b.Bytes(), declarations(f), nil
	}
	var out bytes.Buffer
	if err := format.Node(&out, fset, f); err != nil {
		return nil, nil, fmt.Errorf("template %s produced invalid Go: %w", name, err)
	}
	return out.Bytes(), declarations(f), nil
}
