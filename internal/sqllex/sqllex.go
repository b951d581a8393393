// Package sqllex splits SQLite scripts into tokens and statements.
//
// It knows just enough of SQLite's lexical rules to find statement ends:
// strings, quoted identifiers, comments, and the BEGIN ... END body of
// CREATE TRIGGER, whose inner semicolons do not end the statement. The
// runtime applies migrations with it one statement at a time, and the
// generator replays them with it, so both read a file the same way; for the
// same reason Position is the one rule for a place's line and column.
package sqllex

import (
	"fmt"
	"strings"
)

// Kind classifies a token.
type Kind int

// Token kinds.
const (
	Space   Kind = iota // white space
	Comment             // -- line or /* block */ comment
	Word                // keyword, bare identifier, number or variable
	Quoted              // "identifier", `identifier` or [identifier]
	String              // 'string literal'
	Punct               // any other single character
)

// Token is one lexical element of a script.
type Token struct {
	Kind   Kind
	Text   string // the token as written, quotes included
	Offset int    // byte offset of the token in the script
}

// Is reports whether t is the bare word w, compared case-insensitively as
// SQLite compares keywords.
func (t Token) Is(w string) bool {
	return t.Kind == Word && strings.EqualFold(t.Text, w)
}

// Ident returns the identifier t names, unquoted, and whether t can name
// one at all.
func (t Token) Ident() (string, bool) {
	switch t.Kind {
	case Word:
		return t.Text, true
	case Quoted:
		q := t.Text[0]
		body := t.Text[1 : len(t.Text)-1]
		if q == '[' {
			return body, true
		}
		return strings.ReplaceAll(body, string([]byte{q, q}), string(q)), true
	}
	return "", false
}

// SyntaxError reports a string, identifier or comment left open, at the
// place it opens.
type SyntaxError struct {
	Line int // 1-based
	Col  int // 1-based, in runes (Position)
	Msg  string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// Tokens returns the tokens of src, in order; concatenated, their texts are src.
// A string, identifier or comment left open is a *SyntaxError; the tokens
// still cover src, the open one running to its end, so that a caller can
// still read what comes before it.
func Tokens(src string) ([]Token, error) {
	var (
		toks   []Token
		synErr error
	)
	for i := 0; i < len(src); {
		kind, end, err := scan(src, i)
		if err != nil {
			line, col := Position(src, i)
			synErr = &SyntaxError{Line: line, Col: col, Msg: err.Error()}
			end = len(src)
		}
		toks = append(toks, Token{Kind: kind, Text: src[i:end], Offset: i})
		i = end
	}
	return toks, synErr
}

// scan returns the kind and end offset of the token that starts at i; for a
// token left open, the kind it would have and an error.
func scan(src string, i int) (Kind, int, error) {
	c := src[i]
	switch {
	case isSpace(c):
		j := i + 1
		for j < len(src) && isSpace(src[j]) {
			j++
		}
		return Space, j, nil
	case c == '-' && strings.HasPrefix(src[i:], "--"):
		if j := strings.IndexByte(src[i:], '\n'); j >= 0 {
			return Comment, i + j + 1, nil
		}
		return Comment, len(src), nil
	case c == '/' && strings.HasPrefix(src[i:], "/*"):
		j := strings.Index(src[i+2:], "*/")
		if j < 0 {
			return Comment, 0, fmt.Errorf("unterminated /* comment")
		}
		return Comment, i + 2 + j + 2, nil
	case c == '\'':
		j, err := closeQuote(src, i, '\'')
		return String, j, err
	case c == '"' || c == '`':
		j, err := closeQuote(src, i, c)
		return Quoted, j, err
	case c == '[':
		j := strings.IndexByte(src[i:], ']')
		if j < 0 {
			return Quoted, 0, fmt.Errorf("unterminated [identifier]")
		}
		return Quoted, i + j + 1, nil
	case isWord(c):
		j := i + 1
		for j < len(src) && isWord(src[j]) {
			j++
		}
		return Word, j, nil
	}
	return Punct, i + 1, nil
}

// closeQuote returns the offset just past the quote q that closes the one at
// i; a doubled quote inside is an escaped quote.
func closeQuote(src string, i int, q byte) (int, error) {
	for j := i + 1; j < len(src); j++ {
		if src[j] != q {
			continue
		}
		if j+1 < len(src) && src[j+1] == q {
			j++
			continue
		}
		return j + 1, nil
	}
	return 0, fmt.Errorf("unterminated %c quote", q)
}

// spaces are the bytes SQLite reads as white space.
const spaces = " \t\n\r\f"

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// isWord reports whether c can be part of a bare word. Bytes of multi-byte
// UTF-8 characters count, as SQLite allows them in identifiers; '$', ':', '@'
// and '?' start variables, which are words too.
func isWord(c byte) bool {
	return c == '_' || c == '$' || c == ':' || c == '@' || c == '?' || c >= 0x80 ||
		'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// LineAt returns the 1-based line of the byte offset off in src, as
// Position does.
func LineAt(src string, off int) int {
	return 1 + strings.Count(src[:off], "\n")
}
