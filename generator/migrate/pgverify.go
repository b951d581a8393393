package migrate

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// CodeEngines is dbgen's finding code for migrations folders out of step:
// a version that one engine's folder has and the other's lacks.
const CodeEngines = "DG106"

// SyncHint says how to write the PostgreSQL migrations of existing
// versions, for messages.
const SyncHint = "dbgen migrate sync-postgres --dev-url URL"

// VerifyPostgresFiles checks, without a server, the PostgreSQL migrations
// folder pgDir of the SQLite folder sqliteDir: both atlas.sum files match
// their files, every migration has its down script, and the two folders
// have the same migrations, version and name, so that they stay in step.
func VerifyPostgresFiles(sqliteDir, pgDir string, opts VerifyOptions) ([]Finding, error) {
	lite, err := readDir(sqliteDir)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(pgDir); errors.Is(err, fs.ErrNotExist) {
		if len(lite.ups) == 0 {
			return nil, nil
		}
		return []Finding{{File: pgDir, Code: CodeEngines, Severity: SeverityError,
			Message: fmt.Sprintf("missing: the postgres target is on and %s has %d %s; write their PostgreSQL migrations with %s",
				sqliteDir, len(lite.ups), plural(len(lite.ups), "migration"), SyncHint)}}, nil
	}
	pg, err := readDir(pgDir)
	if err != nil {
		return nil, err
	}
	findings := pg.checkSums(opts)
	findings = append(findings, pg.checkPairs(opts)...)
	return append(findings, inStep(lite, pg)...), nil
}

// inStep reports the migrations of one folder that the other lacks.
func inStep(lite, pg *migDir) []Finding {
	var findings []Finding
	byVersion := func(d *migDir, version string) string {
		for _, f := range d.ups {
			if f.Version() == version {
				return f.Name()
			}
		}
		return ""
	}
	for _, f := range lite.ups {
		switch other := byVersion(pg, f.Version()); {
		case other == "":
			findings = append(findings, Finding{File: lite.file(f.Name()), Code: CodeEngines, Severity: SeverityError,
				Message: fmt.Sprintf("has no PostgreSQL migration of its version in %s: write it with %s", pg.path, SyncHint)})
		case other != f.Name():
			findings = append(findings, Finding{File: pg.file(other), Code: CodeEngines, Severity: SeverityError,
				Message: fmt.Sprintf("has the version of %s but another name: the two folders' migrations have the same names; restore it (git checkout)", lite.file(f.Name()))})
		}
	}
	for _, f := range pg.ups {
		if byVersion(lite, f.Version()) == "" {
			findings = append(findings, Finding{File: pg.file(f.Name()), Code: CodeEngines, Severity: SeverityError,
				Message: fmt.Sprintf("has no SQLite migration of its version in %s: restore the SQLite one (git checkout), "+
					"or remove this one and its down script, then run dbgen migrate hash", lite.path)})
		}
	}
	slices.SortFunc(findings, func(a, b Finding) int { return strings.Compare(a.File, b.File) })
	return findings
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// VerifyPostgres is the part of Verify that needs the dev database, for the
// PostgreSQL migrations folder dir: the migrations replay cleanly and end
// at exactly the derived schema desired, and each down script restores the
// schema from before its migration. The files themselves are
// VerifyPostgresFiles's.
func VerifyPostgres(ctx context.Context, dev *PostgresDev, dir string, desired *PostgresSchema) ([]Finding, error) {
	d, err := readDir(dir)
	if err != nil {
		return nil, err
	}
	_, want, err := desired.state(ctx, dev)
	if err != nil {
		return nil, err
	}
	sp, err := dev.space(ctx)
	if err != nil {
		return nil, err
	}
	states := make([]*pgState, 0, len(d.ups))
	for _, f := range d.ups {
		s, err := sp.inspect(ctx, desired.Database)
		if err != nil {
			return nil, err
		}
		states = append(states, s)
		if err := sp.exec(ctx, d.file(f.Name()), string(f.Bytes())); err != nil {
			return []Finding{replayFinding(err)}, nil
		}
	}
	got, err := sp.inspect(ctx, desired.Database)
	if err != nil {
		return nil, err
	}
	diffs, err := pgCompare(dev, got, want)
	if err != nil {
		return nil, err
	}
	var findings []Finding
	for _, diff := range diffs {
		findings = append(findings, Finding{
			File: d.path, Code: CodeDrift, Severity: SeverityError,
			Message: fmt.Sprintf("the PostgreSQL migrations do not reach the schema files, a migration must still %s: "+
				"plan it with dbgen migrate diff --dev-url URL (a migration edited by hand: restore it)", diff),
		})
	}
	for i := len(d.ups) - 1; i >= 0; i-- {
		name := d.ups[i].Name()
		down, ok := d.downs[name]
		if !ok {
			break // VerifyPostgresFiles reports it
		}
		file := d.file(downName(name))
		if err := sp.exec(ctx, file, string(down.Bytes())); err != nil {
			return append(findings, replayFinding(err)), nil
		}
		got, err := sp.inspect(ctx, desired.Database)
		if err != nil {
			return nil, err
		}
		diffs, err := pgCompare(dev, got, states[i])
		if err != nil {
			return nil, err
		}
		if len(diffs) > 0 {
			return append(findings, Finding{
				File: file, Code: CodeDownMismatch, Severity: SeverityError,
				Message: fmt.Sprintf("does not restore the schema from before %s, it must still %s: restore the planned script (git checkout)",
					name, strings.Join(diffs, "; ")),
			}), nil
		}
	}
	if err := sp.drop(ctx); err != nil {
		return nil, err
	}
	return findings, nil
}

// postgresDir is the PostgreSQL migrations folder of a SQLite one.
func postgresDir(sqliteDir string) string { return filepath.Join(sqliteDir, PostgresDir) }
