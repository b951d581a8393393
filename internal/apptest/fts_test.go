package apptest

import (
	"context"
	"testing"

	dbrt "github.com/dbgen-dev/dbgen/runtime"
)

// TestFullTextSearch opens a database whose schema has an FTS5 virtual
// table: the runtime registers the extension on every connection.
func TestFullTextSearch(t *testing.T) {
	ctx := context.Background()
	def := &dbrt.Definition{Name: "docs", DDL: `
CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE VIRTUAL TABLE docs_fts USING fts5(body, content='docs', content_rowid='id');
CREATE TRIGGER docs_ai AFTER INSERT ON docs BEGIN
  INSERT INTO docs_fts(rowid, body) VALUES (new.id, new.body);
END;`}
	db, err := dbrt.Open(ctx, t.TempDir(), def)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Writer().ExecContext(ctx, `INSERT INTO docs (body) VALUES ('the quick brown fox'), ('lazy dogs sleep')`); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := db.Reader().QueryRowContext(ctx, `SELECT rowid FROM docs_fts WHERE docs_fts MATCH 'fox'`).Scan(&id); err != nil || id != 1 {
		t.Fatalf("MATCH fox = %d, %v; want row 1", id, err)
	}
}
