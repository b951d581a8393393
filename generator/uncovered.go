package generator

import (
	"context"
	"os"
	"path/filepath"

	"github.com/dbgen-dev/dbgen/generator/migrate"
)

// Uncovered is a database whose schema files have changes that its
// migrations do not make: a migrate diff was forgotten.
type Uncovered struct {
	Database string
	Changes  []string // what a migration must still do, as dbgen check says it
	Err      error    // set when the migrations could not be compared with the schema files
}

// uncovered compares the migrations of each database loaded by the run that
// has any with its schema files. A run that loaded nothing changed nothing:
// what it would say, the run that wrote the files said.
func (p *Plan) uncovered(ctx context.Context) []Uncovered {
	var out []Uncovered
	for _, db := range p.Loaded {
		dir := filepath.Join(p.OutDir, db.Name, "migrations")
		if _, err := os.Stat(filepath.Join(dir, "atlas.sum")); err != nil {
			continue // no migrations yet: Open creates the schema from the DDL
		}
		changes, err := migrate.Uncovered(ctx, dir, db.DDL())
		if err != nil || len(changes) > 0 {
			out = append(out, Uncovered{Database: db.Name, Changes: changes, Err: err})
		}
	}
	return out
}
