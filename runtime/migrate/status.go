package migrate

import (
	"context"
	"database/sql"
	"io/fs"
)

// State is where a database stands against a migrations directory.
type State struct {
	Current string      // version of the latest applied migration, "" when none
	Applied []Revision  // in version order
	Pending []Migration // in the order Up applies them
}

// Status verifies dir and the checksums of the applied migrations, and
// reports which migrations of dir are applied to db and which are pending.
func Status(ctx context.Context, db *sql.DB, dir fs.FS) (State, error) {
	src, err := load(dir)
	if err != nil {
		return State{}, err
	}
	applied, err := readRevisions(ctx, engineOf(db), db)
	if err != nil {
		return State{}, err
	}
	pending, err := src.check(applied)
	if err != nil {
		return State{}, err
	}
	st := State{Applied: applied}
	if len(applied) > 0 {
		st.Current = applied[len(applied)-1].Version
	}
	for _, m := range pending {
		st.Pending = append(st.Pending, m.Migration)
	}
	return st, nil
}
