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

// Lines gives Position for many offsets of one text without reading it
// from the start each time: the offsets where lines start are found once.
type Lines struct {
	src    string
	starts []int
}

// NewLines indexes the lines of src.
func NewLines[T ~string | ~[]byte](src T) *Lines {
	l := &Lines{src: string(src), starts: []int{0}}
	for i := 0; i < len(l.src); i++ {
		if l.src[i] == '\n' {
			l.starts = append(l.starts, i+1)
		}
	}
	return l
}

// Position is Position(src, off).
func (l *Lines) Position(off int) (line, col int) {
	off = min(max(off, 0), len(l.src))
	// The last line start at or before off.
	lo, hi := 0, len(l.starts)
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if l.starts[mid] <= off {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + 1, 1 + utf8.RuneCountInString(l.src[l.starts[lo]:off])
}
