package migrate

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// SumFile is the name of the integrity file of a migrations directory, as
// Atlas names it.
const SumFile = "atlas.sum"

// sumEntry is one line of an atlas.sum file after the first.
type sumEntry struct{ name, hash string }

// verifySum checks files, the *.sql files of folder dir in name order,
// against dir's atlas.sum. It reimplements Atlas's HashFile: the hash of each
// file chains the names and contents of all files up to it, and the first
// line hashes all the entries, so that an edit of atlas.sum itself shows.
func verifySum(fsys fs.FS, dir string, files []*file) error {
	sumPath := path.Join(dir, SumFile)
	data, err := fs.ReadFile(fsys, sumPath)
	switch {
	case errors.Is(err, fs.ErrNotExist) && len(files) == 0:
		return nil
	case errors.Is(err, fs.ErrNotExist):
		return fileError(sumPath, "missing: the directory has %d migration files but no integrity sum; "+
			"write migrations with dbgen migrate diff, which keeps %s up to date", len(files), SumFile)
	case err != nil:
		return fileError(sumPath, "%w", err)
	}
	total, entries, err := parseSum(string(data))
	if err != nil {
		return fileError(sumPath, "%w", err)
	}
	if total != sumOf(entries) {
		return fileError(sumPath, "its first line does not match its entries: the file was edited by hand; "+
			"restore it from version control")
	}
	want := hashFiles(files)
	for i := range max(len(want), len(entries)) {
		switch {
		case i >= len(entries):
			return fileError(path.Join(dir, want[i].name), "not listed in %s: it was added by hand; "+
				"remove it, or write migrations with dbgen migrate diff", sumPath)
		case i >= len(want) || want[i].name != entries[i].name && !contains(want, entries[i].name):
			return fileError(path.Join(dir, entries[i].name), "listed in %s but missing: "+
				"migrations are append-only; restore the file from version control", sumPath)
		case want[i].name != entries[i].name:
			return fileError(path.Join(dir, want[i].name), "not listed in %s: it was added by hand; "+
				"remove it, or write migrations with dbgen migrate diff", sumPath)
		case want[i].hash != entries[i].hash:
			return fileError(path.Join(dir, want[i].name), "edited after %s was written: migrations are append-only; "+
				"restore it from version control and plan a new migration with dbgen migrate diff", sumPath)
		}
	}
	return nil
}

func contains(entries []sumEntry, name string) bool {
	for _, e := range entries {
		if e.name == name {
			return true
		}
	}
	return false
}

// parseSum reads the format "h1:<total>\n<name> h1:<hash>\n...".
func parseSum(s string) (total string, entries []sumEntry, err error) {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	total, ok := strings.CutPrefix(lines[0], "h1:")
	if !ok {
		return "", nil, errors.New("line 1: want h1:<sum>")
	}
	for i, l := range lines[1:] {
		name, hash, ok := strings.Cut(l, " h1:")
		if !ok {
			return "", nil, fmt.Errorf("line %d: want <file> h1:<sum>", i+2)
		}
		entries = append(entries, sumEntry{strings.TrimSpace(name), hash})
	}
	return total, entries, nil
}

// hashFiles returns the chained hash of each file, as Atlas's NewHashFile,
// which names files relative to their folder.
func hashFiles(files []*file) []sumEntry {
	h := sha256.New()
	entries := make([]sumEntry, 0, len(files))
	for _, f := range files {
		name := path.Base(f.name)
		h.Write([]byte(name))
		// Atlas leaves out the content of a file that opts out of the sum,
		// and its entry with it.
		if sumIgnored(f.data) {
			continue
		}
		h.Write(f.data)
		entries = append(entries, sumEntry{name, base64.StdEncoding.EncodeToString(h.Sum(nil))})
	}
	return entries
}

// sumOf returns the hash on the first line of atlas.sum.
func sumOf(entries []sumEntry) string {
	h := sha256.New()
	for _, e := range entries {
		h.Write([]byte(e.name))
		h.Write([]byte(e.hash))
	}
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// sumIgnored reports whether the first line of data holds Atlas's
// "atlas:sum ignore" directive.
func sumIgnored(data []byte) bool {
	first, _, _ := strings.Cut(string(data), "\n")
	_, arg, ok := strings.Cut(first, "atlas:sum")
	return ok && strings.TrimSpace(arg) == "ignore"
}
