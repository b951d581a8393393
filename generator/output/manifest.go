// Package output writes generated files into the output folder and keeps
// track of which files dbgen owns, in a manifest (dbgen.sum), so that a
// second run writes nothing, files of removed tables and databases are
// deleted, and files dbgen did not write are never touched.
package output

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// ManifestName is the manifest file at the root of the output folder.
const ManifestName = "dbgen.sum"

// Manifest records, for every database, the hash of its inputs and the files
// generated from them, with their content hashes.
type Manifest struct {
	Databases map[string]*Entry
	Root      map[string]string // files at the output root (the registry) -> hash
}

// Entry is one database in the manifest.
type Entry struct {
	Inputs string // hash of everything the package is generated from
	// Tables (virtual ones included), Views and Queries (the module's
	// own) count for the summary of runs that skip the database.
	Tables, Views, Queries int
	Files                  map[string]string // slash path under the output folder -> content hash
}

// Hash is the content hash used in the manifest.
func Hash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// ReadManifest reads the manifest in dir; a missing one is empty.
func ReadManifest(dir string) (*Manifest, error) {
	m := &Manifest{Databases: map[string]*Entry{}, Root: map[string]string{}}
	data, err := ReadFile(filepath.Join(dir, ManifestName))
	if os.IsNotExist(err) {
		return m, nil
	}
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, len(data)+1) // a line as long as the file is read whole, then refused as malformed
	n := 1
	for ; sc.Scan(); n++ {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 0 || strings.HasPrefix(f[0], "#"):
		case f[0] == "database" && (len(f) == 4 || len(f) == 6):
			// database NAME INPUTS TABLES VIEWS QUERIES; a manifest of an
			// older dbgen has only TABLES (views included), and the new
			// build regenerates everything once anyway.
			counts := make([]int, 3)
			bad := !filepath.IsLocal(f[1]) || strings.ContainsAny(f[1], `/\`)
			for i, v := range f[3:] {
				var err error
				if counts[i], err = strconv.Atoi(v); err != nil || counts[i] < 0 {
					bad = true
				}
			}
			if bad {
				return nil, malformed(dir, n)
			}
			m.Databases[f[1]] = &Entry{Inputs: f[2], Tables: counts[0], Views: counts[1], Queries: counts[2], Files: map[string]string{}}
		case len(f) == 2 && !owned(f[1]):
			// Never trust a path that leaves the output folder: the
			// manifest decides what generate deletes.
			return nil, malformed(dir, n)
		case len(f) == 2 && !strings.Contains(f[1], "/"):
			m.Root[f[1]] = f[0]
		case len(f) == 2:
			db := f[1][:strings.IndexByte(f[1], '/')]
			if e := m.Databases[db]; e != nil {
				e.Files[f[1]] = f[0]
				continue
			}
			fallthrough
		default:
			return nil, malformed(dir, n)
		}
	}
	if sc.Err() != nil {
		return nil, malformed(dir, n)
	}
	return m, nil
}

func malformed(dir string, line int) error {
	return fmt.Errorf("%s:%d: malformed line; delete the file and run dbgen generate again", filepath.Join(dir, ManifestName), line)
}

// owned reports whether a manifest path is one dbgen can have written: a
// local, clean slash path of at most two elements (file, or db/file).
func owned(name string) bool {
	return filepath.IsLocal(name) && path.Clean(name) == name && strings.Count(name, "/") <= 1 && !strings.Contains(name, `\`)
}

// Orphans lists the files m owns and next does not: what a run that writes
// next must remove.
func (m *Manifest) Orphans(next *Manifest) []string {
	owned := map[string]bool{}
	for name := range next.Root {
		owned[name] = true
	}
	for _, e := range next.Databases {
		for name := range e.Files {
			owned[name] = true
		}
	}
	var orphans []string
	for name := range m.Root {
		if !owned[name] {
			orphans = append(orphans, name)
		}
	}
	for _, e := range m.Databases {
		for name := range e.Files {
			if !owned[name] {
				orphans = append(orphans, name)
			}
		}
	}
	slices.Sort(orphans)
	return orphans
}

// Bytes renders the manifest deterministically.
func (m *Manifest) Bytes() []byte {
	var b strings.Builder
	b.WriteString("# Written by dbgen generate: the files it owns in this folder. Do not edit.\n")
	for _, name := range sortedKeys(m.Root) {
		fmt.Fprintf(&b, "%s %s\n", m.Root[name], name)
	}
	for _, db := range sortedKeys(m.Databases) {
		e := m.Databases[db]
		fmt.Fprintf(&b, "database %s %s %d %d %d\n", db, e.Inputs, e.Tables, e.Views, e.Queries)
		for _, name := range sortedKeys(e.Files) {
			fmt.Fprintf(&b, "%s %s\n", e.Files[name], name)
		}
	}
	return []byte(b.String())
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
