package output

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReadManifestRejectsPathsOutsideTheFolder(t *testing.T) {
	for _, line := range []string{
		"0000 framework/../../precious.txt",
		"0000 ../precious.txt",
		"0000 /etc/passwd",
		"0000 framework/sub/deep.go",
		"database ../x abc 1",
		"database x abc notanumber",
		"database x abc 1 2",
		"database x abc 1 -2 0",
		"database x abc 1 2 three",
	} {
		dir := t.TempDir()
		content := "database framework abc 1\n" + line + "\n"
		if err := os.WriteFile(filepath.Join(dir, ManifestName), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadManifest(dir); err == nil || !strings.Contains(err.Error(), "malformed line") {
			t.Errorf("%q: err = %v, want a malformed line", line, err)
		}
	}
}

// TestReadOlderManifest: the manifest of a dbgen that counted views with
// the tables still reads.
func TestReadOlderManifest(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ManifestName), []byte("database a i1 3\nh1 a/models.go\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := &Entry{Inputs: "i1", Tables: 3, Files: map[string]string{"a/models.go": "h1"}}
	if diff := cmp.Diff(want, m.Databases["a"]); diff != "" {
		t.Errorf("entry (-want +got):\n%s", diff)
	}
}

func TestManifestRoundTripAndOrphans(t *testing.T) {
	dir := t.TempDir()
	old := &Manifest{
		Root: map[string]string{"registry.go": "r1"},
		Databases: map[string]*Entry{
			"a": {Inputs: "i1", Tables: 2, Views: 1, Queries: 3, Files: map[string]string{"a/models.go": "h1", "a/bulk.go": "h2"}},
			"b": {Inputs: "i2", Tables: 1, Files: map[string]string{"b/models.go": "h3"}},
		},
	}
	if err := os.WriteFile(filepath.Join(dir, ManifestName), old.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	read, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(old, read); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	next := &Manifest{
		Root:      map[string]string{"registry.go": "r2"},
		Databases: map[string]*Entry{"a": {Inputs: "i3", Files: map[string]string{"a/models.go": "h4"}}},
	}
	if diff := cmp.Diff([]string{"a/bulk.go", "b/models.go"}, old.Orphans(next)); diff != "" {
		t.Errorf("orphans (-want +got):\n%s", diff)
	}
}

func TestApplyWritesTheManifestLast(t *testing.T) {
	dir := t.TempDir()
	keep := filepath.Join(dir, "a", "notes.go")
	gone := filepath.Join(dir, "b", "models.go")
	for _, f := range []string{keep, gone} {
		os.MkdirAll(filepath.Dir(f), 0o755)
		os.WriteFile(f, []byte("x"), 0o644)
	}
	// The removal fails (a folder stands where a file was owned), so the new
	// manifest must not be written: the next run still knows the orphan.
	blocker := filepath.Join(dir, "c", "models.go")
	os.MkdirAll(filepath.Join(blocker, "inner"), 0o755)
	c := &Change{
		Write:  map[string][]byte{"a/models.go": []byte("new"), ManifestName: []byte("manifest")},
		Remove: []string{"b/models.go", "c/models.go"},
	}
	if err := c.Apply(dir); err == nil {
		t.Fatal("Apply removed a non-empty folder")
	}
	if _, err := os.Stat(filepath.Join(dir, ManifestName)); !os.IsNotExist(err) {
		t.Errorf("manifest written before the removals finished: %v", err)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("a file dbgen does not own was touched: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "b")); !os.IsNotExist(err) {
		t.Errorf("emptied folder b left behind: %v", err)
	}
}

// TestApplyNeverWritesThroughTheTemporaryName: the temporary file a write
// goes through is made anew, so a link left at its name is not followed.
func TestApplyNeverWritesThroughTheTemporaryName(t *testing.T) {
	dir, elsewhere := t.TempDir(), filepath.Join(t.TempDir(), "target")
	if err := os.Symlink(elsewhere, filepath.Join(dir, "registry.go.dbgen-tmp")); err != nil {
		t.Skip(err)
	}
	c := &Change{Write: map[string][]byte{"registry.go": []byte("new")}}
	if err := c.Apply(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(elsewhere); !os.IsNotExist(err) {
		t.Errorf("the write followed the link: %v", err)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "registry.go")); err != nil || string(data) != "new" {
		t.Errorf("registry.go = %q, %v", data, err)
	}
}
