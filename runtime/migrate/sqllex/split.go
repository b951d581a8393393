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
// comment, or the BEGIN ... END body of a CREATE TRIGGER; inside that body,
// CASE ... END expressions nest so that their END does not close the body.
func Split(src string) ([]Statement, error) {
	toks, err := Tokens(src)
	if err != nil {
		return nil, err
	}
	var (
		stmts []Statement
		cur   stmtState
	)
	flush := func(end int) {
		if cur.first < 0 {
			return
		}
		start := toks[cur.first].Offset
		stmts = append(stmts, Statement{
			Text:   strings.TrimSpace(src[start:end]),
			Offset: start,
			Line:   LineAt(src, start),
		})
	}
	cur.reset()
	for i, t := range toks {
		if t.Kind == Punct && t.Text == ";" && cur.complete() {
			flush(t.Offset)
			cur.reset()
			continue
		}
		if t.Kind == Space || t.Kind == Comment {
			continue
		}
		if cur.first < 0 {
			cur.first = i
		}
		cur.see(t)
	}
	flush(len(src))
	return stmts, nil
}

// stmtState follows the significant tokens of the statement being read, to
// tell whether a semicolon ends it.
type stmtState struct {
	first   int  // index of its first significant token, -1 before it
	words   int  // significant tokens seen
	create  bool // the first token is CREATE
	trigger bool // CREATE [TEMP|TEMPORARY] TRIGGER
	begun   bool // the trigger body's BEGIN was seen
	depth   int  // open BEGIN and CASE blocks of the trigger body
}

func (s *stmtState) reset() { *s = stmtState{first: -1} }

func (s *stmtState) complete() bool { return !s.trigger || s.begun && s.depth == 0 }

func (s *stmtState) see(t Token) {
	s.words++
	switch {
	case s.words == 1:
		s.create = t.Is("CREATE")
	case s.create && s.words <= 3 && t.Is("TRIGGER"):
		s.trigger = true
	case !s.trigger:
	case t.Is("BEGIN") && !s.begun:
		s.begun, s.depth = true, 1
	case s.begun && t.Is("CASE"):
		s.depth++
	case s.begun && t.Is("END"):
		s.depth--
	}
}
