package sqllex

import "strings"

// Statement is one SQL statement of a script.
type Statement struct {
	Text   string // the statement without its terminating semicolon, trimmed
	Offset int    // byte offset of its first token in the script
	Line   int    // 1-based line of its first token
}

// Split returns the statements of src in order. Comments between statements
// are dropped, comments inside one are kept; empty statements are skipped.
//
// A semicolon ends a statement unless it sits in a string, an identifier, a
// comment, or the body of a CREATE TRIGGER, as SQLite decides (Completer).
func Split(src string) ([]Statement, error) {
	toks, err := Tokens(src)
	if err != nil {
		return nil, err
	}
	var (
		stmts []Statement
		c     Completer
		first = -1 // offset of the statement's first significant token
	)
	flush := func(end int) {
		if first < 0 {
			return
		}
		stmts = append(stmts, Statement{
			// Only the white space SQLite skips: a word may end in a
			// Unicode space (U+00A0 is part of the identifier x\u00a0),
			// and \v is a token SQLite refuses, which must reach it.
			Text:   strings.TrimRight(src[first:end], spaces),
			Offset: first,
			Line:   LineAt(src, first),
		})
		first = -1
	}
	for _, t := range toks {
		if c.Step(t) {
			flush(t.Offset)
			continue
		}
		if first < 0 && t.Kind != Space && t.Kind != Comment {
			first = t.Offset
		}
	}
	flush(len(src))
	return stmts, nil
}
