package migrate

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	atlas "ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/schema"

	"github.com/dbgen-dev/dbgen/internal/sqllex"
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

// renamedCopy is table t under another name, its indexes and foreign keys
// copied to point at the copy: Atlas takes a foreign key or an index whose
// table has another name for one of another table.
func renamedCopy(t *schema.Table, name string) *schema.Table {
	renamed := *t
	renamed.Name = name
	renamed.Indexes = make([]*schema.Index, len(t.Indexes))
	for i, idx := range t.Indexes {
		c := *idx
		c.Table = &renamed
		renamed.Indexes[i] = &c
	}
	renamed.ForeignKeys = make([]*schema.ForeignKey, len(t.ForeignKeys))
	for i, fk := range t.ForeignKeys {
		c := *fk
		c.Table = &renamed
		renamed.ForeignKeys[i] = &c
	}
	return &renamed
}

// sameShape reports whether table to is table from renamed, and returns the
// index changes that remain between them.
func sameShape(drv atlas.Driver, from, to *schema.Table) ([]schema.Change, bool, error) {
	if len(from.Columns) != len(to.Columns) {
		return nil, false, nil
	}
	renamed := renamedCopy(from, to.Name)
	// The indexes of UNIQUE constraints follow their table in a rename:
	// name them after it, or they would show as dropped and added.
	nameUniqueIndexes(renamed)
	changes, err := drv.TableDiff(renamed, to)
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

// Rename is a table or a column that the schema files renamed. Planned as
// such, it keeps its rows; Atlas alone would drop it and add the new one.
type Rename struct {
	Table  string // the table, named as it is before the rename
	Column string // the column renamed; "" when the table is
	To     string // the new name of the table or column
	Type   string // the column's declared type, for questions; "" for a table
}

// ParseRename reads the argument of --rename: "table.column=new_column" or
// "table=new_table".
func ParseRename(s string) (Rename, error) {
	from, to, ok := strings.Cut(s, "=")
	table, column, isColumn := strings.Cut(from, ".")
	switch {
	case !ok || table == "" || to == "" || isColumn && column == "":
		return Rename{}, fmt.Errorf("--rename %s: want table.column=new_name or table=new_name", s)
	case strings.Contains(to, "."):
		return Rename{}, fmt.Errorf("--rename %s: give the new name alone, without its table (users.full_name=display_name)", s)
	}
	return Rename{Table: table, Column: column, To: to}, nil
}

func (r Rename) String() string {
	if r.Column == "" {
		return fmt.Sprintf("table %s to %s", r.Table, r.To)
	}
	return fmt.Sprintf("%s.%s to %s.%s", r.Table, r.Column, r.Table, r.To)
}

// subject names what r renames: "users.full_name", "table posts".
func (r Rename) subject() string {
	if r.Column == "" {
		return "table " + r.Table
	}
	return r.Table + "." + r.Column
}

// flag is r as --rename takes it.
func (r Rename) flag() string {
	if r.Column == "" {
		return r.Table + "=" + r.To
	}
	return r.Table + "." + r.Column + "=" + r.To
}

// stmt is the statement that renames.
func (r Rename) stmt() stmt {
	if r.Column == "" {
		return stmt{
			comment: fmt.Sprintf("rename table %q to %q", r.Table, r.To),
			sql:     fmt.Sprintf("ALTER TABLE %s RENAME TO %s", quoteIdent(r.Table), quoteIdent(r.To)),
		}
	}
	return stmt{
		comment: fmt.Sprintf("rename column %q of table %q to %q", r.Column, r.Table, r.To),
		sql:     fmt.Sprintf("ALTER TABLE %s RENAME COLUMN %s TO %s", quoteIdent(r.Table), quoteIdent(r.Column), quoteIdent(r.To)),
	}
}

// reverse is the rename that undoes r.
func (r Rename) reverse() Rename {
	if r.Column == "" {
		return Rename{Table: r.To, To: r.Table}
	}
	return Rename{Table: r.Table, Column: r.To, To: r.Column, Type: r.Type}
}

// renamed is the state that the renames of a migration leave, before its
// other changes.
type renamed struct {
	state   *state
	renames []Rename // in the order they run
}

// planRenames returns the state the migrations left, current, with the
// renames of in made: those asked for, then those in.AskRename confirms
// among the columns (and tables) the schema files drop and add in the same
// table with the same type. The renames run in a transaction of d that is
// rolled back: d stays at current for what Plan does next.
func (d *devDB) planRenames(ctx context.Context, current, desired *state, in PlanInput) (_ *renamed, err error) {
	r := &renamed{state: current}
	if len(in.Renames) == 0 && in.AskRename == nil {
		return r, nil
	}
	if _, err := d.db.ExecContext(ctx, "BEGIN"); err != nil {
		return nil, fmt.Errorf("plan renames: %w", err)
	}
	defer func() {
		if _, rerr := d.db.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); rerr != nil {
			err = errors.Join(err, fmt.Errorf("plan renames: rollback: %w", rerr))
		}
	}()
	apply := func(rn Rename) error {
		if err := d.exec(ctx, "rename", rn.stmt().sql+";"); err != nil {
			return fmt.Errorf("--rename %s: %w", rn.flag(), errors.Unwrap(err))
		}
		st, err := d.inspect(ctx)
		if err != nil {
			return err
		}
		r.state = st
		r.renames = append(r.renames, rn)
		return nil
	}
	for _, rn := range in.Renames {
		t, ok := findTable(r.state.realm, rn.Table)
		if !ok {
			return nil, fmt.Errorf("--rename %s: the migrations have no table %s", rn.flag(), rn.Table)
		}
		if err := checkRename(rn, t, r.state, desired); err != nil {
			return nil, err
		}
		if c, ok := t.Column(rn.Column); ok {
			rn.Type = c.Type.Raw
		}
		if err := apply(rn); err != nil {
			return nil, err
		}
	}
	asked := make(map[Rename]bool)
	for in.AskRename != nil {
		changes, err := diffTables(d.drv, r.state.realm, desired.realm)
		if err != nil {
			return nil, err
		}
		var yes *Rename
		for _, rn := range renameCandidates(changes) {
			if asked[rn] {
				continue
			}
			asked[rn] = true
			ok, err := in.AskRename(rn)
			if err != nil {
				return nil, err
			}
			if ok {
				yes = &rn
				break
			}
		}
		if yes == nil {
			break
		}
		// The changes left to plan are new after a rename: compute them again.
		if err := apply(*yes); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// checkRename says what is wrong with a rename of table t, asked for by
// --rename, before it is made on the state st.
func checkRename(rn Rename, t *schema.Table, st, desired *state) error {
	if rn.Column == "" {
		if _, exists := findTable(st.realm, rn.To); exists {
			return fmt.Errorf("--rename %s: the migrations already have a table %s", rn.flag(), rn.To)
		}
		if _, ok := findTable(desired.realm, rn.To); !ok {
			return fmt.Errorf("--rename %s: the schema files have no table %s", rn.flag(), rn.To)
		}
		return nil
	}
	if _, ok := t.Column(rn.Column); !ok {
		return fmt.Errorf("--rename %s: table %s of the migrations has no column %s", rn.flag(), rn.Table, rn.Column)
	}
	if _, ok := t.Column(rn.To); ok {
		return fmt.Errorf("--rename %s: table %s of the migrations already has a column %s", rn.flag(), rn.Table, rn.To)
	}
	dt, ok := findTable(desired.realm, rn.Table)
	if !ok {
		return fmt.Errorf("--rename %s: the schema files have no table %s; to rename the table too, --rename it first (%s=NEW)",
			rn.flag(), rn.Table, rn.Table)
	}
	if _, ok := dt.Column(rn.To); !ok {
		return fmt.Errorf("--rename %s: table %s in the schema files has no column %s", rn.flag(), rn.Table, rn.To)
	}
	return nil
}

// renameCandidates returns the renames that changes may stand for: in a
// table, a dropped column and an added one of the same type; a dropped
// table and an added one, when that is the only pair.
func renameCandidates(changes []schema.Change) []Rename {
	var (
		out         []Rename
		drops, adds []*schema.Table
	)
	for _, ch := range changes {
		switch ch := ch.(type) {
		case *schema.DropTable:
			drops = append(drops, ch.T)
		case *schema.AddTable:
			adds = append(adds, ch.T)
		case *schema.ModifyTable:
			var dropped, added []*schema.Column
			for _, mc := range ch.Changes {
				switch mc := mc.(type) {
				case *schema.DropColumn:
					dropped = append(dropped, mc.C)
				case *schema.AddColumn:
					added = append(added, mc.C)
				}
			}
			for _, d := range dropped {
				for _, a := range added {
					if strings.EqualFold(strings.Join(strings.Fields(d.Type.Raw), " "), strings.Join(strings.Fields(a.Type.Raw), " ")) {
						out = append(out, Rename{Table: ch.T.Name, Column: d.Name, To: a.Name, Type: d.Type.Raw})
					}
				}
			}
		}
	}
	if len(drops) == 1 && len(adds) == 1 {
		out = append(out, Rename{Table: drops[0].Name, To: adds[0].Name})
	}
	// In the order of the schema's names, so that the questions are.
	slices.SortFunc(out, func(a, b Rename) int {
		return cmp.Or(cmp.Compare(a.Table, b.Table), cmp.Compare(a.Column, b.Column), cmp.Compare(a.To, b.To))
	})
	return out
}

// detectColumnRenames turns, in the changes of one ALTER TABLE ... RENAME
// statement, the column it dropped and the one it added into the rename it
// is. Atlas's diff of the schemas before and after the statement has no
// other way to tell it from a dropped column, which its analyzers report as
// destructive.
func detectColumnRenames(stmt string, changes []schema.Change) []schema.Change {
	toks, err := significant(stmt)
	if err != nil || len(toks) < 3 || !toks[0].Is("ALTER") || !toks[1].Is("TABLE") ||
		!slices.ContainsFunc(toks, func(t sqllex.Token) bool { return t.Is("RENAME") }) {
		return changes
	}
	for _, ch := range changes {
		m, ok := ch.(*schema.ModifyTable)
		if !ok {
			continue
		}
		var drop, add int
		ndrop, nadd := 0, 0
		for i, mc := range m.Changes {
			switch mc.(type) {
			case *schema.DropColumn:
				drop, ndrop = i, ndrop+1
			case *schema.AddColumn:
				add, nadd = i, nadd+1
			}
		}
		if ndrop != 1 || nadd != 1 {
			continue
		}
		rename := &schema.RenameColumn{From: m.Changes[drop].(*schema.DropColumn).C, To: m.Changes[add].(*schema.AddColumn).C}
		same := sameConstraintIndexes(m.Changes, rename)
		rest := make([]schema.Change, 0, len(m.Changes)-1)
		for i, mc := range m.Changes {
			switch {
			case i == drop:
				rest = append(rest, rename)
			case i == add || same[i]:
			default:
				rest = append(rest, mc)
			}
		}
		m.Changes = rest
	}
	return changes
}

// sameConstraintIndexes returns the positions in changes of the dropped
// and added indexes of UNIQUE constraints that are one index, the one of a
// renamed column: dbgen names those after their columns (see
// nameUniqueIndexes), so the rename shows as a new index.
func sameConstraintIndexes(changes []schema.Change, r *schema.RenameColumn) map[int]bool {
	parts := func(idx *schema.Index, from, to string) string {
		var names []string
		for _, p := range idx.Parts {
			switch {
			case p.C == nil:
				names = append(names, "?")
			case p.C.Name == from:
				names = append(names, to)
			default:
				names = append(names, p.C.Name)
			}
		}
		return strings.Join(names, "\x00")
	}
	same := make(map[int]bool)
	for i, c := range changes {
		d, ok := c.(*schema.DropIndex)
		if !ok || origin(d.I) != "u" {
			continue
		}
		for j, c := range changes {
			a, ok := c.(*schema.AddIndex)
			if ok && !same[j] && origin(a.I) == "u" && parts(d.I, r.From.Name, r.To.Name) == parts(a.I, "", "") {
				same[i], same[j] = true, true
				break
			}
		}
	}
	return same
}
