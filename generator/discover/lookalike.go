package discover

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/dbgen-dev/dbgen/generator/config"
)

// A leading comment line that looks like a DATABASE_NAME directive but is
// not one would silently put the file's tables in the default database: it
// is an error with the directive it most likely means.
//
// A line looks like a directive when, after the dashes, it is a key close to
// DATABASE_NAME followed by one value:
//
//   - the key is DATABASE_NAME spelled another way (case, - or a space for
//     _, a letter off: DATABSE_NAME, DATABASE-NAME, database_name, Database
//     Name), within two edits, or a common other name (DATABASE, DB_NAME,
//     DBNAME);
//   - then a : or = and one word (DATABASE: shop), or, for a key written in
//     capitals, one name without a separator (DATABASE_NAME shop).
//
// Prose is left alone: "-- Database of the shop module" (several words),
// "-- database shop" (lower case, no separator), "-- DATABASE: the shop's
// tables" (several words after the colon).

// directiveWord is the directive's key without its colon.
const directiveWord = "DATABASE_NAME"

// otherKeys are names for the directive that are not close in spelling.
var otherKeys = map[string]bool{"DATABASE": true, "DB_NAME": true, "DBNAME": true, "DATABASENAME": true}

// lookalike returns the directive a leading comment line (body: the text
// after its dashes, trimmed) most likely means, or ok false when the line
// does not look like a directive.
func lookalike(body string) (fix string, ok bool) {
	if strings.HasPrefix(body, directiveKey) {
		return "", false // the directive itself
	}
	key, rest := splitKey(body)
	if key == "" {
		return "", false
	}
	norm := normalizeKey(key)
	exact := norm == directiveWord
	if !exact && !otherKeys[norm] && !(len(norm) >= 10 && osaDistance(norm, directiveWord) <= 2) {
		return "", false
	}
	rest = strings.TrimSpace(rest)
	separator := strings.HasPrefix(rest, ":") || strings.HasPrefix(rest, "=")
	if separator {
		rest = strings.TrimSpace(rest[1:])
	}
	values := strings.Fields(rest)
	switch {
	case len(values) == 0:
		return "", false
	case separator && (len(values) == 1 || exact):
	case !separator && len(values) == 1 && capitals(key) && nameLike(values[0]):
	default:
		return "", false
	}
	return "-- " + directiveKey + " " + suggestName(values[0]), true
}

// splitKey cuts a body into its leading key (letters, _ and -, and a
// second word joined by one space when the two make the key: DATABASE NAME)
// and the rest.
func splitKey(body string) (key, rest string) {
	word := func(s string) int {
		i := 0
		for i < len(s) && (isLetter(s[i]) || (i > 0 && (s[i] == '_' || s[i] == '-'))) {
			i++
		}
		return i
	}
	n := word(body)
	if n == 0 {
		return "", body
	}
	if n < len(body) && body[n] == ' ' {
		if m := word(body[n+1:]); m > 0 {
			two := body[:n+1+m]
			if norm := normalizeKey(two); norm == directiveWord || osaDistance(norm, directiveWord) <= 2 {
				return two, body[n+1+m:]
			}
		}
	}
	return body[:n], body[n:]
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func normalizeKey(key string) string {
	return strings.NewReplacer("-", "_", " ", "_").Replace(strings.ToUpper(key))
}

// capitals reports whether the key is written in capital letters, as a
// directive is and a sentence's first word is not.
func capitals(key string) bool {
	return !strings.ContainsFunc(key, unicode.IsLower)
}

// nameLike reports whether s could be a database name someone meant.
func nameLike(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isLetter(s[i]) && !(i > 0 && (s[i] == '_' || s[i] == '-' || s[i] >= '0' && s[i] <= '9')) {
			return false
		}
	}
	return s != ""
}

// suggestName is the name a fix proposes: the value as written when it is a
// valid database name, in lower case with _ when that makes one, else a
// placeholder.
func suggestName(v string) string {
	if config.CheckDatabaseName(v) == "" {
		return v
	}
	if lower := strings.ReplaceAll(strings.ToLower(v), "-", "_"); config.CheckDatabaseName(lower) == "" {
		return lower
	}
	return "<name>"
}

// lookalikeMessage is the error for a line that looks like the directive.
func lookalikeMessage(line, fix string) string {
	return fmt.Sprintf("`%s` looks like a DATABASE_NAME directive but is not one: dbgen would ignore it, and the file would not feed the database it names "+
		"(the directive is `-- DATABASE_NAME: <name>`, in capitals, with a colon); did you mean `%s`?", line, fix)
}

// osaDistance is the optimal string alignment distance of two ASCII
// strings: insertions, deletions, substitutions and transpositions of two
// adjacent letters (DATABSE) each count one.
func osaDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
