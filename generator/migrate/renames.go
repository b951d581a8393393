package migrate

import (
	"fmt"

	atlas "ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/schema"
)

// detectRenames turns a dropped table and an added one of the same shape
// into a rename, which keeps the rows. Atlas's SQLite diff reports a rename
// as a drop and an add; its CLI asks the user, dbgen decides by shape: the
// same columns with the same types, keys and foreign keys. Only a one-to-one
// match counts, and index differences become a change after the rename.
func detectRenames(drv atlas.Driver, changes []schema.Change) ([]schema.Change, error) {
	var drops, adds []int
	for i, ch := range changes {
		switch ch.(type) {
		case *schema.DropTable:
			drops = append(drops, i)
		case *schema.AddTable:
			adds = append(adds, i)
		}
	}
	type match struct {
		add  int
		rest []schema.Change
	}
	matches := make(map[int]match) // by index of the drop
	matched := make(map[int]int)   // times each add matched
	for _, d := range drops {
		for _, a := range adds {
			rest, ok, err := sameShape(drv, changes[d].(*schema.DropTable).T, changes[a].(*schema.AddTable).T)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			if _, dup := matches[d]; dup {
				matches[d] = match{add: -1} // ambiguous
				continue
			}
			matches[d] = match{add: a, rest: rest}
			matched[a]++
		}
	}
	out := make([]schema.Change, 0, len(changes))
	skip := make(map[int]bool)
	for d, m := range matches {
		if m.add >= 0 && matched[m.add] == 1 {
			skip[d], skip[m.add] = true, true
		}
	}
	for i, ch := range changes {
		if skip[i] {
			if m, ok := matches[i]; ok {
				from, to := ch.(*schema.DropTable).T, changes[m.add].(*schema.AddTable).T
				out = append(out, &schema.RenameTable{From: from, To: to})
				if len(m.rest) > 0 {
					out = append(out, &schema.ModifyTable{T: to, Changes: m.rest})
				}
			}
			continue
		}
		out = append(out, ch)
	}
	return out, nil
}

// sameShape reports whether table to is table from renamed, and returns the
// index changes that remain between them.
func sameShape(drv atlas.Driver, from, to *schema.Table) ([]schema.Change, bool, error) {
	if len(from.Columns) != len(to.Columns) {
		return nil, false, nil
	}
	renamed := *from
	renamed.Name = to.Name
	// The indexes of UNIQUE constraints follow their table in a rename:
	// name them after it, or they would show as dropped and added.
	renamed.Indexes = make([]*schema.Index, len(from.Indexes))
	for i, idx := range from.Indexes {
		c := *idx
		renamed.Indexes[i] = &c
	}
	nameUniqueIndexes(&renamed)
	changes, err := drv.TableDiff(&renamed, to)
	if err != nil {
		return nil, false, fmt.Errorf("compare tables %q and %q: %w", from.Name, to.Name, err)
	}
	for _, ch := range changes {
		switch ch.(type) {
		case *schema.AddIndex, *schema.DropIndex, *schema.ModifyIndex, *schema.RenameIndex:
		default:
			return nil, false, nil
		}
	}
	return changes, true, nil
}
