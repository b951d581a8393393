package migrate

import (
	"fmt"
	"slices"
	"strings"

	"ariga.io/atlas/sql/schema"

	"github.com/dbgen-dev/dbgen/internal/sqllex"
)

// This file reads CREATE TABLE statements as SQLite stores them, for what
// Atlas's model of a table leaves out.

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

// tableItems returns the comma-separated elements of the definition in a
// CREATE TABLE statement, column definitions and table constraints, as
// their significant tokens; none for CREATE TABLE ... AS SELECT.
func tableItems(text string) ([][]sqllex.Token, error) {
	toks, err := significant(text)
	if err != nil {
		return nil, err
	}
	open := slices.IndexFunc(toks, func(t sqllex.Token) bool { return t.Kind == sqllex.Punct && t.Text == "(" })
	if open < 0 {
		return nil, nil
	}
	var (
		items [][]sqllex.Token
		depth int
		start = open + 1
	)
	for i := start; i < len(toks); i++ {
		t := toks[i]
		if t.Kind != sqllex.Punct {
			continue
		}
		switch {
		case t.Text == "(":
			depth++
		case t.Text == ")" && depth > 0:
			depth--
		case t.Text == "," && depth == 0:
			items = append(items, toks[start:i])
			start = i + 1
		case t.Text == ")":
			return append(items, toks[start:i]), nil
		}
	}
	return nil, fmt.Errorf("unbalanced parentheses: %.40q", text)
}

// columnName returns the column an item defines; false for a table
// constraint.
func columnName(item []sqllex.Token) (string, bool) {
	if len(item) == 0 {
		return "", false
	}
	for _, kw := range []string{"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"} {
		if item[0].Is(kw) {
			return "", false
		}
	}
	return item[0].Ident()
}

// columnDef returns the definition of column in a CREATE TABLE statement,
// as written: its name, type and constraints.
func columnDef(text, column string) (string, bool) {
	items, err := tableItems(text)
	if err != nil {
		return "", false
	}
	for _, item := range items {
		if name, ok := columnName(item); ok && strings.EqualFold(name, column) {
			last := item[len(item)-1]
			return text[item[0].Offset : last.Offset+len(last.Text)], true
		}
	}
	return "", false
}

// redefinition says how table to is defined differently from table from in
// what Atlas's model of a table leaves out, such as COLLATE or ON CONFLICT
// clauses; "" when it is not. It compares the definitions of the columns
// both have, and the table constraints, as written but for spaces,
// comments, the case of keywords and the quoting of identifiers, which
// SQLite changes when it renames a table.
func redefinition(from, to *schema.Table) string {
	fromItems, err1 := tableItems(createSQL(from))
	toItems, err2 := tableItems(createSQL(to))
	if err1 != nil || err2 != nil {
		return ""
	}
	fromCols, fromCons := definitions(fromItems)
	toCols, toCons := definitions(toItems)
	for _, c := range to.Columns {
		key := strings.ToLower(c.Name)
		if def, ok := fromCols[key]; ok && def != toCols[key] {
			return fmt.Sprintf("redefine column %q from %q to %q", c.Name, def, toCols[key])
		}
	}
	if !slices.Equal(fromCons, toCons) {
		return "redefine table constraints"
	}
	return ""
}

// definitions returns the normalized column definitions of items by lower
// case column name, and their table constraints, sorted.
func definitions(items [][]sqllex.Token) (map[string]string, []string) {
	cols := make(map[string]string, len(items))
	var cons []string
	for _, item := range items {
		if name, ok := columnName(item); ok {
			cols[strings.ToLower(name)] = normalize(item)
		} else {
			cons = append(cons, normalize(item))
		}
	}
	slices.Sort(cons)
	return cols, cons
}

// normalize returns tokens as comparable text.
func normalize(tokens []sqllex.Token) string {
	parts := make([]string, len(tokens))
	for i, t := range tokens {
		switch t.Kind {
		case sqllex.Word, sqllex.Quoted:
			id, _ := t.Ident()
			parts[i] = strings.ToLower(id)
		default:
			parts[i] = t.Text
		}
	}
	return strings.Join(parts, " ")
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
