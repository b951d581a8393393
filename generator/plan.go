package generator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dbgen-dev/dbgen/generator/codegen"
	"github.com/dbgen-dev/dbgen/generator/config"
	"github.com/dbgen-dev/dbgen/generator/diag"
	"github.com/dbgen-dev/dbgen/generator/discover"
	"github.com/dbgen-dev/dbgen/generator/load"
	"github.com/dbgen-dev/dbgen/generator/output"
)

// Plan is a generate run computed in memory: what would be written.
type Plan struct {
	Project *discover.Project
	Loaded  []*load.Database // nil when nothing needed loading
	// Postgres is every database on PostgreSQL when the postgres target
	// is on and anything needed loading; Packages are the packages
	// generated (the stale ones, or all with Force).
	Postgres map[string]*codegen.Postgres
	Packages []*codegen.Package
	Change   *output.Change
	Manifest *output.Manifest
	Result   Result
	OutDir   string
	stamp    string // the fingerprint of this build of dbgen

	// PostgresPrepared is set when the derived schemas and the module
	// queries were checked on a server (Options.DevURL).
	PostgresPrepared bool
}

// MakePlan runs the pipeline in memory. Databases whose inputs hash and
// files match the manifest are skipped unless opts.Force is set; all
// databases are still loaded when any changed, because validation crosses
// databases (foreign keys).
func MakePlan(ctx context.Context, opts Options) (*Plan, error) {
	p, err := Project(opts)
	if err != nil {
		return nil, err
	}
	outDir := filepath.Join(p.Root, p.Config.Out)
	out := filepath.ToSlash(filepath.Clean(p.Config.Out))
	// Before anything is read from it: the manifest there decides what is
	// removed.
	if err := output.CheckInside(p.GoModuleDir, p.Root, out); err != nil {
		return nil, err
	}
	if info, err := os.Stat(outDir); err == nil && !info.IsDir() {
		return nil, fmt.Errorf("output folder %s is a file; remove it or choose another with --out", p.Config.Out)
	}
	old, err := output.ReadManifest(outDir)
	if err != nil {
		return nil, err
	}
	fingerprint, err := toolFingerprint()
	if err != nil {
		return nil, err
	}
	dev, err := devURL(opts, p.Config)
	if err != nil {
		return nil, err
	}
	// A different build of dbgen may write different code from the same
	// inputs: it regenerates everything once (usually writing nothing).
	// The check on a server needs every database's queries.
	force := opts.Force || dev != "" || readStamp(outDir) != fingerprint
	plan := &Plan{Project: p, OutDir: outDir, Result: Result{Databases: len(p.Databases), Out: p.Config.Out}, stamp: fingerprint}
	next := &output.Manifest{Databases: map[string]*output.Entry{}, Root: map[string]string{}}
	want := map[string][]byte{}

	var stale []string
	migrations := map[string][]string{}
	for _, db := range p.Databases {
		migrations[db.Name] = migrationFiles(outDir, db.Name)
		inputs := inputsHash(p, db, migrations[db.Name])
		if e := old.Databases[db.Name]; !force && e != nil && e.Inputs == inputs && filesIntact(outDir, e.Files) {
			next.Databases[db.Name] = e
			plan.Result.Skipped++
			plan.Result.count(e)
			continue
		}
		next.Databases[db.Name] = &output.Entry{Inputs: inputs, Files: map[string]string{}}
		stale = append(stale, db.Name)
	}
	if len(stale) > 0 {
		loaded, err := load.Run(ctx, p)
		if err != nil {
			return nil, err
		}
		if err := checkOverrides(p, loaded); err != nil {
			return nil, err
		}
		plan.Loaded = loaded
		in := codegen.Inputs{Migrations: map[string]bool{}}
		if p.Config.Postgres() {
			if in.Postgres, err = derivePostgres(p, loaded, outDir); err != nil {
				return nil, err
			}
			plan.Postgres = in.Postgres
		}
		var todo []*load.Database
		for _, db := range loaded {
			if slices.Contains(stale, db.Name) {
				todo = append(todo, db)
			}
		}
		for _, db := range todo {
			// migrations/postgres is the PostgreSQL folder, not SQLite's.
			in.Migrations[db.Name] = slices.ContainsFunc(migrations[db.Name], func(name string) bool { return name != "postgres" })
		}
		pkgs, err := codegen.Generate(ctx, p.Config, todo, in)
		if err != nil {
			return nil, err
		}
		plan.Packages = pkgs
		if dev != "" {
			if err := checkOnServer(ctx, opts, dev, plan); err != nil {
				return nil, err
			}
		}
		for i, pkg := range pkgs {
			plan.Result.Warnings = append(plan.Result.Warnings, pkg.Warnings...)
			e := next.Databases[pkg.Name]
			countObjects(e, todo[i])
			plan.Result.count(e)
			for name, data := range pkg.Files {
				full := path.Join(pkg.Name, name)
				want[full] = data
				e.Files[full] = output.Hash(data)
			}
		}
	}

	var names []string
	for _, db := range p.Databases {
		names = append(names, db.Name)
	}
	registry, err := codegen.Registry(path.Base(filepath.ToSlash(p.Config.Out)), p.OutImportPath(), names)
	if err != nil {
		return nil, err
	}
	want["registry.go"] = registry
	next.Root["registry.go"] = output.Hash(registry)

	// Files of skipped databases are owned by both manifests and left alone.
	removable := old.Orphans(next)
	touched := []string{path.Join(out, output.ManifestName)}
	for _, name := range append(slices.Collect(maps.Keys(want)), removable...) {
		touched = append(touched, path.Join(out, name))
	}
	if err := output.CheckInside(p.GoModuleDir, p.Root, touched...); err != nil {
		return nil, err
	}
	change, err := output.Diff(outDir, want, old, removable)
	if err != nil {
		return nil, err
	}
	if len(change.Foreign) > 0 {
		return nil, output.ForeignError(outDir, out, change.Foreign)
	}
	manifest := next.Bytes()
	if oldBytes, err := output.ReadFile(filepath.Join(outDir, output.ManifestName)); err != nil || string(oldBytes) != string(manifest) {
		change.Write[output.ManifestName] = manifest
	}
	// An interrupt during the pipeline must not be followed by writes.
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	plan.Change, plan.Manifest = change, next
	for name := range change.Write {
		plan.Result.Written = append(plan.Result.Written, name)
	}
	slices.Sort(plan.Result.Written)
	plan.Result.Removed = change.Remove
	return plan, nil
}

// checkOverrides reports column overrides of dbgen.yaml that name no
// column: a typo would otherwise change nothing, silently.
func checkOverrides(p *discover.Project, dbs []*load.Database) error {
	var problems diag.List
	for _, o := range p.Config.Overrides {
		if o.Column == "" {
			continue
		}
		table, column, _ := strings.Cut(o.Column, ".")
		found := false
		for _, db := range dbs {
			for i := range db.Tables {
				if strings.EqualFold(db.Tables[i].Name, table) && db.Tables[i].Column(column) != nil {
					found = true
				}
			}
		}
		if !found {
			path := p.Config.Path
			if rel, err := filepath.Rel(p.Root, path); err == nil {
				path = filepath.ToSlash(rel)
			}
			problems = append(problems, diag.Errorf(path, o.Line, "override of column %s: no table has that column; check the spelling (table.column)", o.Column))
		}
	}
	return problems.Err()
}

// Stale lists the generated files that differ from the disk (to write) and
// those to remove, leaving out the manifest: its input hashes name the build
// of dbgen that wrote it, which is not what a staleness check is about.
func (p *Plan) Stale() (write, remove []string) {
	for _, name := range p.Result.Written {
		if name != output.ManifestName {
			write = append(write, name)
		}
	}
	return write, p.Result.Removed
}

// migrationFiles lists the migrations folder of a database: the package
// embeds it when there is one, so its presence is an input of generate.
func migrationFiles(outDir, db string) []string {
	entries, err := os.ReadDir(filepath.Join(outDir, db, "migrations"))
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// filesIntact reports whether every file of a manifest entry is on disk with
// the recorded content.
func filesIntact(outDir string, files map[string]string) bool {
	for name, hash := range files {
		data, err := output.ReadFile(filepath.Join(outDir, filepath.FromSlash(name)))
		if err != nil || output.Hash(data) != hash {
			return false
		}
	}
	return len(files) > 0
}

// inputsHash covers everything a database's package is generated from.
// It leaves out which build of dbgen runs (see readStamp), so that the
// manifest, which is committed, is the same whoever generates.
func inputsHash(p *discover.Project, db *discover.Database, migrations []string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%#v\x00%q\x00", p.OutImportPath(), configKey(p.Config), migrations)
	for _, files := range [][]*discover.File{db.Schemas, db.Queries, db.PostgresSchemas, db.PostgresQueries} {
		for _, f := range files {
			fmt.Fprintf(h, "%s\x00%d\x00", f.Path, len(f.Data))
			h.Write(f.Data)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

func configKey(c config.Config) config.Config {
	c.Path = ""
	return c
}
