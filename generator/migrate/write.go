package migrate

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	atlas "ariga.io/atlas/sql/migrate"
)

// Write writes the files of a planned migration under dir. Migrations are
// append-only: it refuses to overwrite an existing migration or down
// script, and writes nothing then. Only the atlas.sum files are replaced.
func Write(dir string, r *PlanResult) error {
	for _, f := range r.Files {
		if rel, err := filepath.Rel(dir, f.Path); err != nil || !filepath.IsLocal(rel) {
			return fmt.Errorf("write %s: not inside the migrations directory %s", f.Path, dir)
		}
		if filepath.Base(f.Path) == atlas.HashFileName {
			continue
		}
		if _, err := os.Stat(f.Path); !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("write %s: the migration exists already; migrations are never rewritten", f.Path)
		}
	}
	for _, f := range r.Files {
		if err := os.MkdirAll(filepath.Dir(f.Path), 0o755); err != nil {
			return fmt.Errorf("write %s: %w", f.Path, err)
		}
		if err := os.WriteFile(f.Path, f.Data, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", f.Path, err)
		}
	}
	return nil
}
