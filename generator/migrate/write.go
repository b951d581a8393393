package migrate

import (
	"fmt"
	"os"
	"path/filepath"
)

// Write writes the files of a planned migration under dir. Migrations are
// append-only: it refuses to overwrite an existing migration or down
// script, and writes nothing then. Only the atlas.sum files are replaced.
func Write(dir string, r *PlanResult) error {
	if err := checkNew(dir, r); err != nil {
		return err
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
