package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/dbgen-dev/dbgen/generator/diag"
)

// maxLinks bounds the symbolic links followed for one path, as the kernel's
// ELOOP does, so that a loop of links is an error rather than a hang.
const maxLinks = 255

// CheckInside refuses to let dbgen write through a symbolic link that leaves
// the module: a repository checked out by CI may hold links aimed anywhere
// the runner can write. names are slash paths relative to base, each a
// folder or file dbgen is about to write or remove; every element of each is
// followed, the last one too, even when what it points to does not exist
// yet (writing a dangling link creates its target). A link that stays inside
// root is fine. The error names the first element of a path that leaves.
func CheckInside(root, base string, names ...string) error {
	realRoot, err := resolve(root)
	if err != nil {
		return err
	}
	var problems diag.List
	inside := map[string]bool{} // the prefixes already resolved
	names = slices.Clone(names)
	slices.Sort(names)
	for _, name := range names {
		prefix := ""
		for _, elem := range strings.Split(name, "/") {
			prefix = path.Join(prefix, elem)
			ok, seen := inside[prefix]
			if !seen {
				target, err := resolve(filepath.Join(base, filepath.FromSlash(prefix)))
				if err != nil {
					return err
				}
				ok = within(realRoot, target)
				inside[prefix] = ok
				if !ok {
					problems = append(problems, diag.Errorf(prefix, 0,
						"a symbolic link to %s, outside the module %s; dbgen writes only inside its module: replace the link with a real folder or file", target, realRoot))
				}
			}
			if !ok {
				break // what is under it is outside too: say it once
			}
		}
	}
	return problems.Err()
}

// within reports whether path is root or under it; both are resolved.
func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && (rel == "." || filepath.IsLocal(rel))
}

// resolve returns where a write to p lands: p made absolute with every
// symbolic link on the way followed, those of elements that do not exist
// kept as written. Unlike filepath.EvalSymlinks it does not fail on a path
// that does not exist yet, nor on a dangling link, which it follows.
func resolve(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	vol := filepath.VolumeName(abs)
	todo := strings.Split(filepath.ToSlash(abs[len(vol):]), "/")
	cur := vol + string(filepath.Separator)
	links := 0
	for len(todo) > 0 {
		elem := todo[0]
		todo = todo[1:]
		switch elem {
		case "", ".":
			continue
		case "..":
			// cur has no links in it, so its parent is its lexical parent.
			cur = filepath.Dir(cur)
			continue
		}
		next := filepath.Join(cur, elem)
		fi, err := os.Lstat(next)
		switch {
		case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
			// Nothing there: the rest is created as written.
			return filepath.Join(append([]string{next}, todo...)...), nil
		case err != nil:
			return "", err
		case fi.Mode()&fs.ModeSymlink == 0:
			cur = next
			continue
		}
		if links++; links > maxLinks {
			return "", fmt.Errorf("%s: too many levels of symbolic links", p)
		}
		target, err := os.Readlink(next)
		if err != nil {
			return "", err
		}
		if filepath.IsAbs(target) {
			v := filepath.VolumeName(target)
			cur = v + string(filepath.Separator)
			target = target[len(v):]
		}
		todo = append(strings.Split(filepath.ToSlash(target), "/"), todo...)
	}
	return cur, nil
}
