package sqllex

import "strings"

// Completer tells, token by token, where SQLite itself ends a statement: it
// is sqlite3_complete's state machine (complete.c). A ';' ends a statement
// except inside the body of a CREATE [TEMP] TRIGGER, which only an END
// right after a ';' closes. Unlike counting BEGIN, CASE and END, it is not
// led astray by a table named trigger or a column named end.
type Completer struct{ state uint8 }

// Token classes and states of sqlite3_complete.
const (
	tkSemi = iota
	tkWS
	tkOther
	tkExplain
	tkCreate
	tkTemp
	tkTrigger
	tkEnd
)

const stStart = 1

var completeTrans = [8][8]uint8{
	/*            SEMI WS OTHER EXPLAIN CREATE TEMP TRIGGER END */
	/* 0 INVALID */ {1, 0, 2, 3, 4, 2, 2, 2},
	/* 1   START */ {1, 1, 2, 3, 4, 2, 2, 2},
	/* 2  NORMAL */ {1, 2, 2, 2, 2, 2, 2, 2},
	/* 3 EXPLAIN */ {1, 3, 3, 2, 4, 2, 2, 2},
	/* 4  CREATE */ {1, 4, 2, 2, 2, 4, 5, 2},
	/* 5 TRIGGER */ {6, 5, 5, 5, 5, 5, 5, 5},
	/* 6    SEMI */ {6, 6, 5, 5, 5, 5, 5, 7},
	/* 7     END */ {1, 7, 5, 5, 5, 5, 5, 5},
}

// Step feeds the next token and reports whether it is a ';' that ends a
// statement (empty statements included).
func (c *Completer) Step(t Token) bool {
	switch {
	case t.Kind == Space || t.Kind == Comment:
		c.state = completeTrans[c.state][tkWS]
	case t.Kind == Punct && t.Text == ";":
		c.state = completeTrans[c.state][tkSemi]
		return c.state == stStart
	case t.Kind == Word:
		// sqlite3_complete reads a word as runs of identifier characters
		// and the bytes between them: EXPLAIN:CREATE is to it EXPLAIN,
		// ':' and CREATE, where Tokens has one variable-like word.
		for i := 0; i < len(t.Text); {
			j := i + 1
			if isIDChar(t.Text[i]) {
				for j < len(t.Text) && isIDChar(t.Text[j]) {
					j++
				}
			}
			c.state = completeTrans[c.state][classifyWord(t.Text[i:j])]
			i = j
		}
	default:
		c.state = completeTrans[c.state][tkOther]
	}
	return false
}

func classifyWord(w string) int {
	switch {
	case strings.EqualFold(w, "EXPLAIN"):
		return tkExplain
	case strings.EqualFold(w, "CREATE"):
		return tkCreate
	case strings.EqualFold(w, "TEMP") || strings.EqualFold(w, "TEMPORARY"):
		return tkTemp
	case strings.EqualFold(w, "TRIGGER"):
		return tkTrigger
	case strings.EqualFold(w, "END"):
		return tkEnd
	}
	return tkOther
}

// isIDChar is SQLite's IdChar: what a keyword or bare name is made of.
// Unlike isWord it leaves out ':', '@' and '?', which start variables.
func isIDChar(c byte) bool { return c != ':' && c != '@' && c != '?' && isWord(c) }
