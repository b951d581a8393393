package migrate

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// DownDir is the folder of the down scripts inside a migrations directory.
const DownDir = "down"

// Migration identifies one migration file.
type Migration struct {
	Version     string // the file name up to the first "_", a UTC timestamp for planned files
	Description string // the rest of the name, without ".sql"
	File        string // the file name, e.g. "20250102150405_add_users.sql"
}

type file struct {
	name string // path inside the migrations directory
	data []byte
}

// migration is an up file of a directory and its down script.
type migration struct {
	Migration
	up       *file
	down     *file  // nil when the directory has none
	checksum string // of up, as recorded in the revisions table
}

// source is a verified migrations directory.
type source struct {
	migrations []*migration // in version order
}

// load reads the migrations of fsys and verifies them against both
// atlas.sum files.
func load(fsys fs.FS) (*source, error) {
	if fsys == nil {
		return &source{}, nil
	}
	ups, err := readFiles(fsys, ".")
	if err != nil {
		return nil, err
	}
	downs, err := readFiles(fsys, DownDir)
	if err != nil {
		return nil, err
	}
	if err := verifySum(fsys, ".", ups); err != nil {
		return nil, err
	}
	if err := verifySum(fsys, DownDir, downs); err != nil {
		return nil, err
	}
	src := &source{}
	byName := make(map[string]*migration, len(ups))
	for _, f := range ups {
		version, desc, _ := strings.Cut(strings.TrimSuffix(f.name, ".sql"), "_")
		if i := src.index(version); i >= 0 {
			return nil, fileError(f.name, "version %s is also the version of %s: give one of them a new version",
				version, src.migrations[i].File)
		}
		sum := sha256.Sum256(f.data)
		m := &migration{
			Migration: Migration{Version: version, Description: desc, File: f.name},
			up:        f,
			checksum:  hex.EncodeToString(sum[:]),
		}
		src.migrations = append(src.migrations, m)
		byName[f.name] = m
	}
	for _, f := range downs {
		m, ok := byName[path.Base(f.name)]
		if !ok {
			return nil, fileError(f.name, "down script without a migration %s: remove it", path.Base(f.name))
		}
		m.down = f
	}
	return src, nil
}

// readFiles returns the *.sql files of folder dir, in name order as Atlas
// orders them.
func readFiles(fsys fs.FS, dir string) ([]*file, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.sql"))
	if err != nil {
		return nil, fileError(dir, "%w", err)
	}
	slices.Sort(names)
	files := make([]*file, 0, len(names))
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fileError(name, "%w", err)
		}
		files = append(files, &file{name: name, data: data})
	}
	return files, nil
}

// index returns the position of version in s, or -1.
func (s *source) index(version string) int {
	return slices.IndexFunc(s.migrations, func(m *migration) bool { return m.Version == version })
}

// check verifies that every recorded revision is a file of s with the same
// checksum, and returns the migrations not applied yet. A migration older
// than an applied one is refused rather than applied out of order: it would
// run on a schema it was not planned against.
func (s *source) check(applied []Revision) (pending []*migration, err error) {
	done := make(map[string]bool, len(applied))
	for _, r := range applied {
		i := s.index(r.Version)
		if i < 0 {
			return nil, fileError(SumFile, "the database has migration %s_%s.sql applied, which this directory lacks: "+
				"the database is newer than this program; run a build that has it", r.Version, r.Description)
		}
		if m := s.migrations[i]; m.checksum != r.Checksum {
			return nil, fileError(m.File, "changed since it was applied (checksum %.12s, recorded %.12s): "+
				"migrations are append-only; restore the applied file and plan a new migration", m.checksum, r.Checksum)
		}
		done[r.Version] = true
	}
	latest := s.latest(applied)
	for i, m := range s.migrations {
		if done[m.Version] {
			continue
		}
		if latest > i {
			return nil, fileError(m.File, "not applied, but the later migration %s is: "+
				"it was probably merged from another branch; plan it again so that it comes last",
				s.migrations[latest].File)
		}
		pending = append(pending, m)
	}
	return pending, nil
}

// latest returns the position in s of the latest applied revision, or -1.
func (s *source) latest(applied []Revision) int {
	last := -1
	for _, r := range applied {
		last = max(last, s.index(r.Version))
	}
	return last
}

// target returns the position of version in s, or -1 for Base.
func (s *source) target(version string) (int, error) {
	if version == Base {
		return -1, nil
	}
	if i := s.index(version); i >= 0 {
		return i, nil
	}
	return 0, fileError(SumFile, "no migration has version %q: pick a version of the directory, or %q for none", version, Base)
}
