package load

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestChecks: the CHECK constraints of a table, on columns and on the
// table, named or not, with the text and line they are written at.
func TestChecks(t *testing.T) {
	p, err := project(t, map[string]string{"schema.sql": `-- DATABASE_NAME: shop
CREATE TABLE prices (
    id       INTEGER PRIMARY KEY,
    cents    INTEGER NOT NULL CHECK (cents >= 0),
    currency TEXT NOT NULL DEFAULT 'EUR' CONSTRAINT iso CHECK (length(currency) = 3) COLLATE NOCASE,
    "名前"   TEXT CHECK ("名前" <> ''),
    CONSTRAINT sane CHECK (cents < 100000000 OR currency = 'JPY'),
    CHECK (id > 0)
);
CREATE VIEW cheap AS SELECT id FROM prices WHERE cents < 100;
CREATE TABLE plain (x);
`})
	if err != nil {
		t.Fatal(err)
	}
	dbs, err := Run(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	want := []Check{
		{Column: "cents", Expr: "cents >= 0", Line: 4},
		{Column: "currency", Expr: "length(currency) = 3", Line: 5},
		{Column: "名前", Expr: `"名前" <> ''`, Line: 6},
		{Expr: "cents < 100000000 OR currency = 'JPY'", Line: 7},
		{Expr: "id > 0", Line: 8},
	}
	if diff := cmp.Diff(want, dbs[0].Checks("prices")); diff != "" {
		t.Errorf("checks (-want +got):\n%s", diff)
	}
	for _, name := range []string{"cheap", "plain", "missing"} {
		if got := dbs[0].Checks(name); got != nil {
			t.Errorf("Checks(%s) = %v, want none", name, got)
		}
	}
}
