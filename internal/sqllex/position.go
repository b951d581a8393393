package sqllex

import "unicode/utf8"

// Position returns the 1-based line and column of the byte offset off in
// src, off clamped to src. The column counts runes (Unicode code points),
// not bytes: every file:line:col dbgen reports, from the generator or the
// runtime, follows this one rule, which is how editors and sqlc's parser
// count, so that text such as "—" or "漢字" earlier on the line does not
// push the column past the character meant.
func Position[T ~string | ~[]byte](src T, off int) (line, col int) {
	off = min(max(off, 0), len(src))
	line, start := 1, 0
	for i := range off {
		if src[i] == '\n' {
			line++
			start = i + 1
		}
	}
	return line, 1 + utf8.RuneCountInString(string(src[start:off]))
}
