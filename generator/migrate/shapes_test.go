package migrate

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestPlanShapes plans schema changes of many shapes. Plan checks its own
// work (the migration reaches v2 and the down script brings back v1), and
// Verify must find the directory in sync.
func TestPlanShapes(t *testing.T) {
	tests := []struct {
		name        string
		v1, v2      string
		destructive bool
		upHas       string // a line the migration must have
	}{
		{
			name:  "quoted names and IF NOT EXISTS, rebuilt",
			v1:    `CREATE TABLE IF NOT EXISTS "my table" ("the id" INTEGER PRIMARY KEY, [v] TEXT);`,
			v2:    `CREATE TABLE IF NOT EXISTS "my table" ("the id" INTEGER PRIMARY KEY, [v] TEXT NOT NULL DEFAULT 'x');`,
			upHas: "CREATE TABLE `new_my table` (\"the id\" INTEGER PRIMARY KEY, [v] TEXT NOT NULL DEFAULT 'x');",
		},
		{
			name:  "column with a foreign key added",
			v1:    `CREATE TABLE a (id INTEGER PRIMARY KEY); CREATE TABLE b (id INTEGER PRIMARY KEY);`,
			v2:    `CREATE TABLE a (id INTEGER PRIMARY KEY); CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a (id) ON DELETE SET NULL);`,
			upHas: "CREATE TABLE `new_b` (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a (id) ON DELETE SET NULL);",
		},
		{
			name:  "column type changed",
			v1:    `CREATE TABLE t (id INTEGER PRIMARY KEY, n TEXT);`,
			v2:    `CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER);`,
			upHas: "INSERT INTO `new_t` (`id`, `n`) SELECT `id`, `n` FROM `t`;",
		},
		{
			name:  "STRICT and generated column",
			v1:    `CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER NOT NULL) STRICT;`,
			v2:    `CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER NOT NULL, b INTEGER GENERATED ALWAYS AS (a * 2) STORED) STRICT;`,
			upHas: "CREATE TABLE `new_t` (id INTEGER PRIMARY KEY, a INTEGER NOT NULL, b INTEGER GENERATED ALWAYS AS (a * 2) STORED) STRICT;",
		},
		{
			name:        "table dropped under a view",
			v1:          `CREATE TABLE t (id INTEGER PRIMARY KEY); CREATE TABLE u (id INTEGER PRIMARY KEY); CREATE VIEW v AS SELECT t.id FROM t JOIN u USING (id);`,
			v2:          `CREATE TABLE u (id INTEGER PRIMARY KEY);`,
			destructive: true,
			upHas:       "DROP VIEW `v`;",
		},
		{
			name:  "index dropped, partial and expression indexes added",
			v1:    `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT); CREATE INDEX t_a ON t (a);`,
			v2:    `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT); CREATE INDEX t_b ON t (b) WHERE b IS NOT NULL; CREATE UNIQUE INDEX t_lower_a ON t (lower(a));`,
			upHas: "CREATE UNIQUE INDEX t_lower_a ON t (lower(a));",
		},
		{
			name:  "UNIQUE constraint added",
			v1:    `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);`,
			v2:    `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, UNIQUE (a));`,
			upHas: "CREATE TABLE `new_t` (id INTEGER PRIMARY KEY, a TEXT, UNIQUE (a));",
		},
		{
			name:  "view on a view, base table rebuilt",
			v1:    `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT); CREATE VIEW v1 AS SELECT a FROM t; CREATE VIEW v2 AS SELECT a FROM v1;`,
			v2:    `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT NOT NULL DEFAULT ''); CREATE VIEW v1 AS SELECT a FROM t; CREATE VIEW v2 AS SELECT a FROM v1;`,
			upHas: "DROP VIEW `v2`;",
		},
		{
			name:  "trigger on another table refers to the rebuilt one",
			v1:    `CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER); CREATE TABLE log (id INTEGER); CREATE TRIGGER l AFTER INSERT ON log BEGIN UPDATE t SET n = n + 1; END;`,
			v2:    `CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0); CREATE TABLE log (id INTEGER); CREATE TRIGGER l AFTER INSERT ON log BEGIN UPDATE t SET n = n + 1; END;`,
			upHas: "DROP TRIGGER `l`;",
		},
		{
			name:  "renamed table with its index renamed",
			v1:    `CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT UNIQUE); CREATE INDEX notes_body ON notes (body);`,
			v2:    `CREATE TABLE memos (id INTEGER PRIMARY KEY, body TEXT UNIQUE); CREATE INDEX memos_body ON memos (body);`,
			upHas: "ALTER TABLE `notes` RENAME TO `memos`;",
		},
		{
			name: "COLLATE kept on an added column",
			v1:   `CREATE TABLE t (id INTEGER PRIMARY KEY);`,
			v2: `CREATE TABLE t (id INTEGER PRIMARY KEY, -- the key
  name TEXT COLLATE NOCASE /* case-insensitive */ DEFAULT 'x'
);`,
			upHas: "ALTER TABLE `t` ADD COLUMN name TEXT COLLATE NOCASE /* case-insensitive */ DEFAULT 'x';",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "migrations")
			now := clock()
			plan(t, dir, "v1", tt.v1, now, false)
			r := plan(t, dir, "v2", tt.v2, now, tt.destructive)
			if up := string(r.Files[0].Data); !strings.Contains(up, "\n"+tt.upHas+"\n") {
				t.Errorf("migration lacks %q:\n%s", tt.upHas, up)
			}
			if findings, err := Verify(context.Background(), dir, tt.v2); err != nil || len(findings) > 0 {
				t.Errorf("Verify = %v, %v; want no findings", findings, err)
			}
		})
	}
}
