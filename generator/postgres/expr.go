package postgres

import (
	"strings"

	"github.com/dbgen-dev/dbgen/generator/load"
	"github.com/dbgen-dev/dbgen/generator/sqltext"
	dbrt "github.com/dbgen-dev/dbgen/runtime"
)

// functions are the SQLite functions PostgreSQL has under a name of its
// own, with the same meaning for the arguments SQLite schemas give them.
var functions = map[string]string{
	"abs": "abs", "coalesce": "coalesce", "nullif": "nullif", "lower": "lower", "upper": "upper",
	"length": "length", "substr": "substr", "substring": "substring", "trim": "trim", "ltrim": "ltrim",
	"rtrim": "rtrim", "replace": "replace", "round": "round", "max": "max", "min": "min",
	"count": "count", "sum": "sum", "avg": "avg", "ifnull": "coalesce", "instr": "strpos",
}

// typeNames are the type names of a CAST, as PostgreSQL spells them.
var typeNames = map[string]string{
	"integer": "bigint", "int": "bigint", "bigint": "bigint", "real": "double precision", "double": "double precision",
	"float": "double precision", "numeric": "numeric", "text": "text", "blob": "bytea", "boolean": "boolean",
	"date": "date", "datetime": "timestamptz", "timestamp": "timestamptz",
}

// unportable are the operators and keywords of SQLite that PostgreSQL has
// not, or with another meaning.
var unportable = map[string]string{
	"GLOB":    "GLOB is SQLite's own operator",
	"REGEXP":  "REGEXP is SQLite's own operator",
	"MATCH":   "MATCH is SQLite's full-text operator",
	"COLLATE": "a collation name is SQLite's",
	"INDEXED": "INDEXED BY is SQLite's",
}

// expr translates an expression (or a view's query) of SQLite into
// PostgreSQL, or reports at its place why it cannot be. Names are quoted as
// the schema spells them, since PostgreSQL folds unquoted ones to lower
// case; = replaces ==; LIKE becomes ILIKE, SQLite's LIKE ignoring case;
// comparisons of a BOOLEAN column with 0 or 1 compare with false or true.
// t is the table the expression is about, nil for a view, whose names are
// those of every table.
func (d *deriver) expr(st *load.Statement, t *dbrt.Table, e sqltext.Expr) (string, bool) {
	toks := e.Tokens
	var b strings.Builder
	ok := true
	bad := func(tok sqltext.Token, format string, args ...any) {
		ok = false
		if e.Offset >= 0 && tok.Offset >= 0 && st != nil && e.Tokens != nil && tok.Offset >= st.Offset {
			d.atOffset(st, tok.Offset, format, args...)
			return
		}
		d.atStatement(st, format, args...)
	}
	prevEnd := -1
	for i := 0; i < len(toks); i++ {
		tok := toks[i]
		// Keep the spacing of the source between tokens.
		if prevEnd >= 0 && tok.Offset > prevEnd {
			b.WriteByte(' ')
		}
		prevEnd = tok.Offset + len(tok.Text)
		next := func(k int) sqltext.Token {
			if i+k < len(toks) {
				return toks[i+k]
			}
			return sqltext.Token{}
		}
		switch tok.Kind {
		case sqltext.Word:
			upper := strings.ToUpper(tok.Text)
			switch {
			case next(1).Text == "(":
				fn, known := functions[strings.ToLower(tok.Text)]
				switch {
				case known:
					b.WriteString(fn)
				case upper == "CAST" || upper == "EXISTS" || upper == "IN" || upper == "VALUES" || upper == "AS" || upper == "NOT" || upper == "AND" || upper == "OR" || upper == "ON" || upper == "USING" || upper == "FROM" || upper == "JOIN" || upper == "WHERE" || upper == "SELECT" || upper == "OVER":
					b.WriteString(tok.Text)
				default:
					bad(tok, "%s() is a function of SQLite's that dbgen does not carry over to PostgreSQL; use one both have (lower, upper, length, substr, coalesce, ...), or %s", tok.Text, d.hint(objectKind(st), objectName(st)))
				}
			case unportable[upper] != "":
				bad(tok, "%s, which PostgreSQL has not; %s", unportable[upper], d.hint(objectKind(st), objectName(st)))
			case (tok.Text == "x" || tok.Text == "X") && next(1).Kind == sqltext.String && next(1).Offset == prevEnd:
				b.WriteString(blobLiteral(tok.Text + next(1).Text))
				i++
				prevEnd = toks[i].Offset + len(toks[i].Text)
			case upper == "LIKE":
				b.WriteString("ILIKE")
			case upper == "AS" && next(1).Kind == sqltext.Word && i > 0 && toks[i-1].Text == "(":
				b.WriteString(tok.Text)
			case d.castType(toks, i) != "":
				b.WriteString(d.castType(toks, i))
			case d.isName(t, tok.Text):
				b.WriteString(quote(d.name(t, tok.Text)))
				if lit, ok := d.boolCompare(t, tok.Text, toks, i); ok {
					b.WriteString(lit.op)
					b.WriteString(lit.value)
					i += 2
					prevEnd = toks[i].Offset + len(toks[i].Text)
				}
			default:
				b.WriteString(tok.Text)
			}
		case sqltext.Quoted:
			name := sqltext.Name(tok)
			if known := d.name(t, name); known != "" {
				name = known
			}
			b.WriteString(quote(name))
		case sqltext.Punct:
			if tok.Text == "=" && next(1).Text == "=" {
				b.WriteString("=")
				i++
				prevEnd = toks[i].Offset + 1
				continue
			}
			b.WriteString(tok.Text)
		default:
			b.WriteString(tok.Text)
		}
	}
	return b.String(), ok
}

// castType is the PostgreSQL type of CAST(x AS type) at toks[i], "" when
// toks[i] is no such type name.
func (d *deriver) castType(toks []sqltext.Token, i int) string {
	if i == 0 || !toks[i-1].Is("AS") {
		return ""
	}
	depth := 0
	for j := i - 2; j >= 0; j-- {
		switch toks[j].Text {
		case ")":
			depth++
		case "(":
			if depth == 0 {
				if j > 0 && toks[j-1].Is("CAST") {
					return typeNames[strings.ToLower(toks[i].Text)]
				}
				return ""
			}
			depth--
		}
	}
	return ""
}

// isName reports whether a bare word names a column (of t, or of any table
// for a view) or a table or view: PostgreSQL would fold it to lower case.
func (d *deriver) isName(t *dbrt.Table, word string) bool {
	return d.name(t, word) != ""
}

// name returns the schema's spelling of a name of a column (of t, or of any
// table), table or view, "" when it names none.
func (d *deriver) name(t *dbrt.Table, word string) string {
	if t != nil {
		for _, c := range t.Columns {
			if strings.EqualFold(c.Name, word) {
				return c.Name
			}
		}
	}
	for i := range d.db.Tables {
		tt := &d.db.Tables[i]
		if strings.EqualFold(tt.Name, word) {
			return tt.Name
		}
		if t == nil {
			for _, c := range tt.Columns {
				if strings.EqualFold(c.Name, word) {
					return c.Name
				}
			}
		}
	}
	if t != nil && strings.EqualFold(word, "rowid") && t.RowIDKeyed() {
		return t.PrimaryKey[0]
	}
	return ""
}

type boolLiteral struct{ op, value string }

// boolCompare turns "flag = 1" into "flag = true" for a BOOLEAN column:
// SQLite stores booleans as 0 and 1, PostgreSQL refuses to compare them.
func (d *deriver) boolCompare(t *dbrt.Table, word string, toks []sqltext.Token, i int) (boolLiteral, bool) {
	if i+2 >= len(toks) {
		return boolLiteral{}, false
	}
	op, lit := toks[i+1], toks[i+2]
	if op.Text != "=" && op.Text != "<>" && op.Text != "!=" || lit.Text != "0" && lit.Text != "1" {
		return boolLiteral{}, false
	}
	if !d.isBool(t, word) {
		return boolLiteral{}, false
	}
	v := map[string]string{"0": "false", "1": "true"}[lit.Text]
	return boolLiteral{op: " " + op.Text + " ", value: v}, true
}

func (d *deriver) isBool(t *dbrt.Table, word string) bool {
	tables := d.db.Tables
	if t != nil {
		tables = []dbrt.Table{*t}
	}
	for i := range tables {
		if c := tables[i].Column(d.name(&tables[i], word)); c != nil && c.Family() == dbrt.FamilyBool {
			return true
		}
	}
	return false
}

// objectKind and objectName name the object a statement creates, for hints.
func objectKind(st *load.Statement) string {
	if st == nil || st.Create == nil {
		return "object"
	}
	if st.Create.Kind == sqltext.VirtualTable {
		return "table"
	}
	return string(st.Create.Kind)
}

func objectName(st *load.Statement) string {
	if st == nil || st.Create == nil {
		return ""
	}
	return st.Create.Name
}
