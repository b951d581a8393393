package codegen

import (
	"bytes"
	"context"
	"go/format"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dbgen-dev/dbgen/generator/config"
	"github.com/dbgen-dev/dbgen/generator/discover"
	"github.com/dbgen-dev/dbgen/generator/load"
	"github.com/dbgen-dev/dbgen/templates"
)

// TestTemplatesWriteGofmtedGo renders the preformatted templates over the
// example application and every golden case, without gofmt, and checks
// that gofmt would change nothing: generate relies on it to skip formatting.
func TestTemplatesWriteGofmtedGo(t *testing.T) {
	roots, err := filepath.Glob("../testdata/golden/*/in")
	if err != nil {
		t.Fatal(err)
	}
	for _, root := range append(roots, "../..") {
		cfgRoot := root
		if filepath.Base(root) == "in" {
			cfgRoot = filepath.Dir(root)
		}
		cfg, err := config.Load(cfgRoot, "")
		if err != nil {
			t.Fatal(err)
		}
		p, err := discover.Run(cfgRoot, cfg)
		if err != nil {
			t.Fatal(err)
		}
		dbs, err := load.Run(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		n, tm := newNamer(cfg.InitialismSet()), newTypeMapper(cfg)
		for _, db := range dbs {
			m, problems := buildModel(db, n, tm, nil)
			if len(problems) > 0 {
				t.Fatal(problems)
			}
			m.imports(tm)
			m.align()
			for name := range preformatted {
				if !m.needs(name) || name == "queries.go.tmpl" {
					continue
				}
				var b bytes.Buffer
				if err := templates.Execute(&b, name, m); err != nil {
					t.Fatal(err)
				}
				want, err := format.Source(b.Bytes())
				if err != nil {
					t.Fatalf("%s of %s: %v", name, db.Name, err)
				}
				if diff := cmp.Diff(string(want), b.String()); diff != "" {
					t.Errorf("%s of %s (%s) is not as gofmt writes it (-gofmt +template):\n%s", name, db.Name, root, diff)
				}
			}
		}
	}
}
