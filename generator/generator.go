// Package generator runs dbgen's pipeline: discover → load → codegen, then
// writes the output folder (output). Each stage is a package of its own; this
// one only wires them and decides what a run must redo.
package generator

import (
	"context"
	"fmt"
	"github.com/dbgen-dev/dbgen/generator/diag"

	"github.com/dbgen-dev/dbgen/generator/config"
	"github.com/dbgen-dev/dbgen/generator/discover"
	"github.com/dbgen-dev/dbgen/generator/load"
)

// Options select the project and the output folder.
type Options struct {
	Root       string // project root; "" is the current folder
	ConfigPath string // dbgen.yaml; "" looks for one at the root
	Out        string // overrides the configured output folder when set
	// Force regenerates every database, even those whose inputs did not change.
	Force bool
	// DevURL is a PostgreSQL server to check the postgres target on (the
	// derived schemas created, the module queries prepared, in scratch
	// schemas dropped afterwards); "" skips that check. DevURLSource says
	// where it comes from for messages: "--dev-url" or "DBGEN_DEV_URL".
	DevURL, DevURLSource string
}

// Result summarises a run.
type Result struct {
	Databases int
	// Tables (virtual tables included) and Views of every database, and
	// its module queries.
	Tables, Views, Queries int
	Skipped                int         // databases whose inputs and files were unchanged
	Written, Removed       []string    // slash paths under the output folder
	Out                    string      // the output folder, as configured
	Uncovered              []Uncovered // databases whose schema files changed without a migration
	// Warnings are what the databases generated in this run have that
	// works, but maybe not as the user thinks, at their lines.
	Warnings diag.List
}

// Project discovers the project without loading it.
func Project(opts Options) (*discover.Project, error) {
	root := opts.Root
	if root == "" {
		root = "."
	}
	cfg, err := config.Load(root, opts.ConfigPath)
	if err != nil {
		return nil, err
	}
	if opts.Out != "" {
		if why := config.CheckOut(opts.Out); why != "" {
			return nil, fmt.Errorf("--out %s: %s", opts.Out, why)
		}
		cfg.Out = opts.Out
	}
	return discover.Run(root, cfg)
}

// Generate runs the pipeline and writes the output folder.
func Generate(ctx context.Context, opts Options) (*Result, error) {
	p, err := MakePlan(ctx, opts)
	if err != nil {
		return nil, err
	}
	if err := p.Change.Apply(p.OutDir); err != nil {
		return nil, fmt.Errorf("write %s: %w", p.Result.Out, err)
	}
	writeStamp(p.OutDir, p.stamp)
	p.Result.Uncovered = p.uncovered(ctx)
	return &p.Result, nil
}

// Inspect discovers and loads the project without generating anything.
func Inspect(ctx context.Context, opts Options) ([]*load.Database, error) {
	p, err := Project(opts)
	if err != nil {
		return nil, err
	}
	return load.Run(ctx, p)
}
