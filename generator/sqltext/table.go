package sqltext

import "strings"

// TableBody is what a CREATE TABLE statement says beyond what SQLite's
// pragmas report: the text of its CHECK constraints and generated columns,
// and each column's collation. Texts are as written in the source.
type TableBody struct {
	Columns []ColumnDef
	Checks  []Expr // table constraints CHECK (...)
}

// ColumnDef is one column definition of a CREATE TABLE.
type ColumnDef struct {
	Name      string
	Checks    []Expr // CHECK (...) on the column
	Generated *Expr  // GENERATED ALWAYS AS (...) or AS (...)
	Stored    bool   // the generated column is STORED (VIRTUAL otherwise)
	Collate   string // COLLATE name, "" when none
}

// Expr is the text of an expression in a statement, and where it starts.
type Expr struct {
	Text   string
	Offset int // byte offset in the source, as Token offsets are
	Tokens []Token
}

// ParseTable reads the column definitions and table constraints of a
// CREATE TABLE statement (nil for CREATE TABLE ... AS SELECT, or a
// statement it cannot read). SQLite has validated it already.
func ParseTable(s Statement) *TableBody {
	toks := s.Tokens
	open := -1
	for i, t := range toks {
		if t.Text == "(" {
			open = i
			break
		}
		if t.Is("AS") {
			return nil
		}
	}
	if open < 0 {
		return nil
	}
	body := &TableBody{}
	var parts [][]Token
	depth, start := 0, open+1
	for i := open; i < len(toks); i++ {
		switch toks[i].Text {
		case "(":
			depth++
		case ")":
			depth--
			if depth == 0 {
				parts = append(parts, toks[start:i])
				i = len(toks)
			}
		case ",":
			if depth == 1 {
				parts = append(parts, toks[start:i])
				start = i + 1
			}
		}
	}
	for _, p := range parts {
		if len(p) == 0 {
			continue
		}
		switch {
		case p[0].Is("CONSTRAINT"), p[0].Is("PRIMARY"), p[0].Is("UNIQUE"), p[0].Is("FOREIGN"):
			if c, ok := tableCheck(s, p); ok {
				body.Checks = append(body.Checks, c)
			}
		case p[0].Is("CHECK"):
			if c, ok := parenExpr(s, p, 1); ok {
				body.Checks = append(body.Checks, c)
			}
		default:
			body.Columns = append(body.Columns, columnDef(s, p))
		}
	}
	return body
}

// tableCheck reads CONSTRAINT name CHECK (...).
func tableCheck(s Statement, p []Token) (Expr, bool) {
	if len(p) > 2 && p[0].Is("CONSTRAINT") && p[2].Is("CHECK") {
		return parenExpr(s, p, 3)
	}
	return Expr{}, false
}

func columnDef(s Statement, p []Token) ColumnDef {
	c := ColumnDef{Name: Name(p[0])}
	for i := 1; i < len(p); i++ {
		switch {
		case p[i].Is("CHECK"):
			if e, ok := parenExpr(s, p, i+1); ok {
				c.Checks = append(c.Checks, e)
				i = skipParens(p, i+1)
			}
		case p[i].Is("COLLATE") && i+1 < len(p):
			c.Collate = Name(p[i+1])
			i++
		case p[i].Is("AS") && i+1 < len(p) && p[i+1].Text == "(":
			if e, ok := parenExpr(s, p, i+1); ok {
				c.Generated = &e
				i = skipParens(p, i+1)
				if i+1 < len(p) && p[i+1].Is("STORED") {
					c.Stored = true
				}
			}
		case p[i].Text == "(":
			i = skipParens(p, i) // a type's (n), a DEFAULT (expr), REFERENCES t(cols)
		}
	}
	return c
}

// parenExpr is the expression between the parenthesis at p[at] and the one
// that closes it.
func parenExpr(s Statement, p []Token, at int) (Expr, bool) {
	if at >= len(p) || p[at].Text != "(" {
		return Expr{}, false
	}
	end := skipParens(p, at)
	if end <= at+1 || end >= len(p) {
		return Expr{}, false
	}
	first, last := p[at+1], p[end-1]
	from, to := first.Offset-s.Offset, last.Offset-s.Offset+len(last.Text)
	return Expr{Text: strings.TrimSpace(s.Text[from:to]), Offset: first.Offset, Tokens: p[at+1 : end]}, true
}

// skipParens returns the index of the parenthesis that closes the one at
// p[at].
func skipParens(p []Token, at int) int {
	depth := 0
	for i := at; i < len(p); i++ {
		switch p[i].Text {
		case "(":
			depth++
		case ")":
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(p) - 1
}
