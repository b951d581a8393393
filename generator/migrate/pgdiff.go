package migrate

import (
	"context"
	"fmt"
	"slices"
	"strings"

	atlas "ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"
)

// pgDiffTables returns the changes of tables and indexes between two
// PostgreSQL states: Atlas's, with what a rename leaves behind made a
// rename too. PostgreSQL keeps the names of a table's indexes and
// constraints when the table or a column is renamed (posts_slug_key stays
// so on articles), where the schema made anew names them after the new
// names: an index or a foreign key dropped and added the same but for its
// name is renamed, which costs nothing, rather than built again.
func pgDiffTables(drv atlas.Driver, from, to *pgState) ([]schema.Change, error) {
	changes, err := drv.SchemaDiff(from.schema, to.schema)
	if err != nil {
		return nil, fmt.Errorf("diff schemas: %w", err)
	}
	if changes, err = pgDetectRenames(drv, from, to, changes); err != nil {
		return nil, err
	}
	for _, ch := range changes {
		if m, ok := ch.(*schema.ModifyTable); ok {
			m.Changes = pgPairNames(from, to, m.T.Name, m.Changes)
		}
	}
	return changes, nil
}

// pgDetectRenames is detectRenames for PostgreSQL: a dropped table and an
// added one of the same shape, one to one, are a rename.
func pgDetectRenames(drv atlas.Driver, from, to *pgState, changes []schema.Change) ([]schema.Change, error) {
	var drops, adds []int
	for i, ch := range changes {
		switch ch.(type) {
		case *schema.DropTable:
			drops = append(drops, i)
		case *schema.AddTable:
			adds = append(adds, i)
		}
	}
	matchOf := map[int]int{} // drop → add; -1 when ambiguous
	matched := map[int]int{}
	rest := map[int][]schema.Change{}
	for _, d := range drops {
		for _, a := range adds {
			t1, t2 := changes[d].(*schema.DropTable).T, changes[a].(*schema.AddTable).T
			r, ok, err := pgSameShape(drv, from, to, t1, t2)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			if _, dup := matchOf[d]; dup {
				matchOf[d] = -1
				continue
			}
			matchOf[d], rest[d] = a, r
			matched[a]++
		}
	}
	skip := map[int]bool{}
	for d, a := range matchOf {
		if a >= 0 && matched[a] == 1 {
			skip[d], skip[a] = true, true
		}
	}
	out := make([]schema.Change, 0, len(changes))
	for i, ch := range changes {
		if !skip[i] {
			out = append(out, ch)
			continue
		}
		if a, ok := matchOf[i]; ok {
			t1, t2 := ch.(*schema.DropTable).T, changes[a].(*schema.AddTable).T
			out = append(out, &schema.RenameTable{From: t1, To: t2})
			if len(rest[i]) > 0 {
				out = append(out, &schema.ModifyTable{T: t2, Changes: rest[i]})
			}
		}
	}
	return out, nil
}

// pgSameShape reports whether table t2 is t1 renamed, and returns the
// changes of indexes and names that remain between them.
func pgSameShape(drv atlas.Driver, from, to *pgState, t1, t2 *schema.Table) ([]schema.Change, bool, error) {
	if len(t1.Columns) != len(t2.Columns) {
		return nil, false, nil
	}
	renamed := renamedCopy(t1, t2.Name)
	changes, err := drv.TableDiff(renamed, t2)
	if err != nil {
		return nil, false, fmt.Errorf("compare tables %q and %q: %w", t1.Name, t2.Name, err)
	}
	changes = pgPairNames(from, to, t2.Name, changes)
	for _, ch := range changes {
		switch ch.(type) {
		case *schema.AddIndex, *schema.DropIndex, *schema.ModifyIndex, *schema.RenameIndex, *pgRenameConstraint:
		default:
			return nil, false, nil
		}
	}
	return changes, true, nil
}

// pgRenameConstraint renames a foreign key, which Atlas would drop and add.
type pgRenameConstraint struct {
	schema.Change
	table, from, to string
}

func (r *pgRenameConstraint) stmt() stmt {
	return stmt{
		comment: fmt.Sprintf("rename constraint %q of table %q to %q", r.from, r.table, r.to),
		sql:     "ALTER TABLE " + quotePG(r.table) + " RENAME CONSTRAINT " + quotePG(r.from) + " TO " + quotePG(r.to),
	}
}

// pgPairNames turns, in the changes of table, an index (or a foreign key)
// dropped and one added with the same definition into a rename.
func pgPairNames(from, to *pgState, table string, changes []schema.Change) []schema.Change {
	used := map[int]bool{}
	out := slices.Clone(changes)
	for i, ch := range changes {
		switch d := ch.(type) {
		case *schema.DropIndex:
			def, ok := from.indexDefs[d.I.Name]
			if !ok {
				continue
			}
			for j, other := range changes {
				if a, isAdd := other.(*schema.AddIndex); isAdd && !used[j] && to.indexDefs[a.I.Name] == def {
					used[i], used[j] = true, true
					out[i] = &schema.RenameIndex{From: d.I, To: a.I}
					break
				}
			}
		case *schema.DropForeignKey:
			def, ok := from.fkDefs[d.F.Symbol]
			if !ok {
				continue
			}
			for j, other := range changes {
				if a, isAdd := other.(*schema.AddForeignKey); isAdd && !used[j] && to.fkDefs[a.F.Symbol] == def {
					used[i], used[j] = true, true
					out[i] = &pgRenameConstraint{table: table, from: d.F.Symbol, to: a.F.Symbol}
					break
				}
			}
		}
	}
	kept := out[:0]
	for i, ch := range out {
		if used[i] {
			if _, isAdd := ch.(*schema.AddIndex); isAdd {
				continue
			}
			if _, isAdd := ch.(*schema.AddForeignKey); isAdd {
				continue
			}
		}
		kept = append(kept, ch)
	}
	return kept
}

// pgPlanTables plans the table changes with Atlas, unqualified: the
// runtime runs a file with the database's schema as the search_path.
// Besides Atlas's statements: a column whose type changes gets a USING
// cast, which PostgreSQL wants for most changes (text to bigint); a column
// made NOT NULL with a DEFAULT gets the DEFAULT where it is NULL first, as
// the SQLite side's table copy does; renamed foreign keys are renamed.
func pgPlanTables(ctx context.Context, drv atlas.Driver, changes []schema.Change) ([]stmt, error) {
	var (
		stmts   []stmt
		renames []stmt
		before  []stmt
		forAt   []schema.Change
	)
	for _, ch := range changes {
		m, ok := ch.(*schema.ModifyTable)
		if !ok {
			forAt = append(forAt, ch)
			continue
		}
		kept := make([]schema.Change, 0, len(m.Changes))
		for _, mc := range m.Changes {
			switch mc := mc.(type) {
			case *pgRenameConstraint:
				renames = append(renames, mc.stmt())
				continue
			case *schema.ModifyColumn:
				if mc.Change.Is(schema.ChangeType) {
					typ, err := postgres.FormatType(mc.To.Type.Type)
					if err != nil {
						return nil, fmt.Errorf("plan column %q of table %q: %w", mc.To.Name, m.T.Name, err)
					}
					if !slices.ContainsFunc(mc.Extra, func(c schema.Clause) bool { _, ok := c.(*postgres.ConvertUsing); return ok }) {
						mc.Extra = append(mc.Extra, &postgres.ConvertUsing{X: quotePG(mc.To.Name) + "::" + typ})
					}
				}
				if mc.Change.Is(schema.ChangeNull) && !mc.To.Type.Null && mc.To.Default != nil {
					if x := exprText(mc.To.Default); x != "" {
						before = append(before, stmt{
							comment: fmt.Sprintf("give column %q of table %q its DEFAULT where it is NULL", mc.To.Name, m.T.Name),
							sql: "UPDATE " + quotePG(m.T.Name) + " SET " + quotePG(mc.To.Name) + " = " + x +
								" WHERE " + quotePG(mc.To.Name) + " IS NULL",
						})
					}
				}
			}
			kept = append(kept, mc)
		}
		if len(kept) > 0 {
			c := *m
			c.Changes = kept
			forAt = append(forAt, &c)
		}
	}
	stmts = append(stmts, renames...)
	stmts = append(stmts, before...)
	if len(forAt) == 0 {
		return stmts, nil
	}
	plan, err := drv.PlanChanges(ctx, "", forAt, func(o *atlas.PlanOptions) { o.SchemaQualifier = new(string) })
	if err != nil {
		parts := make([]string, len(forAt))
		for i, ch := range forAt {
			parts[i] = describe(ch)
		}
		return nil, fmt.Errorf("plan %s: %w", strings.Join(parts, "; "), err)
	}
	for _, pc := range plan.Changes {
		stmts = append(stmts, stmt{comment: pc.Comment, sql: pc.Cmd, table: changeTable(pc.Source)})
	}
	return stmts, nil
}

// exprText is a DEFAULT's SQL text.
func exprText(x schema.Expr) string {
	switch x := x.(type) {
	case *schema.Literal:
		return x.V
	case *schema.RawExpr:
		return x.X
	}
	return ""
}
