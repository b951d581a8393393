package sqllex

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
	class := classify(t)
	c.state = completeTrans[c.state][class]
	return class == tkSemi && c.state == stStart
}

func classify(t Token) int {
	switch {
	case t.Kind == Space || t.Kind == Comment:
		return tkWS
	case t.Kind == Punct && t.Text == ";":
		return tkSemi
	case t.Is("EXPLAIN"):
		return tkExplain
	case t.Is("CREATE"):
		return tkCreate
	case t.Is("TEMP") || t.Is("TEMPORARY"):
		return tkTemp
	case t.Is("TRIGGER"):
		return tkTrigger
	case t.Is("END"):
		return tkEnd
	}
	return tkOther
}
