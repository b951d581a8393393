package migrate

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strconv"
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

// describeQuery reads everything Describe compares in one statement, one
// row per fact of SQLite's pragma functions: a query costs more than its
// rows, and Open describes a database each time. The first column says what
// a row is: T a table, C a column, F a part of a foreign key, I a column of
// an index, O a view or trigger.
const describeQuery = `SELECT 'T', l.name, l.type, l.wr, l.strict, m.sql, NULL, NULL, NULL, NULL, NULL
FROM pragma_table_list AS l JOIN sqlite_schema AS m ON m.name = l.name
WHERE l.schema = 'main' AND l.type IN ('table', 'virtual', 'shadow')
UNION ALL
SELECT 'C', m.name, c.name, c.type, c."notnull", c.dflt_value, c.pk, c.hidden, NULL, NULL, NULL
FROM sqlite_schema AS m JOIN pragma_table_xinfo(m.name) AS c WHERE m.type = 'table'
UNION ALL
SELECT 'F', m.name, f.id, f.seq, f."table", f."from", f."to", f.on_update, f.on_delete, f."match", NULL
FROM sqlite_schema AS m JOIN pragma_foreign_key_list(m.name) AS f WHERE m.type = 'table'
UNION ALL
SELECT 'I', m.name, i.name, i."unique", i.origin, i.partial, x.seqno, x.cid, x.name, x."desc", x.coll
FROM sqlite_schema AS m JOIN pragma_index_list(m.name) AS i JOIN pragma_index_xinfo(i.name) AS x
WHERE m.type = 'table' AND x.key
UNION ALL
SELECT 'O', type, name, tbl_name, sql, NULL, NULL, NULL, NULL, NULL, NULL
FROM sqlite_schema WHERE type IN ('view', 'trigger')`

// Describe reads the schema of the database q is connected to.
func Describe(ctx context.Context, q Querier) (*Schema, error) {
	type (
		foreignKey struct {
			table, ref, onUpdate, onDelete, match string
			from, to                              map[int]string // by seq
		}
		index struct {
			table, name, origin string
			unique, partial     bool
			parts               map[int]string // by seqno
		}
	)
	var (
		facts       []fact
		described   = make(map[string]bool) // lower-case names of the tables of the schema
		foreignKeys = make(map[string]*foreignKey)
		indexes     = make(map[string]*index)
	)
	rows, err := q.QueryContext(ctx, describeQuery)
	if err != nil {
		return nil, describeError(err)
	}
	defer rows.Close()
	var v [11]sql.NullString
	dest := make([]any, len(v))
	for i := range v {
		dest[i] = &v[i]
	}
	num := func(i int) int { n, _ := strconv.Atoi(v[i].String); return n }
	flag := func(i int) bool { return num(i) != 0 }
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, describeError(err)
		}
		name := v[1].String
		switch v[0].String {
		case "T":
			if v[2].String == "shadow" || ownTable(name) {
				continue // a shadow table is part of its virtual table
			}
			described[strings.ToLower(name)] = true
			def := "table"
			switch withoutRowID, strict := flag(3), flag(4); {
			case v[2].String == "virtual":
				// Its module decides what it is: compare its arguments.
				def = "virtual table " + normalizeSQL(v[5].String, false)
			case withoutRowID && strict:
				def += " WITHOUT ROWID, STRICT"
			case withoutRowID:
				def += " WITHOUT ROWID"
			case strict:
				def += " STRICT"
			}
			facts = append(facts, fact{kind: "table", name: name, def: def})
		case "C":
			facts = append(facts, fact{kind: "column", table: name, name: v[2].String,
				def: columnDef(v[3].String, flag(4), v[5], num(6), num(7))})
		case "F":
			k := name + "\x00" + v[2].String
			fk := foreignKeys[k]
			if fk == nil {
				fk = &foreignKey{table: name, ref: v[4].String, onUpdate: v[7].String, onDelete: v[8].String,
					match: v[9].String, from: map[int]string{}, to: map[int]string{}}
				foreignKeys[k] = fk
			}
			fk.from[num(3)] = v[5].String
			if v[6].Valid {
				fk.to[num(3)] = v[6].String
			}
		case "I":
			k := name + "\x00" + v[2].String
			idx := indexes[k]
			if idx == nil {
				idx = &index{table: name, name: v[2].String, unique: flag(3), origin: v[4].String, partial: flag(5),
					parts: map[int]string{}}
				indexes[k] = idx
			}
			part := v[8].String
			if num(7) == -2 {
				part = "<expression>"
			}
			if flag(9) {
				part += " DESC"
			}
			if !strings.EqualFold(v[10].String, "BINARY") {
				part += " COLLATE " + v[10].String
			}
			idx.parts[num(6)] = part
		case "O":
			if ownTable(v[2].String) {
				continue
			}
			f := fact{kind: v[1].String, name: v[2].String, def: normalizeSQL(v[4].String, true)}
			if f.kind == "trigger" {
				f.table = v[3].String
			}
			facts = append(facts, f)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, describeError(err)
	}
	for _, k := range slices.Sorted(maps.Keys(foreignKeys)) {
		fk := foreignKeys[k]
		def := "REFERENCES " + strings.ToLower(fk.ref)
		if len(fk.to) > 0 {
			def += " (" + strings.ToLower(strings.Join(inOrder(fk.to), ", ")) + ")"
		}
		def += " ON UPDATE " + fk.onUpdate + " ON DELETE " + fk.onDelete
		if fk.match != "NONE" {
			def += " MATCH " + fk.match
		}
		facts = append(facts, fact{kind: "foreign key", table: fk.table, name: columnList(inOrder(fk.from)), def: def})
	}
	for _, idx := range indexes {
		parts := inOrder(idx.parts)
		def := "(" + strings.ToLower(strings.Join(parts, ", ")) + ")"
		switch idx.origin {
		case "pk":
			// The key of a WITHOUT ROWID table, or a non-integer one: the
			// columns say it already.
			continue
		case "u":
			// SQLite names these sqlite_autoindex_<table>_<n>, after their
			// place in the table: name them by their columns.
			facts = append(facts, fact{kind: "UNIQUE constraint", table: idx.table, name: columnList(parts), def: "UNIQUE " + def})
			continue
		}
		if idx.unique {
			def = "UNIQUE " + def
		}
		if idx.partial {
			def += " WHERE ..."
		}
		facts = append(facts, fact{kind: "index", table: idx.table, name: idx.name, def: "ON " + strings.ToLower(idx.table) + " " + def})
	}

	s := &Schema{facts: make(map[string]fact, len(facts))}
	for _, f := range facts {
		if f.table != "" && f.kind != "trigger" && !described[strings.ToLower(f.table)] {
			continue // of a shadow table, or of SQLite's or dbgen's
		}
		k := f.key()
		for n := 2; ; n++ { // two foreign keys on the same columns
			if _, dup := s.facts[k]; !dup {
				break
			}
			k = fmt.Sprintf("%s\x00%d", f.key(), n)
		}
		s.facts[k] = f
	}
	return s, nil
}

// ownTable reports the tables that are SQLite's or dbgen's, not the
// application's.
func ownTable(name string) bool {
	return name == RevisionsTable || len(name) >= 7 && strings.EqualFold(name[:7], "sqlite_")
}

// inOrder returns the values of m in the order of their keys.
func inOrder(m map[int]string) []string {
	out := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, m[k])
	}
	return out
}

func describeError(err error) error {
	return fileError(RevisionsTable, "read the schema of the database: %w", err)
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
