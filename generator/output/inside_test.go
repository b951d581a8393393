package output

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestCheckInside(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	for _, tc := range []struct {
		name  string
		links map[string]string // link (under mod) -> target, as written
		dirs  []string          // folders to make first, under the test folder
		check []string
		want  []string // the paths the error names, in order; none when allowed
	}{
		{name: "real folders", dirs: []string{"mod/gen/shop"}, check: []string{"gen/shop/models.go", "gen/registry.go"}},
		{name: "nothing yet", check: []string{"gen/shop/models.go"}},
		{name: "out folder", links: map[string]string{"gen": "../outside"},
			check: []string{"gen", "gen/registry.go", "gen/shop/models.go"}, want: []string{"gen"}},
		{name: "absolute link", links: map[string]string{"gen": "$TMP/outside"},
			check: []string{"gen/registry.go"}, want: []string{"gen"}},
		{name: "folder in it", dirs: []string{"mod/gen", "outside/shop"}, links: map[string]string{"gen/shop": "../../outside/shop"},
			check: []string{"gen/registry.go", "gen/shop/models.go", "gen/shop/db.go"}, want: []string{"gen/shop"}},
		{name: "dangling folder", dirs: []string{"mod/gen"}, links: map[string]string{"gen/shop": "../../outside/new"},
			check: []string{"gen/shop/models.go"}, want: []string{"gen/shop"}},
		{name: "files", dirs: []string{"mod/gen/shop"}, links: map[string]string{
			"gen/shop/models.go": "../../../outside/models.go", // dangling: a write creates it
			"gen/shop/db.go":     "/etc/passwd",
		}, check: []string{"gen/shop/models.go", "gen/shop/db.go", "gen/shop/list.go"}, want: []string{"gen/shop/db.go", "gen/shop/models.go"}},
		{name: "chain leaving", dirs: []string{"mod/a"}, links: map[string]string{"gen": "a/b", "a/b": "../../outside"},
			check: []string{"gen/x.go"}, want: []string{"gen"}},
		{name: "through dot-dot of a link", dirs: []string{"mod/x/y", "outside/sub"}, links: map[string]string{
			"l":   "x/y",
			"gen": "l/../../../outside/sub", // l/.. is mod/x, not mod: one level less than it reads
		}, check: []string{"gen/f.go"}, want: []string{"gen"}},
		{name: "inside links", dirs: []string{"mod/internal/gen", "mod/shared"}, links: map[string]string{
			"gen":                       "internal/gen",
			"internal/gen/shop":         "../../shared",
			"internal/gen/registry.go":  "../../shared/registry.go",
			"internal/gen/back.go":      "../gen/../gen/back2.go",
			"internal/gen/dangling.go":  "nowhere/x.go",
			"internal/gen/absolute.go":  "$TMP/mod/shared/abs.go",
			"internal/gen/viaparent.go": "../../../mod/shared/p.go",
		}, check: []string{"gen/shop/models.go", "gen/registry.go", "gen/back.go", "gen/dangling.go", "gen/absolute.go", "gen/viaparent.go"}},
		{name: "loop", links: map[string]string{"gen": "gen2", "gen2": "gen"}, check: []string{"gen/x.go"}, want: []string{"error"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			mod := filepath.Join(tmp, "mod")
			for _, d := range append([]string{"mod", "outside"}, tc.dirs...) {
				if err := os.MkdirAll(filepath.Join(tmp, d), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			for link, target := range tc.links {
				if err := os.Symlink(strings.ReplaceAll(target, "$TMP", tmp), filepath.Join(mod, link)); err != nil {
					t.Fatal(err)
				}
			}
			err := CheckInside(mod, mod, tc.check...)
			switch {
			case len(tc.want) == 0 && err != nil:
				t.Fatalf("refused: %v", err)
			case len(tc.want) == 0:
			case err == nil:
				t.Fatalf("allowed, want %q refused", tc.want)
			case tc.want[0] == "error":
				if !strings.Contains(err.Error(), "too many levels") {
					t.Errorf("err = %v, want too many levels of links", err)
				}
			default:
				lines := strings.Split(err.Error(), "\n")
				if len(lines) != len(tc.want) {
					t.Fatalf("err = %v, want one line for each of %q", err, tc.want)
				}
				for i, want := range tc.want {
					if !strings.HasPrefix(lines[i], want+": a symbolic link to ") || !strings.Contains(lines[i], ", outside the module "+mod+";") {
						t.Errorf("line %d = %q, want %s named, with where it points", i, lines[i], want)
					}
				}
			}
		})
	}
}

// TestCheckInsideResolvesTheRoot: a module reached through a link is still
// the module (macOS's /tmp is one).
func TestCheckInsideResolvesTheRoot(t *testing.T) {
	tmp := t.TempDir()
	os.MkdirAll(filepath.Join(tmp, "real", "gen"), 0o755)
	if err := os.Symlink("real", filepath.Join(tmp, "mod")); err != nil {
		t.Skip(err)
	}
	mod := filepath.Join(tmp, "mod")
	if err := CheckInside(mod, mod, "gen/registry.go"); err != nil {
		t.Error(err)
	}
}
