package sqltext

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplit(t *testing.T) {
	src := `-- header; with a semicolon
CREATE TABLE "a;b" (x TEXT DEFAULT 'it''s; fine'); /* c; */
CREATE TRIGGER tr AFTER INSERT ON t BEGIN
  UPDATE t SET x = CASE WHEN new.x > 0 THEN 'pos' ELSE 'neg' END;
  DELETE FROM u WHERE id = new.id;
END;
CREATE VIEW v AS SELECT [weird;name] FROM t;;
CREATE INDEX i ON t (x)`
	stmts, err := Split(src)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range stmts {
		got = append(got, s.Text)
	}
	want := []string{
		`CREATE TABLE "a;b" (x TEXT DEFAULT 'it''s; fine')`,
		"CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  UPDATE t SET x = CASE WHEN new.x > 0 THEN 'pos' ELSE 'neg' END;\n  DELETE FROM u WHERE id = new.id;\nEND",
		`CREATE VIEW v AS SELECT [weird;name] FROM t`,
		`CREATE INDEX i ON t (x)`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Split (-want +got):\n%s", diff)
	}
}

func TestParseCreate(t *testing.T) {
	tests := []struct {
		sql  string
		want Create
	}{
		{`CREATE TABLE IF NOT EXISTS main."Order" (x)`, Create{Kind: Table, Name: "Order", IfNotExists: true, Schema: "main"}},
		{`create unique index ix on [t] (x)`, Create{Kind: Index, Name: "ix", On: "t"}},
		{`CREATE VIRTUAL TABLE ft USING fts5(b)`, Create{Kind: VirtualTable, Name: "ft"}},
		{`CREATE TEMP TRIGGER tr BEFORE DELETE ON main.t BEGIN SELECT 1; END`, Create{Kind: Trigger, Name: "tr", On: "t", Temp: true}},
		{"CREATE VIEW `v w` AS SELECT 1", Create{Kind: View, Name: "v w"}},
	}
	for _, tt := range tests {
		stmts, err := Split(tt.sql)
		if err != nil {
			t.Fatal(err)
		}
		c, err := ParseCreate(stmts[0])
		if err != nil {
			t.Fatalf("%s: %v", tt.sql, err)
		}
		c.NameToken = Token{}
		if diff := cmp.Diff(tt.want, *c); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.sql, diff)
		}
	}
	for _, sql := range []string{"INSERT INTO t VALUES (1)", "ALTER TABLE t ADD y", "PRAGMA foreign_keys=ON", "CREATE SEQUENCE s"} {
		stmts, _ := Split(sql)
		if _, err := ParseCreate(stmts[0]); err == nil {
			t.Errorf("%s: accepted as a CREATE statement", sql)
		}
	}
}
