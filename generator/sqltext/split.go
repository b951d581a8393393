package sqltext

import "github.com/dbgen-dev/dbgen/internal/sqllex"

// Statement is one SQL statement of a source text.
type Statement struct {
	Text   string  // from its first token up to, not including, its semicolon
	Offset int     // byte offset of Text in the source
	Tokens []Token // significant tokens, offsets relative to the source
}

// Split cuts src into statements, keeping a trigger's BEGIN ... END body
// (whose inner statements end in semicolons) whole. Empty statements are
// dropped. An unterminated string, identifier or comment is an error.
func Split(src string) ([]Statement, error) {
	parts, err := sqllex.Split(src)
	if err != nil {
		return nil, err
	}
	stmts := make([]Statement, len(parts))
	for i, p := range parts {
		toks, err := Tokenize(p.Text)
		if err != nil {
			return nil, err
		}
		for j := range toks {
			toks[j].Offset += p.Offset
		}
		stmts[i] = Statement{Text: p.Text, Offset: p.Offset, Tokens: toks}
	}
	return stmts, nil
}
