package migrate

import (
	"fmt"
	"slices"
	"strings"

	"ariga.io/atlas/sql/schema"
)

// pgTouched returns the tables that a change of views and triggers must
// step around: PostgreSQL refuses to drop a table, or to drop or change
// the type of a column, that a view or a trigger uses. The views and
// triggers of these tables are dropped before the change and created
// again after it; so are those of renamed tables, whose SQL PostgreSQL
// rewrites for the new names where the schema files say them anew.
func pgTouched(changes []schema.Change) map[string]bool {
	touched := map[string]bool{}
	for _, ch := range changes {
		switch ch := ch.(type) {
		case *schema.DropTable:
			touched[ch.T.Name] = true
		case *schema.RenameTable:
			touched[ch.From.Name], touched[ch.To.Name] = true, true
		case *schema.ModifyTable:
			for _, mc := range ch.Changes {
				switch mc := mc.(type) {
				case *schema.DropColumn, *schema.RenameColumn:
					touched[ch.T.Name] = true
				case *schema.ModifyColumn:
					if mc.Change.Is(schema.ChangeType) || mc.Change.Is(schema.ChangeGenerated) {
						touched[ch.T.Name] = true
					}
				}
			}
		}
	}
	return touched
}

// pgObjectPlan is the view, function and trigger part of a migration.
type pgObjectPlan struct {
	drop, create []pgObject
}

// pgPlanObjects compares the views, functions and triggers of two states.
// Besides those added, removed and changed, it drops and creates again the
// views and triggers on a touched table, the views that read a dropped
// view, and the triggers that run a changed function.
func pgPlanObjects(from, to []pgObject, touched map[string]bool) pgObjectPlan {
	dropped := map[string]bool{}
	for changed := true; changed; {
		changed = false
		for _, o := range from {
			if dropped[o.key()] {
				continue
			}
			n, kept := findPGObject(to, o.kind, o.name)
			drop := !kept || n.def != o.def
			switch o.kind {
			case "trigger":
				drop = drop || touched[o.table] || slices.ContainsFunc(from, func(f pgObject) bool {
					return f.kind == "function" && dropped[f.key()] && runs(o.def, f.name)
				})
			case "view", "materialized view":
				drop = drop || slices.ContainsFunc(o.refs, func(r string) bool {
					return touched[r] || dropped["view "+r] || dropped["materialized view "+r]
				})
			}
			if drop {
				dropped[o.key()] = true
				changed = true
			}
		}
	}
	var p pgObjectPlan
	// Triggers first, then views, latest first, then functions: each may
	// use what comes after it.
	for _, kinds := range [][]string{{"trigger"}, {"view", "materialized view"}, {"function"}} {
		for _, o := range slices.Backward(from) {
			if slices.Contains(kinds, o.kind) && dropped[o.key()] {
				p.drop = append(p.drop, o)
			}
		}
	}
	for _, kinds := range [][]string{{"function"}, {"view", "materialized view"}, {"trigger"}} {
		for _, n := range to {
			if !slices.Contains(kinds, n.kind) {
				continue
			}
			if _, existed := findPGObject(from, n.kind, n.name); !existed || dropped[n.key()] {
				p.create = append(p.create, n)
			}
		}
	}
	return p
}

// runs reports whether a trigger's definition runs function fn, named
// with its arguments.
func runs(triggerDef, fn string) bool {
	name, _, _ := strings.Cut(fn, "(")
	return strings.Contains(triggerDef, "FUNCTION "+name+"(") || strings.Contains(triggerDef, "FUNCTION "+quotePG(name)+"(")
}

func (p pgObjectPlan) dropStmts() []stmt {
	stmts := make([]stmt, 0, len(p.drop))
	for _, o := range p.drop {
		s := stmt{comment: fmt.Sprintf("drop %s %q", o.kind, o.name)}
		switch o.kind {
		case "trigger":
			s.sql = "DROP TRIGGER " + quotePG(o.name) + " ON " + quotePG(o.table)
		case "function":
			name, args, _ := strings.Cut(o.name, "(")
			s.sql = "DROP FUNCTION " + quotePG(name) + "(" + args
		default:
			s.sql = "DROP " + strings.ToUpper(o.kind) + " " + quotePG(o.name)
		}
		stmts = append(stmts, s)
	}
	return stmts
}

func (p pgObjectPlan) createStmts() []stmt {
	stmts := make([]stmt, 0, len(p.create))
	for _, o := range p.create {
		stmts = append(stmts, stmt{comment: fmt.Sprintf("create %s %q", o.kind, o.name), sql: o.sql})
	}
	return stmts
}

// pgCompareObjects describes what differs between the views, functions
// and triggers of two states, and their extensions.
func pgCompareObjects(got, want *pgState) []string {
	var diffs []string
	for _, e := range want.extensions {
		if !slices.Contains(got.extensions, e) {
			diffs = append(diffs, fmt.Sprintf("create extension %q", e))
		}
	}
	for _, w := range want.objects {
		switch g, ok := findPGObject(got.objects, w.kind, w.name); {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("create %s %q", w.kind, w.name))
		case g.def != w.def:
			diffs = append(diffs, fmt.Sprintf("change %s %q", w.kind, w.name))
		}
	}
	for _, g := range got.objects {
		if _, ok := findPGObject(want.objects, g.kind, g.name); !ok {
			diffs = append(diffs, fmt.Sprintf("drop %s %q", g.kind, g.name))
		}
	}
	return diffs
}
