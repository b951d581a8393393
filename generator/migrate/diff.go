package migrate

import (
	"context"
	"fmt"
	"slices"
	"strings"

	atlas "ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"

	"github.com/dbgen-dev/dbgen/runtime/migrate/sqllex"
)

// stmt is one statement of a planned migration.
type stmt struct {
	comment string // what it does, without the leading "-- "
	sql     string // without the terminating semicolon
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
func planChange(ctx context.Context, drv atlas.Driver, from, to *state) (*change, error) {
	changes, err := drv.RealmDiff(from.realm, to.realm)
	if err != nil {
		return nil, fmt.Errorf("diff schemas: %w", err)
	}
	changes, err = detectRenames(drv, changes)
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
	objs, err := planObjects(from.objects, to.objects, touched)
	if err != nil {
		return nil, err
	}
	c.stmts = append(objs.dropStmts(), tables...)
	c.stmts = append(c.stmts, objs.createStmts()...)
	return c, nil
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
			forced.Changes = append(slices.Clip(m.Changes), &rebuild{})
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
type rebuild struct{ schema.Change }

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

// renameCreateTable returns the CREATE TABLE statement text with the table
// renamed to name.
func renameCreateTable(text, name string) (string, error) {
	toks, err := significant(text)
	if err != nil {
		return "", err
	}
	i := 0
	next := func(words ...string) bool {
		for _, w := range words {
			if i < len(toks) && toks[i].Is(w) {
				i++
				return true
			}
		}
		return false
	}
	if !next("CREATE") {
		return "", fmt.Errorf("not a CREATE TABLE statement: %.40q", text)
	}
	next("TEMP", "TEMPORARY")
	if !next("TABLE") || next("IF") && !(next("NOT") && next("EXISTS")) {
		return "", fmt.Errorf("not a CREATE TABLE statement: %.40q", text)
	}
	if i >= len(toks) {
		return "", fmt.Errorf("CREATE TABLE without a name: %.40q", text)
	}
	start, end := toks[i], toks[i]
	if i+2 < len(toks) && toks[i+1].Text == "." { // schema-qualified
		end = toks[i+2]
	}
	return text[:start.Offset] + quoteIdent(name) + text[end.Offset+len(end.Text):], nil
}

// columnDef returns the definition of column in a CREATE TABLE statement,
// as written: its name, type and constraints.
func columnDef(text, column string) (string, bool) {
	toks, err := significant(text)
	if err != nil {
		return "", false
	}
	open := slices.IndexFunc(toks, func(t sqllex.Token) bool { return t.Kind == sqllex.Punct && t.Text == "(" })
	if open < 0 {
		return "", false // CREATE TABLE ... AS SELECT
	}
	depth, start := 0, open+1
	for i := start; i < len(toks); i++ {
		t := toks[i]
		if t.Kind != sqllex.Punct {
			continue
		}
		switch {
		case t.Text == "(":
			depth++
			continue
		case t.Text == ")" && depth > 0:
			depth--
			continue
		case t.Text == "," && depth > 0, t.Text != "," && t.Text != ")":
			continue
		}
		// t ends an item: a top-level comma, or the closing parenthesis.
		if def, ok := columnItem(text, toks[start:i], column); ok {
			return def, true
		}
		if t.Text == ")" {
			break
		}
		start = i + 1
	}
	return "", false
}

// columnItem returns the text of item, one comma-separated element of a
// table definition, when it defines column.
func columnItem(text string, item []sqllex.Token, column string) (string, bool) {
	if len(item) == 0 {
		return "", false
	}
	name, ok := item[0].Ident()
	if !ok || !strings.EqualFold(name, column) {
		return "", false
	}
	for _, kw := range []string{"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"} {
		if item[0].Is(kw) {
			return "", false
		}
	}
	last := item[len(item)-1]
	return text[item[0].Offset : last.Offset+len(last.Text)], true
}

// significant returns the tokens of text other than spaces and comments.
func significant(text string) ([]sqllex.Token, error) {
	toks, err := sqllex.Tokens(text)
	if err != nil {
		return nil, err
	}
	out := toks[:0]
	for _, t := range toks {
		if t.Kind != sqllex.Space && t.Kind != sqllex.Comment {
			out = append(out, t)
		}
	}
	return out, nil
}

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

// describe says what a change does, for messages.
func describe(ch schema.Change) string {
	switch ch := ch.(type) {
	case *schema.AddTable:
		return fmt.Sprintf("create table %q", ch.T.Name)
	case *schema.DropTable:
		return fmt.Sprintf("drop table %q", ch.T.Name)
	case *schema.RenameTable:
		return fmt.Sprintf("rename table %q to %q", ch.From.Name, ch.To.Name)
	case *schema.ModifyTable:
		parts := make([]string, 0, len(ch.Changes))
		for _, mc := range ch.Changes {
			parts = append(parts, describeTableChange(mc))
		}
		return fmt.Sprintf("%s on table %q", strings.Join(parts, ", "), ch.T.Name)
	}
	return fmt.Sprintf("%T", ch)
}

func describeTableChange(ch schema.Change) string {
	switch ch := ch.(type) {
	case *schema.AddColumn:
		return fmt.Sprintf("add column %q", ch.C.Name)
	case *schema.DropColumn:
		return fmt.Sprintf("drop column %q", ch.C.Name)
	case *schema.ModifyColumn:
		return fmt.Sprintf("modify column %q", ch.To.Name)
	case *schema.AddIndex:
		return "add " + indexName(ch.I)
	case *schema.DropIndex:
		return "drop " + indexName(ch.I)
	case *schema.ModifyIndex:
		return "modify " + indexName(ch.To)
	case *schema.AddForeignKey:
		return fmt.Sprintf("add foreign key on %s", columnNames(ch.F.Columns))
	case *schema.DropForeignKey:
		return fmt.Sprintf("drop foreign key on %s", columnNames(ch.F.Columns))
	case *schema.ModifyForeignKey:
		return fmt.Sprintf("modify foreign key on %s", columnNames(ch.To.Columns))
	case *schema.AddCheck:
		return "add check constraint"
	case *schema.DropCheck:
		return "drop check constraint"
	case *schema.ModifyCheck:
		return "modify check constraint"
	case *schema.AddAttr, *schema.DropAttr:
		return "change table options (STRICT, WITHOUT ROWID)"
	}
	return strings.TrimPrefix(fmt.Sprintf("%T", ch), "*schema.")
}

// indexName names an index for messages; the index of a UNIQUE constraint
// by its columns, as its name is dbgen's.
func indexName(idx *schema.Index) string {
	if origin(idx) != "u" {
		return fmt.Sprintf("index %q", idx.Name)
	}
	cols := make([]*schema.Column, 0, len(idx.Parts))
	for _, p := range idx.Parts {
		if p.C != nil {
			cols = append(cols, p.C)
		}
	}
	return "UNIQUE constraint on " + columnNames(cols)
}

func columnNames(cs []*schema.Column) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = fmt.Sprintf("%q", c.Name)
	}
	return strings.Join(names, ", ")
}
