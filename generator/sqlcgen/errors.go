package sqlcgen

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/dbgen-dev/dbgen/generator/diag"
)

// Diagnostic is one problem sqlc found, at a place in the user's files.
// Path is empty for a problem sqlc gives no file for; Msg then names the
// database.
type Diagnostic = diag.Diagnostic

// Error is the failure of a run in which sqlc found problems in the SQL.
// It unwraps to a diag.List, as the other stages' input errors do.
type Error struct {
	Diagnostics []Diagnostic
}

func (e *Error) Error() string {
	lines := make([]string, len(e.Diagnostics))
	for i, d := range e.Diagnostics {
		if d.Path == "" {
			lines[i] = d.Msg
		} else {
			lines[i] = d.String()
		}
	}
	return strings.Join(lines, "\n")
}

func (e *Error) Unwrap() error { return diag.List(e.Diagnostics) }

// located is sqlc's "file:line:col: message", file relative to sqlc.json.
var located = regexp.MustCompile(`^(.+?):(\d+):(\d+): (.*)$`)

// failure turns what a failed run printed into an error: an *Error when
// sqlc reported problems in the SQL, a plain error when it crashed or
// failed for a reason that is dbgen's, with the workspace's paths removed.
func (ws *workspace) failure(res *result) error {
	clean := ws.cleaner()
	stderr := strings.TrimSpace(clean.Replace(string(res.stderr)))
	if res.exitCode != 1 {
		return fmt.Errorf("sqlc crashed (exit code %d), which is a bug in sqlc or dbgen:\n%s", res.exitCode, firstLines(stderr, 40))
	}
	var (
		diags []Diagnostic
		pkg   string
		other []string
	)
	for _, line := range strings.Split(string(res.stderr), "\n") {
		if line == "" {
			continue
		}
		if name, ok := strings.CutPrefix(line, "# package "); ok {
			pkg = name
			continue
		}
		if m := located.FindStringSubmatch(line); m != nil {
			if d, ok := ws.locate(m[1], m[2], m[3], clean.Replace(m[4])); ok {
				diags = append(diags, d)
				continue
			}
		}
		if pkg == "" {
			other = append(other, clean.Replace(line))
			continue
		}
		diags = append(diags, Diagnostic{Msg: fmt.Sprintf("database %s: %s", pkg, clean.Replace(line))})
	}
	if len(diags) == 0 {
		if stderr == "" {
			stderr = strings.TrimSpace(clean.Replace(string(res.stdout)))
		}
		return fmt.Errorf("sqlc failed:\n%s", firstLines(stderr, 40))
	}
	for _, o := range other {
		diags = append(diags, Diagnostic{Msg: "sqlc: " + o})
	}
	l := diag.List(diags)
	l.Sort()
	return &Error{Diagnostics: l}
}

// locate maps a position in a workspace file to the user's file. Pieces of
// queries files keep the original lines and columns; the schema has no file
// of its own (it is the DDL of several), so its line is quoted instead.
func (ws *workspace) locate(file, line, col, msg string) (Diagnostic, bool) {
	src, ok := ws.sources[filepath.ToSlash(file)]
	if !ok {
		return Diagnostic{}, false
	}
	l, _ := strconv.Atoi(line)
	c, _ := strconv.Atoi(col)
	if src.file >= 0 {
		return Diagnostic{Path: src.path, Line: l, Col: c, Msg: msg}, true
	}
	return Diagnostic{Msg: fmt.Sprintf("database %s: sqlc cannot read the schema: %s, at %q",
		src.pkg, msg, ws.schemaLine(src.pkg, l))}, true
}

func (ws *workspace) schemaLine(pkg string, line int) string {
	for _, j := range ws.plan.jobs {
		if j.Package == pkg {
			lines := strings.Split(j.Schema, "\n")
			if line >= 1 && line <= len(lines) {
				return strings.TrimSpace(lines[line-1])
			}
		}
	}
	return ""
}

// cleaner rewrites the workspace's paths in sqlc's messages into the user's.
func (ws *workspace) cleaner() *strings.Replacer {
	var pairs []string
	for name, src := range ws.sources {
		user := src.path
		if src.file < 0 {
			user = "the schema of " + src.pkg
		}
		pairs = append(pairs, filepath.Join(ws.dir, filepath.FromSlash(name)), user)
		pairs = append(pairs, filepath.FromSlash(name), user)
	}
	pairs = append(pairs, ws.configPath(), configName, ws.dir+string(filepath.Separator), "", ws.dir, ".")
	return strings.NewReplacer(pairs...)
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines[n] = "..."
	}
	return strings.Join(lines, "\n")
}
