package output

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/dbgen-dev/dbgen/generator/userfile"
)

// Change is what applying a set of generated files does to the disk.
type Change struct {
	Write  map[string][]byte // slash path under the output folder -> new content
	Remove []string          // files dbgen owns that are no longer generated
	// Foreign are files in the way of Write that dbgen did not write (see
	// Diff). Apply refuses to run while there are any: see ForeignError.
	Foreign []string
}

// Diff compares the wanted files with the disk: files whose content differs
// are written, files the old manifest owned and that are no longer wanted are
// removed. removable lists those; old is the manifest on disk. A file to
// overwrite must be dbgen's: listed in old or starting with its header
// (or sqlc's); any other is the user's and goes to Foreign.
func Diff(dir string, want map[string][]byte, old *Manifest, removable []string) (*Change, error) {
	c := &Change{Write: map[string][]byte{}}
	for _, name := range sortedKeys(want) {
		data := want[name]
		if len(data) > MaxFileSize {
			return nil, fmt.Errorf("%s would be %s; dbgen writes files of at most %d MiB: move large values (a DEFAULT, a CHECK) out of the schema",
				filepath.Join(dir, filepath.FromSlash(name)), userfile.MiB(int64(len(data))), MaxFileSize>>20)
		}
		full := filepath.Join(dir, filepath.FromSlash(name))
		onDisk, err := userfile.ReadMax(full, MaxFileSize)
		switch {
		case errors.Is(err, os.ErrNotExist):
			c.Write[name] = data
			continue
		case userfile.IsError(err):
			// A folder, a FIFO that a read would block on, a link to
			// /dev/zero, or a file larger than dbgen ever writes: not
			// dbgen's, whatever the manifest says.
			c.Foreign = append(c.Foreign, name)
			continue
		case err != nil:
			return nil, err
		}
		switch {
		case bytes.Equal(onDisk, data):
		case old.Owns(name) || generated(onDisk):
			c.Write[name] = data
		default:
			c.Foreign = append(c.Foreign, name)
		}
	}
	for _, name := range removable {
		if _, ok := want[name]; ok {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(name))); err == nil {
			c.Remove = append(c.Remove, name)
		}
	}
	slices.Sort(c.Remove)
	return c, nil
}

// MaxFileSize is the largest file dbgen writes in, and reads from, the
// output folder: 64 MiB. Its inputs are at most userfile.MaxSize each, but
// dbgen.go holds a database's DDL, from all of its schema files, twice.
const MaxFileSize = 64 << 20

// ReadFile reads a file of the output folder through userfile.ReadMax: a
// regular file (or a link to one) of at most MaxFileSize bytes. A FIFO
// there would block the read forever, a link to /dev/zero fill the memory.
// A missing file is the fs.ErrNotExist of os.Stat.
func ReadFile(path string) ([]byte, error) {
	data, err := userfile.ReadMax(path, MaxFileSize)
	if userfile.IsError(err) {
		return nil, fmt.Errorf("%w; remove it (generate writes it again)", err)
	}
	return data, err
}

// Empty reports whether the change touches nothing.
func (c *Change) Empty() bool { return len(c.Write) == 0 && len(c.Remove) == 0 }

// Apply writes and removes files; folders left empty by removals are
// removed too.
func (c *Change) Apply(dir string) error {
	if len(c.Foreign) > 0 {
		return fmt.Errorf("%s: not written by dbgen; nothing written", c.Foreign[0])
	}
	// The manifest goes last: an interrupted run then still lists the files
	// it was about to remove, and the next run removes them.
	for _, name := range sortedKeys(c.Write) {
		if name == ManifestName {
			continue
		}
		if err := writeFile(filepath.Join(dir, filepath.FromSlash(name)), c.Write[name]); err != nil {
			return err
		}
	}
	for _, name := range c.Remove {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		for d := filepath.Dir(path); d != dir && len(d) > len(dir); d = filepath.Dir(d) {
			if os.Remove(d) != nil { // fails unless empty: exactly what we want
				break
			}
		}
	}
	if data, ok := c.Write[ManifestName]; ok {
		return writeFile(filepath.Join(dir, ManifestName), data)
	}
	return nil
}

// writeFile writes through a temporary name and a rename, so an interrupted
// run never leaves a half-written file.
func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".dbgen-tmp"
	// Whatever is there is a leftover of an interrupted run, or a link that
	// a write would follow: removed, and the new file made exclusively.
	if err := os.Remove(tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
