package migrate

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	atlas "ariga.io/atlas/sql/migrate"

	rtmigrate "github.com/dbgen-dev/dbgen/runtime/migrate"
)

// Verify checks a migrations directory for dbgen check, without writing:
// both atlas.sum files match their files, so a migration edited or deleted
// by hand is caught; every migration has its down script; the migrations
// replay cleanly and end at exactly the schema of desiredDDL (tables,
// indexes, views and triggers); and each down script, replayed from the
// latest migration back, restores the schema from before its migration.
// Problems are returned as findings; the error is for failures to check.
func Verify(ctx context.Context, dir, desiredDDL string) ([]Finding, error) {
	return VerifyWith(ctx, dir, desiredDDL, VerifyOptions{})
}

// VerifyOptions are what Verify knows of the repository.
type VerifyOptions struct {
	// Shipped reports whether the migration file name (e.g.
	// "20250102150405_add_users.sql") was shipped: it is on the base
	// revision, or committed when there is none. An edited or deleted
	// migration that was shipped must be restored; one that was not may
	// change, and dbgen migrate hash records the change. Nil counts every
	// migration as shipped.
	Shipped func(name string) bool
	// Diverged reports whether a file of the folder, by its slash path in
	// it ("20250102150405_add_users.sql", "down/20250102150405_add_users.sql"),
	// is one of a shipped migration that differs from the revision that
	// shipped it, or is missing: the caller reports it against that
	// revision, whatever atlas.sum says, so its atlas.sum finding (and
	// that of a missing down script) is not repeated. Nil is none.
	Diverged func(name string) bool
}

// VerifyWith is Verify, with what it knows of the repository.
func VerifyWith(ctx context.Context, dir, desiredDDL string, opts VerifyOptions) ([]Finding, error) {
	d, err := readDir(dir)
	if err != nil {
		return nil, err
	}
	findings := d.checkSums(opts)
	findings = append(findings, d.checkPairs(opts)...)
	desired, err := buildState(ctx, "desired schema", desiredDDL)
	if err != nil {
		return nil, err
	}
	dev, err := openDev(ctx)
	if err != nil {
		return nil, err
	}
	defer dev.Close()
	// states[i] is the schema before d.ups[i], for the down scripts.
	states := make([]*state, 0, len(d.ups)+1)
	for _, f := range d.ups {
		s, err := dev.inspect(ctx)
		if err != nil {
			return nil, err
		}
		states = append(states, s)
		if err := dev.exec(ctx, d.file(f.Name()), string(f.Bytes())); err != nil {
			// Nothing after a failed file can be checked on a sound schema.
			return append(findings, replayFinding(err)), nil
		}
	}
	got, err := dev.inspect(ctx)
	if err != nil {
		return nil, err
	}
	diffs, err := compare(dev, got, desired)
	if err != nil {
		return nil, err
	}
	for _, diff := range diffs {
		findings = append(findings, Finding{
			File: d.path, Code: CodeDrift, Severity: SeverityError,
			Message: fmt.Sprintf("the migrations do not reach the schema files, a migration must still %s: plan it with dbgen migrate diff", diff),
		})
	}
	return append(findings, dev.verifyDowns(ctx, d, states)...), nil
}

// Uncovered returns the changes of the schema of desiredDDL that the
// migrations of dir do not make, described as dbgen check describes drift
// (`add column "score" on table "comments"`); none when the migrations reach
// it, or when dir has none. It checks nothing else of the directory: that
// is Verify's job.
func Uncovered(ctx context.Context, dir, desiredDDL string) ([]string, error) {
	d, err := readDir(dir)
	if err != nil || len(d.ups) == 0 {
		return nil, err
	}
	desired, err := buildState(ctx, "desired schema", desiredDDL)
	if err != nil {
		return nil, err
	}
	dev, err := openDev(ctx)
	if err != nil {
		return nil, err
	}
	defer dev.Close()
	for _, f := range d.ups {
		if err := dev.exec(ctx, d.file(f.Name()), string(f.Bytes())); err != nil {
			return nil, fmt.Errorf("replay migrations: %w", err)
		}
	}
	got, err := dev.inspect(ctx)
	if err != nil {
		return nil, err
	}
	return compare(dev, got, desired)
}

// checkPairs reports migrations without a down script and down scripts
// without a migration.
func (d *migDir) checkPairs(opts VerifyOptions) []Finding {
	shipped := opts.Shipped
	var findings []Finding
	for _, f := range d.ups {
		if _, ok := d.downs[f.Name()]; !ok {
			if opts.Diverged != nil && opts.Diverged(path.Join(rtmigrate.DownDir, f.Name())) {
				continue
			}
			findings = append(findings, Finding{
				File: d.file(f.Name()), Code: CodeDownPairing, Severity: SeverityError,
				Message: fmt.Sprintf("no down script %s: restore it (git checkout); dbgen migrate diff writes one with every migration", downName(f.Name())),
			})
		}
	}
	for name := range d.downs {
		if !slices.ContainsFunc(d.ups, func(f atlas.File) bool { return f.Name() == name }) {
			msg := fmt.Sprintf("down script without a migration %s: remove it, or restore its migration", name)
			if shipped != nil && !shipped(name) {
				msg = fmt.Sprintf("down script without a migration %s, which was never shipped: "+
					"remove it too, then run dbgen migrate hash", name)
			}
			findings = append(findings, Finding{
				File: d.file(downName(name)), Code: CodeDownPairing, Severity: SeverityError, Message: msg,
			})
		}
	}
	slices.SortFunc(findings, func(a, b Finding) int { return strings.Compare(a.File, b.File) })
	return findings
}

// verifyDowns runs the down scripts from the latest migration back to the
// first, on the schema the migrations built, and checks that each restores
// states[i], the schema before its migration. It stops at the first that
// fails, as the ones before it would run on the wrong schema.
func (d *devDB) verifyDowns(ctx context.Context, dir *migDir, states []*state) []Finding {
	for i := len(dir.ups) - 1; i >= 0; i-- {
		name := dir.ups[i].Name()
		down, ok := dir.downs[name]
		if !ok {
			return nil // checkPairs reported it
		}
		file := dir.file(downName(name))
		if err := d.exec(ctx, file, string(down.Bytes())); err != nil {
			return []Finding{replayFinding(err)}
		}
		got, err := d.inspect(ctx)
		if err == nil {
			var diffs []string
			if diffs, err = compare(d, got, states[i]); err == nil && len(diffs) > 0 {
				return []Finding{{
					File: file, Code: CodeDownMismatch, Severity: SeverityError,
					Message: fmt.Sprintf("does not restore the schema from before %s, it must still %s: restore the planned script (git checkout)",
						name, strings.Join(diffs, "; ")),
				}}
			}
		}
		if err != nil {
			return []Finding{{File: file, Code: CodeDownMismatch, Severity: SeverityError, Message: err.Error()}}
		}
	}
	return nil
}

// replayFinding turns the error of a file that does not replay into a
// finding at the failing statement.
func replayFinding(err error) Finding {
	f := Finding{Code: CodeReplay, Severity: SeverityError, Message: err.Error()}
	if se := (*stmtError)(nil); errors.As(err, &se) {
		f.File, f.Line = se.file, se.line
		f.Message = fmt.Sprintf("does not apply on the schema of the migrations before it: %v", se.err)
		if se.stmt != "" {
			f.Message = fmt.Sprintf("%s: %v", firstLine(se.stmt), se.err)
		}
	}
	return f
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}

// compare returns what differs between two states, one description per
// difference; none when they are the same schema. Tables and indexes are
// compared as Atlas models them, views and triggers by their SQL.
func compare(d *devDB, got, want *state) ([]string, error) {
	changes, err := diffTables(d.drv, got.realm, want.realm)
	if err != nil {
		return nil, err
	}
	diffs := make([]string, 0, len(changes))
	for _, c := range changes {
		diffs = append(diffs, describe(c))
	}
	for _, w := range want.objects {
		switch g, ok := findObject(got.objects, w.kind, w.name); {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("create %s %q", w.kind, w.name))
		case g.sql != w.sql:
			diffs = append(diffs, fmt.Sprintf("change %s %q", w.kind, w.name))
		}
	}
	for _, g := range got.objects {
		if _, ok := findObject(want.objects, g.kind, g.name); !ok {
			diffs = append(diffs, fmt.Sprintf("drop %s %q", g.kind, g.name))
		}
	}
	return diffs, nil
}
