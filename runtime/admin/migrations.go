package admin

import (
	"context"
	"net/http"
	"slices"

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

type pending struct {
	Version     string `json:"version"`
	Description string `json:"description"`
	File        string `json:"file"`
}

// migrationState is the body of every migrations route.
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

func (h *handler) migrationStatus(w http.ResponseWriter, r *http.Request) error {
	db, err := h.database(r)
	if err != nil {
		return err
	}
	st, err := migrationStateOf(r.Context(), db)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

type migrationTarget struct {
	Target string `json:"target"`
}

func (h *handler) migrationRun(w http.ResponseWriter, r *http.Request) error {
	db, err := h.database(r)
	if err != nil {
		return err
	}
	body := migrationTarget{Target: targetHead}
	if err := decodeBody(r, db.Name(), &body, true); err != nil {
		return err
	}
	if body.Target != targetHead {
		return invalid(db.Name(), `migrations/run goes to "head" only; to go back, use migrations/downgrade`,
			"target", clip(body.Target))
	}
	if fsys := db.Definition().Migrations; fsys != nil {
		if err := migrate.Up(r.Context(), db.Writer(), fsys); err != nil {
			return err
		}
	}
	return h.migrationStatus(w, r)
}

func (h *handler) migrationDowngrade(w http.ResponseWriter, r *http.Request) error {
	db, err := h.database(r)
	if err != nil {
		return err
	}
	var body migrationTarget
	if err := decodeBody(r, db.Name(), &body, false); err != nil {
		return err
	}
	st, err := migrationStateOf(r.Context(), db)
	if err != nil {
		return err
	}
	// The target is checked here, against what is applied, so that a wrong
	// one is the client's 400 and not a failed migration.
	applied := slices.ContainsFunc(st.Applied, func(rv revision) bool { return rv.Version == body.Target })
	switch {
	case body.Target == "":
		return invalid(db.Name(), `give a target: a version applied to the database, or "base" for none`)
	case !st.Migrations:
		return invalid(db.Name(), "database "+db.Name()+" is served without its migrations folder: nothing can be reverted")
	case body.Target != migrate.Base && !applied:
		return invalid(db.Name(), "version "+clip(body.Target)+` is not applied; give an applied version or "base"`,
			"target", clip(body.Target), "current", st.Current)
	}
	if err := migrate.Down(r.Context(), db.Writer(), db.Definition().Migrations, body.Target); err != nil {
		return err
	}
	return h.migrationStatus(w, r)
}

// migrationStateOf reads where db stands. Reads go to the read pool, so a
// status check never waits behind a long write.
func migrationStateOf(ctx context.Context, db *runtime.DB) (migrationState, error) {
	st := migrationState{Database: db.Name(), Applied: []revision{}, Pending: []pending{}}
	fsys := db.Definition().Migrations
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
			st.Pending = append(st.Pending, pending{Version: m.Version, Description: m.Description, File: m.File})
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
