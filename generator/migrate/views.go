package migrate

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/dbgen-dev/dbgen/internal/sqllex"
)

// object is a view or a trigger. Atlas's SQLite driver skips both, so dbgen
// compares them itself, by the SQL that SQLite stores for them.
type object struct {
	kind  string // "view" or "trigger"
	name  string
	table string // the table a trigger is on; the view itself for a view
	sql   string
}

func inspectObjects(ctx context.Context, db *sql.DB) ([]object, error) {
	rows, err := db.QueryContext(ctx, `SELECT type, name, tbl_name, sql FROM sqlite_master
WHERE type IN ('view', 'trigger') AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY rowid`)
	if err != nil {
		return nil, fmt.Errorf("inspect views and triggers: %w", err)
	}
	defer rows.Close()
	var objs []object
	for rows.Next() {
		var o object
		if err := rows.Scan(&o.kind, &o.name, &o.table, &o.sql); err != nil {
			return nil, fmt.Errorf("inspect views and triggers: %w", err)
		}
		objs = append(objs, o)
	}
	return objs, rows.Err()
}

func findObject(objs []object, kind, name string) (object, bool) {
	i := slices.IndexFunc(objs, func(o object) bool { return o.kind == kind && strings.EqualFold(o.name, name) })
	if i < 0 {
		return object{}, false
	}
	return objs[i], true
}

// objectPlan is the view and trigger part of a migration: what to drop
// before the table changes run and what to create after them.
type objectPlan struct {
	drop, create []object
}

// planObjects compares the views and triggers of two states. Besides the
// added, removed and changed ones, it drops and re-creates every one that
// refers to a table in touched: a table rebuild drops the table under them,
// and SQLite's ALTER TABLE ... RENAME fails while any view or trigger of the
// schema refers to a table that does not exist. Dependence is transitive,
// through views, and found by name: an over-match only re-creates an object
// unchanged.
func planObjects(from, to []object, touched map[string]bool) (objectPlan, error) {
	dropped := make(map[string]bool) // by kind and lower-case name
	key := func(o object) string { return o.kind + " " + strings.ToLower(o.name) }
	names := make(map[string]bool, len(touched))
	for t := range touched {
		names[strings.ToLower(t)] = true
	}
	for changed := true; changed; {
		changed = false
		for _, o := range from {
			if dropped[key(o)] {
				continue
			}
			n, kept := findObject(to, o.kind, o.name)
			refs, err := references(o.sql, names)
			if err != nil {
				return objectPlan{}, fmt.Errorf("%s %s: %w", o.kind, o.name, err)
			}
			if !kept || n.sql != o.sql || refs {
				dropped[key(o)] = true
				if o.kind == "view" {
					names[strings.ToLower(o.name)] = true
				}
				changed = true
			}
		}
	}
	var p objectPlan
	// Triggers first: they may refer to views about to go.
	for _, kind := range []string{"trigger", "view"} {
		for _, o := range slices.Backward(from) {
			if o.kind == kind && dropped[key(o)] {
				p.drop = append(p.drop, o)
			}
		}
	}
	for _, n := range to {
		if _, existed := findObject(from, n.kind, n.name); !existed || dropped[key(n)] {
			p.create = append(p.create, n)
		}
	}
	return p, nil
}

// references reports whether the SQL text refers to any of names, lower
// case, as an identifier.
func references(sqlText string, names map[string]bool) (bool, error) {
	if len(names) == 0 {
		return false, nil
	}
	toks, err := sqllex.Tokens(sqlText)
	if err != nil {
		return false, err
	}
	for _, t := range toks {
		if id, ok := t.Ident(); ok && names[strings.ToLower(id)] {
			return true, nil
		}
	}
	return false, nil
}

func (p objectPlan) empty() bool { return len(p.drop) == 0 && len(p.create) == 0 }

// dropStmts and createStmts render the plan.
func (p objectPlan) dropStmts() []stmt {
	stmts := make([]stmt, 0, len(p.drop))
	for _, o := range p.drop {
		stmts = append(stmts, stmt{
			comment: fmt.Sprintf("drop %s %q", o.kind, o.name),
			sql:     fmt.Sprintf("DROP %s %s", strings.ToUpper(o.kind), quoteIdent(o.name)),
		})
	}
	return stmts
}

func (p objectPlan) createStmts() []stmt {
	stmts := make([]stmt, 0, len(p.create))
	for _, o := range p.create {
		stmts = append(stmts, stmt{comment: fmt.Sprintf("create %s %q", o.kind, o.name), sql: o.sql})
	}
	return stmts
}

// quoteIdent quotes an identifier as Atlas's SQLite planner does.
func quoteIdent(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}
