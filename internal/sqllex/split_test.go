package sqllex

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []Statement
	}{
		{
			name: "empty and comments only",
			src:  "-- nothing here\n/* nor ; here */\n;;\n",
			want: nil,
		},
		{
			name: "two statements with comments",
			src:  "-- create\nCREATE TABLE t (a);\n\n-- fill\nINSERT INTO t VALUES (1)",
			want: []Statement{
				{Text: "CREATE TABLE t (a)", Offset: 10, Line: 2},
				{Text: "INSERT INTO t VALUES (1)", Offset: 39, Line: 5},
			},
		},
		{
			name: "semicolons in strings, identifiers and comments",
			src:  "INSERT INTO \"a;b\" VALUES ('x;''y', `c;`, [d;]) -- e;\n; SELECT /* ; */ 1;",
			want: []Statement{
				{Text: "INSERT INTO \"a;b\" VALUES ('x;''y', `c;`, [d;]) -- e;", Offset: 0, Line: 1},
				{Text: "SELECT /* ; */ 1", Offset: 55, Line: 2},
			},
		},
		{
			name: "trigger body with CASE",
			src: "CREATE TRIGGER tr AFTER INSERT ON t WHEN new.a > 0 BEGIN\n" +
				"  UPDATE t SET b = CASE WHEN new.a > 1 THEN 'big;' ELSE 'small' END WHERE rowid = new.rowid;\n" +
				"  DELETE FROM u;\n" +
				"END;\n" +
				"CREATE TEMP TRIGGER IF NOT EXISTS tr2 BEFORE DELETE ON t BEGIN SELECT 1; END;\n" +
				"SELECT 2;",
			want: []Statement{
				{Text: "CREATE TRIGGER tr AFTER INSERT ON t WHEN new.a > 0 BEGIN\n" +
					"  UPDATE t SET b = CASE WHEN new.a > 1 THEN 'big;' ELSE 'small' END WHERE rowid = new.rowid;\n" +
					"  DELETE FROM u;\n" +
					"END", Offset: 0, Line: 1},
				{Text: "CREATE TEMP TRIGGER IF NOT EXISTS tr2 BEFORE DELETE ON t BEGIN SELECT 1; END", Offset: 172, Line: 5},
				{Text: "SELECT 2", Offset: 250, Line: 6},
			},
		},
		{
			name: "BEGIN outside a trigger is a statement",
			src:  "BEGIN; CREATE TABLE trigger_log (a); END;",
			want: []Statement{
				{Text: "BEGIN", Offset: 0, Line: 1},
				{Text: "CREATE TABLE trigger_log (a)", Offset: 7, Line: 1},
				{Text: "END", Offset: 37, Line: 1},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Split(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Split mismatch (-want +got):\n%s", diff)
			}
			for _, s := range got {
				if !strings.HasPrefix(tt.src[s.Offset:], s.Text) {
					t.Errorf("statement %q is not at offset %d", s.Text, s.Offset)
				}
			}
		})
	}
}

func TestSplitUnterminated(t *testing.T) {
	tests := []struct {
		src  string
		want string
	}{
		{"SELECT 1;\nSELECT 'open", "line 2: unterminated ' quote"},
		{"SELECT \"open", "line 1: unterminated \" quote"},
		{"SELECT 1;\n\n/* open", "line 3: unterminated /* comment"},
		{"SELECT [open", "line 1: unterminated [identifier]"},
	}
	for _, tt := range tests {
		_, err := Split(tt.src)
		var se *SyntaxError
		if !errors.As(err, &se) || err.Error() != tt.want {
			t.Errorf("Split(%q) error = %v, want %q", tt.src, err, tt.want)
		}
	}
}

func TestTokensUnterminated(t *testing.T) {
	tests := []struct {
		src  string
		want Kind // of the last token, the one left open
	}{
		{"SELECT 1; 'open;", String},
		{"SELECT \"open;", Quoted},
		{"SELECT [open;", Quoted},
		{"SELECT 1; /* open;", Comment},
	}
	for _, tt := range tests {
		toks, err := Tokens(tt.src)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Tokens(%q) error = %v, want a *SyntaxError", tt.src, err)
		}
		var b strings.Builder
		for _, tok := range toks {
			b.WriteString(tok.Text)
		}
		if b.String() != tt.src {
			t.Errorf("Tokens(%q) texts join to %q, want the script", tt.src, b.String())
		}
		if last := toks[len(toks)-1]; last.Kind != tt.want {
			t.Errorf("Tokens(%q) last token %q has kind %d, want %d", tt.src, last.Text, last.Kind, tt.want)
		}
	}
}

func TestIdent(t *testing.T) {
	toks, err := Tokens("plain \"dq\"\"x\" `bt` [br] 'str' ;")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tok := range toks {
		if id, ok := tok.Ident(); ok {
			got = append(got, id)
		}
	}
	if diff := cmp.Diff([]string{"plain", `dq"x`, "bt", "br"}, got); diff != "" {
		t.Errorf("identifiers mismatch (-want +got):\n%s", diff)
	}
}

// TestSplitLikeSQLite: names that are keywords elsewhere do not fool the
// splitter, as they would a count of BEGIN, CASE and END.
func TestSplitLikeSQLite(t *testing.T) {
	src := "CREATE TABLE trigger (a);\nCREATE TABLE u (b, \"end\");\n" +
		"CREATE TRIGGER t AFTER INSERT ON u BEGIN UPDATE u SET \"end\" = 1; UPDATE u SET b = CASE WHEN b THEN 1 END; END;\n" +
		"CREATE TEMP TRIGGER t2 BEFORE DELETE ON u BEGIN SELECT 1; END;;\nSELECT 2"
	stmts, err := Split(src)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range stmts {
		got = append(got, s.Text)
	}
	want := []string{
		"CREATE TABLE trigger (a)",
		"CREATE TABLE u (b, \"end\")",
		"CREATE TRIGGER t AFTER INSERT ON u BEGIN UPDATE u SET \"end\" = 1; UPDATE u SET b = CASE WHEN b THEN 1 END; END",
		"CREATE TEMP TRIGGER t2 BEFORE DELETE ON u BEGIN SELECT 1; END",
		"SELECT 2",
	}
	if len(got) != len(want) {
		t.Fatalf("got %d statements %q, want %d", len(got), got, len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("statement %d = %q, want %q", i, got[i], want[i])
		}
	}
}
