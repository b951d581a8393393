package check

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"

	"github.com/dbgen-dev/dbgen/generator/migrate"
	rtmigrate "github.com/dbgen-dev/dbgen/runtime/migrate"
)

// ShippedChange is a file of a shipped migration (the migration or its down
// script) that the work tree no longer has as the revision that shipped it
// has it: edited, or deleted. atlas.sum cannot tell: dbgen migrate hash
// rewrites it to match any edit, so git is the record of what was shipped.
type ShippedChange struct {
	Path    string // the file, in the file system
	File    string // slash path relative to the project root, for git checkout
	Name    string // slash path in the migrations folder: "X.sql" or "down/X.sql"
	Rev     string // the revision that has it: --base, or HEAD without one
	Deleted bool
}

// Restore is the command that brings the file back as it was shipped.
func (c ShippedChange) Restore() string {
	return fmt.Sprintf("git checkout %s -- %s", c.Rev, c.File)
}

// Message says what happened to the file and how to undo it.
func (c ShippedChange) Message() string {
	what := "migration"
	if strings.HasPrefix(c.Name, rtmigrate.DownDir+"/") {
		what = "down script"
	}
	if c.Deleted {
		return fmt.Sprintf("deleted, but this %s was shipped (%s has it): migrations are append-only, whatever atlas.sum says; restore it (%s)",
			what, c.Rev, c.Restore())
	}
	msg := fmt.Sprintf("edited after it was shipped: this %s differs from its version at %s, and migrations are append-only, whatever atlas.sum says; restore it (%s)",
		what, c.Rev, c.Restore())
	if what == "migration" {
		msg += " and put the change in a new migration with dbgen migrate diff"
	}
	return msg
}

// ShippedChanges returns the files of the migrations folder dir, and of its
// down scripts, that the revision base has (HEAD without one: committed
// migrations count as shipped, as check decides) and that the work tree has
// edited or deleted. inGit is false when root is not in a git work tree, or
// git cannot run, and no base was given: then nothing can be compared. With
// no commit yet, nothing was shipped.
func ShippedChanges(ctx context.Context, root, dir, base string) (changes []ShippedChange, inGit bool, err error) {
	rel, err := filepath.Rel(root, dir)
	if err != nil {
		return nil, false, err
	}
	rel = filepath.ToSlash(rel)
	git := func(args ...string) ([]byte, error) {
		cmd := exec.CommandContext(ctx, "git", args...)
		cmd.Dir = root
		return cmd.Output()
	}
	rev := base
	if rev == "" {
		if out, err := git("rev-parse", "--is-inside-work-tree"); err != nil || strings.TrimSpace(string(out)) != "true" {
			return nil, false, nil
		}
		if _, err := git("rev-parse", "--verify", "--quiet", "HEAD"); err != nil {
			return nil, true, nil // no commit yet: nothing shipped
		}
		rev = "HEAD"
	}
	listing, err := git("ls-tree", "-r", "-z", rev, "--", rel+"/")
	if err != nil {
		return nil, true, fmt.Errorf("list migrations at %s: %w (is it a git revision of this repository?)", rev, err)
	}
	type blob struct {
		change ShippedChange
		oid    string
	}
	var present []blob
	for _, entry := range bytes.Split(listing, []byte{0}) {
		// "<mode> SP <type> SP <object> TAB <path>", the path relative to
		// root as git runs there.
		meta, file, ok := strings.Cut(string(entry), "\t")
		fields := strings.Fields(meta)
		if !ok || len(fields) != 3 || fields[1] != "blob" || (fields[0] != "100644" && fields[0] != "100755") {
			continue
		}
		name, ok := strings.CutPrefix(file, rel+"/")
		if !ok || path.Ext(name) != ".sql" {
			continue
		}
		if d, base, sub := strings.Cut(name, "/"); sub && (d != rtmigrate.DownDir || strings.Contains(base, "/")) {
			continue // the postgres folder is checked as a folder of its own
		}
		c := ShippedChange{Path: filepath.Join(root, filepath.FromSlash(file)), File: file, Name: name, Rev: rev}
		info, err := os.Lstat(c.Path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			c.Deleted = true
			changes = append(changes, c)
		case err != nil:
			return nil, true, err
		case !info.Mode().IsRegular():
			changes = append(changes, c) // not the file it was
		default:
			present = append(present, blob{c, fields[2]})
		}
	}
	if len(present) > 0 {
		args := []string{"hash-object", "--"}
		for _, b := range present {
			args = append(args, b.change.File)
		}
		out, err := git(args...)
		if err != nil {
			return nil, true, fmt.Errorf("hash the migrations of %s: %w", rel, err)
		}
		oids := strings.Fields(string(out))
		if len(oids) != len(present) {
			return nil, true, fmt.Errorf("hash the migrations of %s: git hash-object printed %d lines for %d files", rel, len(oids), len(present))
		}
		for i, b := range present {
			if oids[i] != b.oid {
				changes = append(changes, b.change)
			}
		}
	}
	return changes, true, nil
}

// divergedOf returns the VerifyOptions.Diverged of changes.
func divergedOf(changes []ShippedChange) func(name string) bool {
	names := make(map[string]bool, len(changes))
	for _, c := range changes {
		names[c.Name] = true
	}
	return func(name string) bool { return names[name] }
}

// shippedFindings reports changes as findings of the migrate stage.
func shippedFindings(changes []ShippedChange) []migrate.Finding {
	found := make([]migrate.Finding, 0, len(changes))
	for _, c := range changes {
		found = append(found, migrate.Finding{File: c.Path, Code: migrate.CodeSum, Severity: migrate.SeverityError, Message: c.Message()})
	}
	return found
}
