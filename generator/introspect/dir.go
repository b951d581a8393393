package introspect

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/dbgen-dev/dbgen/generator/userfile"
	dbrt "github.com/dbgen-dev/dbgen/runtime"
)

// Skipped is a *.db file of a folder that Dir left out, and why.
type Skipped struct {
	File   string
	Reason string
}

// databaseName is the runtime's rule for a database name: the file is
// <name>.db and the name may appear in Go package paths and URLs.
var databaseName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Dir builds a Registry from every *.db file of dir, in name order. Files
// whose name the runtime would refuse are skipped and reported rather than
// failing the whole folder; a file that is not a SQLite database is an error.
func Dir(ctx context.Context, dir string) (dbrt.Registry, []Skipped, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	var reg dbrt.Registry
	var skipped []Skipped
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".db") {
			continue
		}
		if name := strings.TrimSuffix(e.Name(), ".db"); !databaseName.MatchString(name) {
			skipped = append(skipped, Skipped{File: e.Name(),
				Reason: fmt.Sprintf("%q is not a database name ([a-z][a-z0-9_]*); rename the file to serve it", name)})
			continue
		}
		// SQLite would wait forever for a writer to open a FIFO.
		var ue *userfile.Error
		if err := userfile.CheckRegular(filepath.Join(dir, e.Name())); errors.As(err, &ue) {
			skipped = append(skipped, Skipped{File: e.Name(), Reason: ue.What() + ", not a database file"})
			continue
		}
		def, err := File(ctx, filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, skipped, err
		}
		reg = append(reg, def)
	}
	slices.SortFunc(reg, func(a, b *dbrt.Definition) int { return strings.Compare(a.Name, b.Name) })
	return reg, skipped, nil
}
