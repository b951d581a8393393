package sqltext

// Statement is one SQL statement of a source text.
type Statement struct {
	Text   string  // from its first token up to, not including, its semicolon
	Offset int     // byte offset of Text in the source
	Tokens []Token // offsets relative to the source, not to Text
}

// Split cuts src into statements at semicolons, keeping a trigger's
// BEGIN ... END body (whose inner statements end in semicolons) whole.
// Empty statements are dropped.
func Split(src string) []Statement {
	toks := Tokenize(src)
	var stmts []Statement
	start := 0
	for start < len(toks) {
		end := statementEnd(toks[start:]) + start
		body := toks[start:end]
		if len(body) > 0 {
			last := body[len(body)-1]
			stmts = append(stmts, Statement{
				Text:   src[body[0].Offset : last.Offset+len(last.Text)],
				Offset: body[0].Offset,
				Tokens: body,
			})
		}
		start = end + 1 // past the semicolon
	}
	return stmts
}

// statementEnd returns the index of the semicolon that ends the statement
// starting at toks[0], or len(toks).
func statementEnd(toks []Token) int {
	trigger := isCreateTrigger(toks)
	inBody, caseDepth, bodyDone := false, 0, false
	for i, t := range toks {
		switch {
		case t.Kind == Punct && t.Text == ";":
			if !trigger || !inBody || bodyDone {
				return i
			}
		case !trigger || bodyDone:
		case !inBody && t.Is("BEGIN"):
			inBody = true
		case inBody && t.Is("CASE"):
			caseDepth++
		case inBody && t.Is("END"):
			if caseDepth > 0 {
				caseDepth--
			} else {
				bodyDone = true
			}
		}
	}
	return len(toks)
}

func isCreateTrigger(toks []Token) bool {
	if len(toks) < 2 || !toks[0].Is("CREATE") {
		return false
	}
	i := 1
	if toks[i].Is("TEMP") || toks[i].Is("TEMPORARY") {
		i++
	}
	return i < len(toks) && toks[i].Is("TRIGGER")
}
