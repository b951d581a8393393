// Package sqltext reads SQLite source text without executing it, on top of
// the runtime's lexer (internal/sqllex), so that the generator and the
// runtime split a file the same way. It adds what only the generator needs:
// a statement's tokens and the head of a CREATE statement. SQLite itself
// remains the judge of validity; this package only finds where statements
// are, so that errors can name a file and a line.
package sqltext

import (
	"github.com/dbgen-dev/dbgen/internal/sqllex"
)

// Token is one lexical token; Offset is relative to the whole source.
type Token = sqllex.Token

// Token kinds, as the lexer has them.
const (
	Word   = sqllex.Word // keyword, bare identifier, number or variable
	Quoted = sqllex.Quoted
	String = sqllex.String
	Punct  = sqllex.Punct
)

// Name returns the identifier a token spells, unquoted; a string literal
// counts, since SQLite takes 'name' as an identifier where one is expected.
func Name(t Token) string {
	if t.Kind == String {
		body := t.Text[1 : len(t.Text)-1]
		out := make([]byte, 0, len(body))
		for i := 0; i < len(body); i++ {
			out = append(out, body[i])
			if body[i] == '\'' && i+1 < len(body) && body[i+1] == '\'' {
				i++
			}
		}
		return string(out)
	}
	name, _ := t.Ident()
	return name
}

// Tokenize returns the significant tokens of src: no white space, no
// comments. An unterminated string, identifier or comment is an error.
func Tokenize(src string) ([]Token, error) {
	all, err := sqllex.Tokens(src)
	if err != nil {
		return nil, err
	}
	toks := all[:0]
	for _, t := range all {
		if t.Kind != sqllex.Space && t.Kind != sqllex.Comment {
			toks = append(toks, t)
		}
	}
	return toks, nil
}
