package sqllex

import (
	"errors"
	"strings"
	"testing"
)

func TestPosition(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		at        string // Position of the first occurrence of at in src
		line, col int
	}{
		{"start", "SELECT 1", "SELECT", 1, 1},
		{"ascii", "SELECT 1", "1", 1, 8},
		{"second line", "SELECT 1;\n  SELECT 2", "2", 2, 10},
		{"em dash before", "-- a — b\n'—' x", "x", 2, 5},
		{"em dash on the line", "SELECT '—', x", "x", 1, 13},
		{"CJK before", "/* 漢字 */ SELECT x", "x", 1, 17},
		{"CJK on an earlier line only", "-- 漢字\nSELECT x", "x", 2, 8},
		{"emoji before", "SELECT '😀', x", "x", 1, 13},
		{"mixed", "-- 漢字\n/* — */ '😀漢' x", "x", 2, 14},
		{"offset at the end", "'漢字'", "", 1, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			off := strings.Index(tt.src, tt.at)
			if tt.at == "" {
				off = len(tt.src)
			}
			if line, col := Position(tt.src, off); line != tt.line || col != tt.col {
				t.Errorf("Position(%q, %d) = %d:%d, want %d:%d", tt.src, off, line, col, tt.line, tt.col)
			}
			if line, col := Position([]byte(tt.src), off); line != tt.line || col != tt.col {
				t.Errorf("Position([]byte(%q), %d) = %d:%d, want %d:%d", tt.src, off, line, col, tt.line, tt.col)
			}
		})
	}
}

func TestPositionClamps(t *testing.T) {
	for _, off := range []int{-1, 100} {
		want := 1
		if off > 0 {
			want = 4 // just past "漢字x"
		}
		if line, col := Position("漢字x", off); line != 1 || col != want {
			t.Errorf("Position(%d) = %d:%d, want 1:%d", off, line, col, want)
		}
	}
}

// TestSyntaxErrorColumn: an unterminated token is reported at the rune
// column where it opens, whatever multi-byte text comes before it.
func TestSyntaxErrorColumn(t *testing.T) {
	tests := []struct {
		src       string
		line, col int
	}{
		{"SELECT 'open", 1, 8},
		{"SELECT '—', 'open", 1, 13},
		{"/* 漢字 */ SELECT \"open", 1, 17},
		{"SELECT '😀', [open", 1, 13},
		{"-- 漢字 — 😀\nSELECT 1; /* open", 2, 11},
	}
	for _, tt := range tests {
		_, err := Split(tt.src)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Split(%q) error = %v, want a *SyntaxError", tt.src, err)
			continue
		}
		if se.Line != tt.line || se.Col != tt.col {
			t.Errorf("Split(%q) error at %d:%d, want %d:%d", tt.src, se.Line, se.Col, tt.line, tt.col)
		}
	}
}
