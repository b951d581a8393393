package migrate

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	atlas "ariga.io/atlas/sql/migrate"

	"github.com/dbgen-dev/dbgen/generator/userfile"
	rtmigrate "github.com/dbgen-dev/dbgen/runtime/migrate"
)

// migDir is a migrations directory on disk, read with Atlas's own reader.
type migDir struct {
	path  string
	ups   []atlas.File          // in version order
	downs map[string]atlas.File // by the name of their up file
}

// readDir reads the migrations directory at path; a missing directory has
// no migrations.
func readDir(path string) (*migDir, error) {
	d := &migDir{path: path, downs: make(map[string]atlas.File)}
	ups, err := localFiles(path)
	if err != nil {
		return nil, err
	}
	downs, err := localFiles(filepath.Join(path, rtmigrate.DownDir))
	if err != nil {
		return nil, err
	}
	d.ups = ups
	for _, f := range downs {
		d.downs[f.Name()] = f
	}
	return d, nil
}

func localFiles(path string) ([]atlas.File, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err := checkFiles(path); err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	dir, err := atlas.NewLocalDir(path)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	files, err := dir.Files()
	if err != nil {
		return nil, fmt.Errorf("read migrations %s: %w", path, err)
	}
	return files, nil
}

// checkFiles refuses a migration file or atlas.sum of the folder at path
// that is not a regular file within userfile.MaxSize, before Atlas reads
// them all: a FIFO would block it forever.
func checkFiles(path string) error {
	entries, err := os.ReadDir(path)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() == atlas.HashFileName || filepath.Ext(e.Name()) == ".sql" {
			if err := userfile.Check(filepath.Join(path, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// file returns the path of a file of d, for findings.
func (d *migDir) file(name string) string { return filepath.Join(d.path, name) }

// downName returns the path of the down script of the up file name, relative
// to the migrations directory.
func downName(name string) string { return filepath.Join(rtmigrate.DownDir, name) }

// checkSums validates both atlas.sum files of d with Atlas. opts.Shipped
// tells the migrations that were shipped (nil is all of them); a file that
// opts.Diverged reports is left to the caller (see VerifyOptions).
func (d *migDir) checkSums(opts VerifyOptions) []Finding {
	var findings []Finding
	for _, sub := range []string{"", rtmigrate.DownDir} {
		path := filepath.Join(d.path, sub)
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		dir, err := atlas.NewLocalDir(path)
		if err == nil {
			err = atlas.Validate(dir)
		}
		var ce *atlas.ChecksumError
		if errors.As(err, &ce) && opts.Diverged != nil && ce.Reason != atlas.ReasonAdded &&
			opts.Diverged(filepath.ToSlash(filepath.Join(sub, ce.File))) {
			continue
		}
		if err != nil {
			findings = append(findings, sumFinding(d, sub, err, opts.Shipped))
		}
	}
	return findings
}

// sumFinding explains an Atlas checksum error of the folder sub of d. A
// migration that was shipped is history: an edit or a deletion is undone.
// One that was not (only on a branch, or not even committed) can still
// change: the fix is to record it in atlas.sum.
func sumFinding(d *migDir, sub string, err error, shipped func(name string) bool) Finding {
	sum := d.file(filepath.Join(sub, atlas.HashFileName))
	f := Finding{File: sum, Code: CodeSum, Severity: SeverityError}
	var ce *atlas.ChecksumError
	switch {
	case errors.As(err, &ce):
		name := d.file(filepath.Join(sub, ce.File))
		unshipped := shipped != nil && !shipped(ce.File)
		switch {
		case ce.Reason == atlas.ReasonEdited && unshipped:
			f.File, f.Message = name, "edited after atlas.sum was written; it was never shipped (not on the base revision), "+
				"so the edit may stand: run dbgen migrate hash to record it"
		case ce.Reason == atlas.ReasonEdited:
			f.File, f.Message = name, "edited after atlas.sum was written: migrations are append-only; "+
				"restore the file (git checkout) and put the change in a new migration with dbgen migrate diff"
		case ce.Reason == atlas.ReasonRemoved && unshipped:
			f.Line, f.Message = ce.Line, fmt.Sprintf("%s is listed but missing; it was never shipped (not on the base revision), "+
				"so it may go: run dbgen migrate hash to take it out", ce.File)
		case ce.Reason == atlas.ReasonRemoved:
			f.Line, f.Message = ce.Line, fmt.Sprintf("%s is listed but missing: it was deleted or renamed; "+
				"migrations are append-only, restore it (git checkout)", ce.File)
		default:
			f.File, f.Message = name, "not listed in atlas.sum: it was added or renamed by hand; "+
				"remove it and write migrations with dbgen migrate diff"
		}
	case errors.Is(err, atlas.ErrChecksumNotFound):
		f.Message = "missing, but the directory has migrations: write migrations with dbgen migrate diff, which writes it"
	case errors.Is(err, atlas.ErrChecksumMismatch), errors.Is(err, atlas.ErrChecksumFormat):
		f.Line, f.Message = 1, "edited by hand: its lines do not add up; restore it (git checkout)"
	default:
		f.Message = err.Error()
	}
	return f
}

// sumFile returns the atlas.sum of files.
func sumFile(files []atlas.File) ([]byte, error) {
	sum, err := atlas.NewHashFile(files)
	if err != nil {
		return nil, err
	}
	return sum.MarshalText()
}
