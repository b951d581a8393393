package migrate

import (
	"context"
	"fmt"
	"slices"
	"strings"

	atlas "ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"
)

// stmt is one statement of a planned migration.
type stmt struct {
	comment string // what it does, without the leading "-- "
	sql     string // without the terminating semicolon
	table   string // the table whose change it makes, for messages; "" when unknown
}

// changeTable returns the name of the table a change is about, "" when
// none is.
func changeTable(c schema.Change) string {
	switch c := c.(type) {
	case *schema.AddTable:
		return c.T.Name
	case *schema.DropTable:
		return c.T.Name
	case *schema.ModifyTable:
		return c.T.Name
	case *schema.RenameTable:
		return c.To.Name
	}
	return ""
}

// change is the planned move from one state to another.
type change struct {
	stmts []stmt
	// lost lists what the move throws away with its data, e.g.
	// `column "bio" of table "users"`.
	lost []string
}

func (c *change) empty() bool { return len(c.stmts) == 0 }

// planChange plans the statements that bring a database from one state to
// the other: views and triggers that must go are dropped first, then Atlas
// plans the tables and indexes, then views and triggers are created.
//
// With renames, the tables are planned from (or to) the state rn.via, one
// side of the renames, and the renames run before the table changes
// (rn.atEnd false: via is from with the renames made) or after them (true:
// via is to before they are undone). The views and triggers on the renamed
// tables are dropped before the renames and created after, as to has them:
// SQLite's rewrite of their SQL for the new names is not what the schema
// files say.
func planChange(ctx context.Context, drv atlas.Driver, from, to *state, rn *renameMove) (*change, error) {
	tablesFrom, tablesTo := from.realm, to.realm
	if rn != nil && !rn.atEnd {
		tablesFrom = rn.via.realm
	} else if rn != nil {
		tablesTo = rn.via.realm
	}
	changes, err := diffTables(drv, tablesFrom, tablesTo)
	if err != nil {
		return nil, err
	}
	var (
		tables  []stmt
		touched = make(map[string]bool)
		c       = &change{}
	)
	for _, ch := range changes {
		stmts, rebuilt, err := planTableChange(ctx, drv, ch)
		if err != nil {
			return nil, err
		}
		for i := range stmts {
			stmts[i].table = changeTable(ch)
		}
		tables = append(tables, stmts...)
		switch ch := ch.(type) {
		case *schema.DropTable:
			touched[ch.T.Name] = true
			c.lost = append(c.lost, fmt.Sprintf("table %q", ch.T.Name))
		case *schema.RenameTable:
			touched[ch.From.Name], touched[ch.To.Name] = true, true
		case *schema.ModifyTable:
			if rebuilt {
				touched[ch.T.Name] = true
			}
			for _, mc := range ch.Changes {
				if d, ok := mc.(*schema.DropColumn); ok {
					c.lost = append(c.lost, fmt.Sprintf("column %q of table %q", d.C.Name, ch.T.Name))
				}
			}
		}
	}
	var renames []stmt
	if rn != nil {
		for _, r := range rn.renames {
			touched[r.Table], touched[r.To] = true, true
			renames = append(renames, r.stmt())
		}
		if rn.atEnd {
			tables = append(tables, renames...)
		} else {
			tables = append(renames, tables...)
		}
	}
	objs, err := planObjects(from.objects, to.objects, touched)
	if err != nil {
		return nil, err
	}
	c.stmts = append(objs.dropStmts(), tables...)
	c.stmts = append(c.stmts, objs.createStmts()...)
	return c, nil
}

// renameMove is the renames part of a change; see planChange.
type renameMove struct {
	renames []Rename // in the order they run
	atEnd   bool     // after the table changes, not before
	via     *state   // the state on the far side of the renames from the table changes
}

// diffTables returns the changes of tables and indexes between two realms:
// Atlas's, with renames detected and redefinitions Atlas does not see added
// as rebuilds.
func diffTables(drv atlas.Driver, from, to *schema.Realm) ([]schema.Change, error) {
	changes, err := drv.RealmDiff(from, to)
	if err != nil {
		return nil, fmt.Errorf("diff schemas: %w", err)
	}
	if changes, err = detectRenames(drv, changes); err != nil {
		return nil, err
	}
	for _, s := range to.Schemas {
		for _, t2 := range s.Tables {
			t1, ok := findTable(from, t2.Name)
			if !ok {
				continue
			}
			reason := redefinition(t1, t2)
			if reason == "" {
				continue
			}
			i := slices.IndexFunc(changes, func(c schema.Change) bool {
				m, ok := c.(*schema.ModifyTable)
				return ok && m.T == t2
			})
			if i < 0 {
				changes = append(changes, &schema.ModifyTable{T: t2})
				i = len(changes) - 1
			}
			m := changes[i].(*schema.ModifyTable)
			m.Changes = append(m.Changes, &rebuild{reason: reason})
		}
	}
	return changes, nil
}

func findTable(r *schema.Realm, name string) (*schema.Table, bool) {
	for _, s := range r.Schemas {
		if t, ok := s.Table(name); ok {
			return t, true
		}
	}
	return nil, false
}

// planTableChange plans one Atlas change and reports whether it rebuilds a
// table. Atlas plans it; dbgen then puts back the SQL as the schema files
// wrote it wherever Atlas would regenerate it from its model, which knows
// nothing of COLLATE, ON CONFLICT clauses or comments: CREATE TABLE (also
// the new table of a rebuild), CREATE INDEX and ADD COLUMN. The tables of
// AddTable and ModifyTable changes are those of the target state, which
// hold that SQL.
func planTableChange(ctx context.Context, drv atlas.Driver, ch schema.Change) ([]stmt, bool, error) {
	var target *schema.Table
	switch m := ch.(type) {
	case *schema.AddTable:
		return createTable(m.T), false, nil
	case *schema.ModifyTable:
		target = m.T
		if changesConstraintIndex(m) {
			forced := *m
			forced.Changes = append(slices.Clip(m.Changes), &rebuild{reason: "change UNIQUE constraints"})
			ch = &forced
		}
	}
	plan, err := drv.PlanChanges(ctx, "", []schema.Change{ch})
	if err != nil {
		return nil, false, fmt.Errorf("plan %s: %w", describe(ch), err)
	}
	var (
		stmts   []stmt
		rebuilt bool
	)
	for _, pc := range plan.Changes {
		s := stmt{comment: pc.Comment, sql: pc.Cmd}
		switch src := pc.Source.(type) {
		case *schema.AddTable:
			// Only a rebuild adds a table while modifying one: the new table,
			// named new_<table>, takes the place of the old.
			rebuilt = true
			if s.sql, err = renameCreateTable(createSQL(target), src.T.Name); err != nil {
				return nil, false, fmt.Errorf("plan %s: %w", describe(ch), err)
			}
		case *schema.AddIndex:
			if origin(src.I) == "u" {
				continue // created with the new table, by its UNIQUE constraint
			}
			if text := createSQL(src.I); text != "" {
				s.sql = text
			}
		case *schema.AddColumn:
			if def, ok := columnDef(createSQL(target), src.C.Name); ok {
				s.sql = "ALTER TABLE " + quoteIdent(target.Name) + " ADD COLUMN " + def
			}
		}
		// Atlas brackets rebuilds with foreign_keys pragmas, which are no-ops
		// inside the transaction the runtime runs a file in; the runtime
		// turns enforcement off around the transaction instead.
		if strings.HasPrefix(s.sql, "PRAGMA foreign_keys") {
			continue
		}
		stmts = append(stmts, s)
	}
	return stmts, rebuilt, nil
}

// rebuild is a table change that Atlas's SQLite planner has no ALTER TABLE
// for, so that it rebuilds the table. This is how schema.Change documents
// changes of other packages.
type rebuild struct {
	schema.Change
	reason string // what the rebuild changes, for messages
}

// changesConstraintIndex reports whether m adds, drops or changes a UNIQUE
// constraint. SQLite has no ALTER TABLE for constraints: Atlas would plan a
// CREATE or DROP INDEX instead, and the latter fails on the index of a
// constraint. A rebuild gives the table the constraints of its definition.
func changesConstraintIndex(m *schema.ModifyTable) bool {
	return slices.ContainsFunc(m.Changes, func(c schema.Change) bool {
		switch c := c.(type) {
		case *schema.AddIndex:
			return origin(c.I) == "u"
		case *schema.DropIndex:
			return origin(c.I) == "u"
		case *schema.ModifyIndex:
			return origin(c.From) == "u" || origin(c.To) == "u"
		}
		return false
	})
}

// createTable returns the statements that create t and its indexes, as
// the schema files wrote them.
func createTable(t *schema.Table) []stmt {
	stmts := []stmt{{comment: fmt.Sprintf("create %q table", t.Name), sql: createSQL(t)}}
	for _, idx := range t.Indexes {
		// Indexes of PRIMARY KEY and UNIQUE constraints come with the table.
		if text := createSQL(idx); text != "" {
			stmts = append(stmts, stmt{comment: fmt.Sprintf("create index %q to table: %q", idx.Name, t.Name), sql: text})
		}
	}
	return stmts
}

// createSQL returns the SQL that SQLite stored for a table or an index; ""
// for indexes that constraints create.
func createSQL[T *schema.Table | *schema.Index](x T) string {
	var attrs []schema.Attr
	switch x := any(x).(type) {
	case *schema.Table:
		attrs = x.Attrs
	case *schema.Index:
		attrs = x.Attrs
	}
	for _, a := range attrs {
		if c, ok := a.(*sqlite.CreateStmt); ok {
			return c.S
		}
	}
	return ""
}

// origin returns how SQLite created an index: "c" by CREATE INDEX, "u" by a
// UNIQUE constraint, "pk" by a PRIMARY KEY.
func origin(idx *schema.Index) string {
	for _, a := range idx.Attrs {
		if o, ok := a.(*sqlite.IndexOrigin); ok {
			return o.O
		}
	}
	return ""
}
