package diag

import (
	"bytes"
	"testing"
)

// TestPosition: columns count runes, so that multi-byte text before a
// problem on its line does not move the column past it.
func TestPosition(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		at        string // the position of the first occurrence of at
		line, col int
	}{
		{"ascii", "CREATE TABLE t (\n  x NUL\n);", "NUL", 2, 5},
		{"em dash", "-- price — in cents\nCREATE TABLE t (x NUL);", "NUL", 2, 19},
		{"em dash on the line", "CREATE TABLE t (x DEFAULT '—' NUL);", "NUL", 1, 31},
		{"CJK", "/* 漢字 */ CREATE TABLE t (x NUL);", "NUL", 1, 28},
		{"emoji", "CREATE TABLE \"😀\" (x NUL);", "NUL", 1, 21},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			off := bytes.Index([]byte(tt.text), []byte(tt.at))
			if line, col := Position([]byte(tt.text), off); line != tt.line || col != tt.col {
				t.Errorf("Position(%q, %d) = %d:%d, want %d:%d", tt.text, off, line, col, tt.line, tt.col)
			}
		})
	}
}

func TestDiagnosticString(t *testing.T) {
	tests := []struct {
		d    Diagnostic
		want string
	}{
		{Diagnostic{Path: "a.sql", Line: 2, Col: 3, Msg: "m"}, "a.sql:2:3: m"},
		{Diagnostic{Path: "a.sql", Line: 2, Msg: "m"}, "a.sql:2: m"},
		{Diagnostic{Path: "a.sql", Msg: "m"}, "a.sql: m"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}
