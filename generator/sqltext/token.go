// Package sqltext reads SQLite source text without executing it: tokens,
// statement boundaries (triggers included) and the names a statement creates.
// SQLite itself remains the judge of validity; this package only finds where
// statements are, so that errors can name a file and a line.
package sqltext

import "strings"

// Kind classifies a token.
type Kind int

const (
	Word   Kind = iota // keyword or bare identifier
	Quoted             // "ident", `ident` or [ident]
	String             // 'text' or X'blob'
	Number
	Param // ?, ?NNN, :name, @name, $name
	Punct
)

// Token is one lexical token with its byte offset in the source.
type Token struct {
	Kind   Kind
	Text   string
	Offset int
}

// Is reports whether t is the keyword kw (case-insensitive).
func (t Token) Is(kw string) bool { return t.Kind == Word && strings.EqualFold(t.Text, kw) }

// Name returns the identifier the token spells, unquoted.
func (t Token) Name() string {
	if t.Kind != Quoted {
		return t.Text
	}
	body := t.Text[1 : len(t.Text)-1]
	switch t.Text[0] {
	case '"':
		return strings.ReplaceAll(body, `""`, `"`)
	case '`':
		return strings.ReplaceAll(body, "``", "`")
	}
	return body
}

// Tokenize splits src into tokens, skipping white space and comments. An
// unterminated string or comment runs to the end of the input: SQLite will
// report it with a better message than we could.
func Tokenize(src string) []Token {
	var toks []Token
	for i := 0; i < len(src); {
		c := src[i]
		start := i
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
			continue
		case c == '-' && strings.HasPrefix(src[i:], "--"):
			if j := strings.IndexByte(src[i:], '\n'); j >= 0 {
				i += j + 1
			} else {
				i = len(src)
			}
			continue
		case c == '/' && strings.HasPrefix(src[i:], "/*"):
			if j := strings.Index(src[i+2:], "*/"); j >= 0 {
				i += j + 4
			} else {
				i = len(src)
			}
			continue
		case c == '\'':
			i = skipQuoted(src, i, '\'')
			toks = append(toks, Token{String, src[start:i], start})
		case (c == 'x' || c == 'X') && i+1 < len(src) && src[i+1] == '\'':
			i = skipQuoted(src, i+1, '\'')
			toks = append(toks, Token{String, src[start:i], start})
		case c == '"' || c == '`':
			i = skipQuoted(src, i, c)
			toks = append(toks, Token{Quoted, src[start:i], start})
		case c == '[':
			if j := strings.IndexByte(src[i:], ']'); j >= 0 {
				i += j + 1
			} else {
				i = len(src)
			}
			toks = append(toks, Token{Quoted, src[start:i], start})
		case isDigit(c) || (c == '.' && i+1 < len(src) && isDigit(src[i+1])):
			for i < len(src) && (isIdent(src[i]) || src[i] == '.' ||
				((src[i] == '+' || src[i] == '-') && (src[i-1] == 'e' || src[i-1] == 'E'))) {
				i++
			}
			toks = append(toks, Token{Number, src[start:i], start})
		case c == '?' || ((c == ':' || c == '@' || c == '$') && i+1 < len(src) && isIdent(src[i+1])):
			i++
			for i < len(src) && isIdent(src[i]) {
				i++
			}
			toks = append(toks, Token{Param, src[start:i], start})
		case isIdent(c):
			for i < len(src) && isIdent(src[i]) {
				i++
			}
			toks = append(toks, Token{Word, src[start:i], start})
		default:
			i++
			if i < len(src) && strings.Contains("<=|>!", string(c)) && strings.Contains("=<>|", string(src[i])) {
				i++
			}
			toks = append(toks, Token{Punct, src[start:i], start})
		}
	}
	return toks
}

// skipQuoted returns the offset just past the quoted run starting at i, where
// a doubled quote character escapes itself.
func skipQuoted(src string, i int, q byte) int {
	for i++; i < len(src); i++ {
		if src[i] == q {
			if i+1 < len(src) && src[i+1] == q {
				i++
				continue
			}
			return i + 1
		}
	}
	return len(src)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isIdent(c byte) bool {
	return c == '_' || c >= 0x80 || isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'z')
}
