package migrate

import (
	"context"
	"database/sql"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Base is the Down target before the first migration: reverting to it
// reverts every migration.
const Base = "base"

// Down reverts the migrations applied after target, latest first, by
// running their down scripts with the same safety as Up: one transaction per
// file, foreign keys off, foreign_key_check before commit. The revision of
// each reverted file is deleted with it. target is a version of dir, Base,
// or a count back from the latest applied migration: "-1" reverts that one,
// "-2" the latest two.
func Down(ctx context.Context, db *sql.DB, dir fs.FS, target string) error {
	src, err := load(dir)
	if err != nil {
		return err
	}
	return withConn(ctx, db, func(c *conn) error {
		applied, err := readRevisions(ctx, c.e, c)
		if err != nil {
			return err
		}
		// A relative target counts from what is applied when Down starts,
		// not after each file.
		to, err := src.resolve(target, applied)
		if err != nil {
			return err
		}
		for {
			done, err := step(ctx, c, func(applied []Revision) (*work, error) {
				if _, err := src.check(applied); err != nil {
					return nil, err
				}
				last := src.latest(applied)
				if last <= to {
					return nil, nil
				}
				m := src.migrations[last]
				if m.down == nil {
					return nil, fileError(path.Join(DownDir, m.File), "missing: %s cannot be reverted without its down script", m.File)
				}
				return &work{file: m.down, record: func() error { return deleteRevision(ctx, c, m.Version) }}, nil
			})
			if err != nil || done {
				return err
			}
		}
	})
}

// DownPlan is what Down would do.
type DownPlan struct {
	Target   string      // the version the database would be left at, Base for none
	Reverted []Migration // the migrations reverted, latest first
}

// PlanDown returns what Down(ctx, db, dir, target) would revert, so that a
// tool can show it first. It verifies dir and the applied migrations as
// Down does.
func PlanDown(ctx context.Context, db *sql.DB, dir fs.FS, target string) (DownPlan, error) {
	src, err := load(dir)
	if err != nil {
		return DownPlan{}, err
	}
	applied, err := readRevisions(ctx, engineOf(db), db)
	if err != nil {
		return DownPlan{}, err
	}
	if _, err := src.check(applied); err != nil {
		return DownPlan{}, err
	}
	to, err := src.resolve(target, applied)
	if err != nil {
		return DownPlan{}, err
	}
	p := DownPlan{Target: Base}
	if to >= 0 {
		p.Target = src.migrations[to].Version
	}
	for _, m := range slices.Backward(src.migrations[:src.latest(applied)+1]) {
		if m.Version == p.Target {
			break
		}
		p.Reverted = append(p.Reverted, m.Migration)
	}
	return p, nil
}

// resolve returns the position in s of a Down target: a version, Base
// (-1), or "-N", N migrations back from the latest applied.
func (s *source) resolve(target string, applied []Revision) (int, error) {
	back, relative := strings.CutPrefix(target, "-")
	if !relative {
		return s.target(target)
	}
	n, err := strconv.Atoi(back)
	if err != nil || n < 1 {
		return 0, fileError(SumFile, "target %q: want a version, %q, or -N to revert the latest N migrations", target, Base)
	}
	latest := s.latest(applied)
	if n > latest+1 {
		return 0, fileError(RevisionsTable, "target %s: the database has only %d applied; %q reverts them all", target, latest+1, Base)
	}
	return latest - n, nil
}
