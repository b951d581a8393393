package admin

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/dbgen-dev/dbgen/runtime"
	"github.com/dbgen-dev/dbgen/runtime/migrate"
)

// targetHead is the only target of migrations/run: migrate.Up applies
// every pending migration.
const targetHead = "head"

type revision struct {
	Version     string `json:"version"`
	Description string `json:"description"`
	Checksum    string `json:"checksum"`
	AppliedAt   string `json:"applied_at"` // RFC 3339, UTC
	DurationMS  int64  `json:"duration_ms"`
	Baseline    bool   `json:"baseline"`
}

// pending is a migration not yet applied, with what it would do: the SQL
// of its file and of its down script, as atlas.sum verified them.
type pending struct {
	Version     string `json:"version"`
	Description string `json:"description"`
	File        string `json:"file"`
	SQL         string `json:"sql"`
	DownSQL     string `json:"down_sql"` // "" when the folder has no down script for it
}

// migrationState is the body of every migrations route of one database,
// and what GET /status reads its migration fields from: the page's cards
// and its migrations table say the same because they read the same thing.
type migrationState struct {
	Database string `json:"database"`
	// Migrations says whether the database is served with its migrations
	// folder. Without it the applied revisions are still shown, but nothing
	// can be run or reverted.
	Migrations bool       `json:"migrations"`
	Current    string     `json:"current"` // latest applied version, "" when none
	Applied    []revision `json:"applied"`
	Pending    []pending  `json:"pending"`
}

// migrationsOf is the migrations folder of db: its Definition's, else the
// one Options.Migrations gives; nil when there is none.
func (h *handler) migrationsOf(db *runtime.DB) fs.FS {
	if fsys := db.Definition().Migrations; fsys != nil {
		return fsys
	}
	if h.migrations != nil {
		return h.migrations(db.Name())
	}
	return nil
}

func (h *handler) migrationStatus(w http.ResponseWriter, r *http.Request) error {
	db, err := h.database(r)
	if err != nil {
		return err
	}
	st, err := h.migrationStateOf(r.Context(), db)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

type migrationTarget struct {
	Target string `json:"target"`
}

const downgradeExample = `{"target": "20260101120000"}, {"target": "-1"} or {"target": "base"}`

// runTarget reads the body of a migrations/run route: {"target":"head"},
// or nothing, which means the same.
func runTarget(r *http.Request, module string) error {
	body := migrationTarget{Target: targetHead}
	if err := decodeCommand(r, module, &body, true, `{"target": "head"}, or no body`); err != nil {
		return err
	}
	if body.Target != targetHead {
		return invalid(module, `migrations/run goes to "head" only; to go back, use migrations/downgrade`,
			"target", clip(body.Target))
	}
	return nil
}

func (h *handler) migrationRun(w http.ResponseWriter, r *http.Request) error {
	db, err := h.database(r)
	if err != nil {
		return err
	}
	if err := runTarget(r, db.Name()); err != nil {
		return err
	}
	if err := h.migrate(r.Context(), db); err != nil {
		return err
	}
	return h.migrationStatus(w, r)
}

// migrate applies the pending migrations of db, as Open does; a database
// without a folder has nothing to apply.
func (h *handler) migrate(ctx context.Context, db *runtime.DB) error {
	fsys := h.migrationsOf(db)
	if fsys == nil {
		return nil
	}
	return db.Migrate(ctx, fsys)
}

func (h *handler) migrationDowngrade(w http.ResponseWriter, r *http.Request) error {
	db, err := h.database(r)
	if err != nil {
		return err
	}
	var body migrationTarget
	if err := decodeCommand(r, db.Name(), &body, false, downgradeExample); err != nil {
		return err
	}
	st, err := h.migrationStateOf(r.Context(), db)
	if err != nil {
		return err
	}
	target := body.Target
	if back, relative := strings.CutPrefix(target, "-"); relative && st.Migrations {
		// -N reverts the latest N, as dbgen migrate down --to -N does: it
		// is resolved, by the same code, to the version it leaves.
		if n, err := strconv.Atoi(back); err != nil || n < 1 {
			return invalid(db.Name(), "target "+strconv.Quote(clip(target))+`: want an applied version, "base", or -N to revert the latest N: `+downgradeExample,
				"target", clip(target))
		}
		plan, err := migrate.PlanDown(r.Context(), db.Reader(), h.migrationsOf(db), target)
		var me *migrate.Error
		if errors.As(err, &me) && me.File == migrate.RevisionsTable {
			return invalid(db.Name(), "target "+clip(target)+": "+me.Err.Error(), "target", clip(target), "current", st.Current)
		} else if err != nil {
			return err
		}
		target = plan.Target
	}
	// The target is checked here, against what is applied, so that a wrong
	// one is the client's 400 and not a failed migration.
	applied := slices.ContainsFunc(st.Applied, func(rv revision) bool { return rv.Version == target })
	switch {
	case target == "":
		return invalid(db.Name(), `give the field "target": a version applied to the database, "base" for none, or -N to revert the latest N: `+downgradeExample,
			"field", "target")
	case !st.Migrations:
		return invalid(db.Name(), "database "+db.Name()+" is served without its migrations folder: nothing can be reverted")
	case target != migrate.Base && !applied:
		return invalid(db.Name(), "version "+clip(target)+` is not applied; give an applied version, "base", or -N`,
			"target", clip(target), "current", st.Current)
	}
	if err := migrate.Down(r.Context(), db.Writer(), h.migrationsOf(db), target); err != nil {
		return err
	}
	return h.migrationStatus(w, r)
}

// migrationStateOf reads where db stands. Reads go to the read pool, so a
// status check never waits behind a long write.
func (h *handler) migrationStateOf(ctx context.Context, db *runtime.DB) (migrationState, error) {
	st := migrationState{Database: db.Name(), Applied: []revision{}, Pending: []pending{}}
	fsys := h.migrationsOf(db)
	var revs []migrate.Revision
	if fsys == nil {
		var err error
		if revs, err = migrate.Applied(ctx, db.Reader()); err != nil {
			return st, err
		}
	} else {
		state, err := migrate.Status(ctx, db.Reader(), fsys)
		if err != nil {
			return st, err
		}
		revs = state.Applied
		for _, m := range state.Pending {
			p := pending{Version: m.Version, Description: m.Description, File: m.File}
			// Status has just verified both files against atlas.sum.
			up, err := fs.ReadFile(fsys, m.File)
			if err != nil {
				return st, err
			}
			p.SQL = string(up)
			if down, err := fs.ReadFile(fsys, path.Join(migrate.DownDir, m.File)); err == nil {
				p.DownSQL = string(down)
			}
			st.Pending = append(st.Pending, p)
		}
		st.Migrations = true
	}
	for _, rv := range revs {
		st.Applied = append(st.Applied, revision{
			Version: rv.Version, Description: rv.Description, Checksum: rv.Checksum,
			AppliedAt:  rv.AppliedAt.UTC().Format("2006-01-02T15:04:05.000Z07:00"),
			DurationMS: rv.Duration.Milliseconds(), Baseline: rv.Baseline,
		})
	}
	if len(revs) > 0 {
		st.Current = revs[len(revs)-1].Version
	}
	return st, nil
}
