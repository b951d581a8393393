package migrate

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/dbgen-dev/dbgen/internal/sqllex"
)

// Schema is the structure of a database as SQLite reports it: its tables
// with their columns, keys, foreign keys and indexes from SQLite's pragmas,
// and its views and triggers by their SQL with the spelling normalized. Two
// databases built by different routes, the schema files run at once or
// migrations one after the other, have equal Schemas when they have the
// same structure, whatever the order of their columns, the quoting and case
// of their SQL, or the names SQLite gave the indexes of their constraints.
// What the pragmas do not show (CHECK constraints, column collations,
// AUTOINCREMENT) is not compared: dbgen check compares those.
//
// SQLite's own tables, the shadow tables of virtual tables and
// RevisionsTable are left out.
type Schema struct {
	facts map[string]fact // by key
}

// fact is one element of a schema that another schema may lack, have in
// addition or define differently: a table, a column, an index...
type fact struct {
	kind  string // "table", "column", "index", "UNIQUE constraint", "foreign key", "view", "trigger"
	table string // the table of a column, index, constraint or trigger; "" for tables and views
	name  string // as SQLite stores it; for constraints, their columns
	def   string // what is compared
}

func (f fact) key() string {
	return f.kind + "\x00" + strings.ToLower(f.table) + "\x00" + strings.ToLower(f.name)
}

// Querier is what Describe needs of a *sql.DB, *sql.Conn or *sql.Tx.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Describe reads the schema of the database q is connected to, in a few
// queries over SQLite's pragma functions.
func Describe(ctx context.Context, q Querier) (*Schema, error) {
	s := &Schema{facts: make(map[string]fact)}
	add := func(f fact) {
		k := f.key()
		for n := 2; ; n++ { // two foreign keys on the same columns
			if _, dup := s.facts[k]; !dup {
				break
			}
			k = fmt.Sprintf("%s\x00%d", f.key(), n)
		}
		s.facts[k] = f
	}
	tables := make(map[string]bool) // the tables described, by lower-case name
	err := queryRows(ctx, q, `SELECT l.name, l.type, l.wr, l.strict, coalesce(m.sql, '')
FROM pragma_table_list AS l JOIN sqlite_schema AS m ON m.name = l.name
WHERE l.schema = 'main' AND l.type IN ('table', 'virtual') AND l.name NOT LIKE 'sqlite\_%' ESCAPE '\' AND l.name <> ?`,
		[]any{RevisionsTable}, func(r *sql.Rows) error {
			var (
				name, typ, text      string
				withoutRowID, strict bool
			)
			if err := r.Scan(&name, &typ, &withoutRowID, &strict, &text); err != nil {
				return err
			}
			tables[strings.ToLower(name)] = true
			def := "table"
			switch {
			case typ == "virtual":
				// Its module decides what it is: compare its arguments.
				def = "virtual table " + normalizeSQL(text, false)
			case withoutRowID && strict:
				def += " WITHOUT ROWID, STRICT"
			case withoutRowID:
				def += " WITHOUT ROWID"
			case strict:
				def += " STRICT"
			}
			add(fact{kind: "table", name: name, def: def})
			return nil
		})
	if err != nil {
		return nil, describeError("tables", err)
	}
	// The joins below run a pragma per table: they name the tables of
	// pragma_table_list, shadow tables left out.
	const described = `FROM pragma_table_list AS l `
	const where = ` WHERE l.schema = 'main' AND l.type IN ('table', 'virtual') AND l.name NOT LIKE 'sqlite\_%' ESCAPE '\' AND l.name <> ?`
	err = queryRows(ctx, q, `SELECT l.name, c.name, c.type, c."notnull", c.dflt_value, c.pk, c.hidden `+described+
		`JOIN pragma_table_xinfo(l.name) AS c`+where, []any{RevisionsTable}, func(r *sql.Rows) error {
		var (
			table, name, typ string
			notNull          bool
			dflt             sql.NullString
			pk, hidden       int
		)
		if err := r.Scan(&table, &name, &typ, &notNull, &dflt, &pk, &hidden); err != nil {
			return err
		}
		add(fact{kind: "column", table: table, name: name, def: columnDef(typ, notNull, dflt, pk, hidden)})
		return nil
	})
	if err != nil {
		return nil, describeError("columns", err)
	}
	type fk struct {
		table, ref, onUpdate, onDelete, match string
		from, to                              []string
	}
	var fks []*fk
	byID := make(map[string]*fk)
	err = queryRows(ctx, q, `SELECT l.name, f.id, f."table", f."from", coalesce(f."to", ''), f.on_update, f.on_delete, f."match" `+
		described+`JOIN pragma_foreign_key_list(l.name) AS f`+where+` ORDER BY l.name, f.id, f.seq`,
		[]any{RevisionsTable}, func(r *sql.Rows) error {
			var (
				table, ref, from, to, onUpdate, onDelete, match string
				id                                              int
			)
			if err := r.Scan(&table, &id, &ref, &from, &to, &onUpdate, &onDelete, &match); err != nil {
				return err
			}
			k := fmt.Sprintf("%s\x00%d", table, id)
			f := byID[k]
			if f == nil {
				f = &fk{table: table, ref: ref, onUpdate: onUpdate, onDelete: onDelete, match: match}
				byID[k] = f
				fks = append(fks, f)
			}
			f.from = append(f.from, from)
			if to != "" {
				f.to = append(f.to, to)
			}
			return nil
		})
	if err != nil {
		return nil, describeError("foreign keys", err)
	}
	for _, f := range fks {
		def := "REFERENCES " + strings.ToLower(f.ref)
		if len(f.to) > 0 {
			def += " (" + strings.ToLower(strings.Join(f.to, ", ")) + ")"
		}
		def += " ON UPDATE " + f.onUpdate + " ON DELETE " + f.onDelete
		if f.match != "NONE" {
			def += " MATCH " + f.match
		}
		add(fact{kind: "foreign key", table: f.table, name: columnList(f.from), def: def})
	}
	type index struct {
		table, name, origin string
		unique, partial     bool
		parts               []string
	}
	var indexes []*index
	err = queryRows(ctx, q, `SELECT l.name, i.name, i."unique", i.origin, i.partial, coalesce(x.name, ''), x.cid, x."desc", coalesce(x.coll, '') `+
		described+`JOIN pragma_index_list(l.name) AS i JOIN pragma_index_xinfo(i.name) AS x`+where+
		` AND x.key ORDER BY l.name, i.name, x.seqno`, []any{RevisionsTable}, func(r *sql.Rows) error {
		var (
			table, name, origin, column, coll string
			unique, partial, desc             bool
			cid                               int
		)
		if err := r.Scan(&table, &name, &unique, &origin, &partial, &column, &cid, &desc, &coll); err != nil {
			return err
		}
		if n := len(indexes); n == 0 || indexes[n-1].table != table || indexes[n-1].name != name {
			indexes = append(indexes, &index{table: table, name: name, origin: origin, unique: unique, partial: partial})
		}
		part := column
		if cid == -2 {
			part = "<expression>"
		}
		if desc {
			part += " DESC"
		}
		if !strings.EqualFold(coll, "BINARY") {
			part += " COLLATE " + coll
		}
		idx := indexes[len(indexes)-1]
		idx.parts = append(idx.parts, part)
		return nil
	})
	if err != nil {
		return nil, describeError("indexes", err)
	}
	for _, idx := range indexes {
		def := "(" + strings.ToLower(strings.Join(idx.parts, ", ")) + ")"
		switch idx.origin {
		case "pk":
			// The key of a WITHOUT ROWID table, or a non-integer one: the
			// columns say it already.
			continue
		case "u":
			// SQLite names these sqlite_autoindex_<table>_<n>, after their
			// place in the table: name them by their columns.
			add(fact{kind: "UNIQUE constraint", table: idx.table, name: columnList(idx.parts), def: "UNIQUE " + def})
			continue
		}
		if idx.unique {
			def = "UNIQUE " + def
		}
		if idx.partial {
			def += " WHERE ..."
		}
		add(fact{kind: "index", table: idx.table, name: idx.name, def: "ON " + strings.ToLower(idx.table) + " " + def})
	}
	err = queryRows(ctx, q, `SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema
WHERE type IN ('view', 'trigger') AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`, nil, func(r *sql.Rows) error {
		var kind, name, table, text string
		if err := r.Scan(&kind, &name, &table, &text); err != nil {
			return err
		}
		f := fact{kind: kind, name: name, def: normalizeSQL(text, true)}
		if kind == "trigger" {
			f.table = table
		}
		add(f)
		return nil
	})
	if err != nil {
		return nil, describeError("views and triggers", err)
	}
	return s, nil
}

func describeError(what string, err error) error {
	return fileError(RevisionsTable, "read the schema's %s: %w", what, err)
}

func queryRows(ctx context.Context, q Querier, query string, args []any, row func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// columnDef describes a column as pragma_table_xinfo reports it.
func columnDef(typ string, notNull bool, dflt sql.NullString, pk, hidden int) string {
	var b strings.Builder
	b.WriteString(strings.ToUpper(strings.Join(strings.Fields(typ), " ")))
	if b.Len() == 0 {
		b.WriteString("(no type)")
	}
	if notNull {
		b.WriteString(" NOT NULL")
	}
	if dflt.Valid {
		b.WriteString(" DEFAULT ")
		b.WriteString(normalizeSQL(dflt.String, false))
	}
	switch {
	case pk == 1:
		b.WriteString(" PRIMARY KEY")
	case pk > 1:
		fmt.Fprintf(&b, " PRIMARY KEY (part %d)", pk)
	}
	switch hidden {
	case 1:
		b.WriteString(" HIDDEN")
	case 2:
		b.WriteString(" GENERATED VIRTUAL")
	case 3:
		b.WriteString(" GENERATED STORED")
	}
	return b.String()
}

func columnList(cols []string) string {
	return "(" + strings.Join(cols, ", ") + ")"
}

// normalizeSQL returns SQL text with its spelling made uniform: comments and
// white space between tokens, the case of keywords and identifiers, and the
// quoting of identifiers do not count, which SQLite changes when it rewrites
// a view or trigger for a renamed table or column. With header, the
// "CREATE [TEMP] VIEW|TRIGGER [IF NOT EXISTS]" words are left out.
func normalizeSQL(text string, header bool) string {
	toks, err := sqllex.Tokens(text)
	if err != nil {
		return strings.Join(strings.Fields(text), " ")
	}
	parts := make([]string, 0, len(toks))
	for _, t := range toks {
		switch t.Kind {
		case sqllex.Space, sqllex.Comment:
			continue
		case sqllex.Word, sqllex.Quoted:
			id, _ := t.Ident()
			parts = append(parts, strings.ToLower(id))
		default:
			parts = append(parts, t.Text)
		}
	}
	if header {
		i := 0
		skip := func(words ...string) bool {
			if i < len(parts) && slices.Contains(words, parts[i]) {
				i++
				return true
			}
			return false
		}
		skip("create")
		skip("temp", "temporary")
		skip("view", "trigger")
		if i+2 < len(parts) && parts[i] == "if" && parts[i+1] == "not" && parts[i+2] == "exists" {
			i += 3
		}
		parts = parts[i:]
	}
	return strings.Join(parts, " ")
}

// Difference is one way a schema differs from the one it is compared with.
type Difference struct {
	Kind  string // "table", "column", "index", "UNIQUE constraint", "foreign key", "view" or "trigger"
	Table string // the table of a column, index, constraint or trigger
	Name  string // the object; the columns of a constraint, "(a, b)"
	Got   string // its definition in the schema compared; "" when it lacks the object
	Want  string // its definition in the reference; "" when only the schema compared has it
}

// Missing reports an object of the reference that the schema lacks.
func (d Difference) Missing() bool { return d.Got == "" }

// Extra reports an object that only the schema compared has.
func (d Difference) Extra() bool { return d.Want == "" }

// Object names the object, e.g. `column "score" of table "comments"`.
func (d Difference) Object() string { return d.object("of") }

func (d Difference) object(prep string) string {
	var s string
	switch d.Kind {
	case "UNIQUE constraint", "foreign key":
		s = d.Kind + " on " + d.Name
	default:
		s = fmt.Sprintf("%s %q", d.Kind, d.Name)
	}
	if d.Table != "" {
		s += fmt.Sprintf(" %s table %q", prep, d.Table)
	}
	return s
}

// String says what differs, e.g. `no column "score" in table "comments"`.
func (d Difference) String() string {
	switch {
	case d.Missing():
		return "no " + d.object("in")
	case d.Extra():
		return "an extra " + d.object("in")
	case d.Kind == "view" || d.Kind == "trigger":
		return d.Object() + " is defined differently"
	}
	return fmt.Sprintf("%s is %s, want %s", d.Object(), d.Got, d.Want)
}

// Differences are the differences between two schemas.
type Differences []Difference

// String lists the first few differences, for a message.
func (ds Differences) String() string {
	const shown = 3
	parts := make([]string, 0, min(len(ds), shown))
	for i, d := range ds {
		if i == shown {
			break
		}
		parts = append(parts, d.String())
	}
	s := strings.Join(parts, "; ")
	if len(ds) > shown {
		s += fmt.Sprintf(" (and %d more)", len(ds)-shown)
	}
	return s
}

// Compare returns how s differs from want, tables first, then what is in
// them, each in name order; none when they have the same structure. The
// columns, indexes and constraints of a table that one of them lacks
// altogether are not listed: the table is.
func (s *Schema) Compare(want *Schema) Differences {
	var diffs Differences
	absent := func(in *Schema, table string) bool {
		_, isTable := in.facts[fact{kind: "table", name: table}.key()]
		_, isView := in.facts[fact{kind: "view", name: table}.key()] // INSTEAD OF triggers
		return table != "" && !isTable && !isView
	}
	for k, w := range want.facts {
		g, ok := s.facts[k]
		switch {
		case !ok && !absent(s, w.table):
			diffs = append(diffs, Difference{Kind: w.kind, Table: w.table, Name: w.name, Want: w.def})
		case ok && g.def != w.def:
			diffs = append(diffs, Difference{Kind: w.kind, Table: w.table, Name: w.name, Got: g.def, Want: w.def})
		}
	}
	for k, g := range s.facts {
		if _, ok := want.facts[k]; !ok && !absent(want, g.table) {
			diffs = append(diffs, Difference{Kind: g.kind, Table: g.table, Name: g.name, Got: g.def})
		}
	}
	group := func(d Difference) (string, int) {
		if d.Table == "" {
			return strings.ToLower(d.Name), 0
		}
		return strings.ToLower(d.Table), 1 // after the table itself
	}
	slices.SortFunc(diffs, func(a, b Difference) int {
		ga, ra := group(a)
		gb, rb := group(b)
		return cmp.Or(
			cmp.Compare(ga, gb),
			cmp.Compare(ra, rb),
			cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)),
			cmp.Compare(a.Got, b.Got),
		)
	})
	return diffs
}
