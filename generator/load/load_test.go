package load

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dbgen-dev/dbgen/generator/config"
	"github.com/dbgen-dev/dbgen/generator/discover"
)

// project writes files (path -> content) into a temporary module and
// discovers it.
func project(t *testing.T, files map[string]string) (*discover.Project, error) {
	t.Helper()
	dir := t.TempDir()
	files["go.mod"] = "module example.com/app\n"
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return discover.Run(dir, config.Default())
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{{
		name:  "syntax error points at the token",
		files: map[string]string{"a/schema.sql": "-- DATABASE_NAME: a\n\nCREATE TABLE t (\n  id INTEGER PRIMARY KEY,\n  name TEXT NOT NUL\n);\n"},
		want:  `a/schema.sql:5:17: near "NUL": syntax error`,
	}, {
		// Columns count runes: 漢字 is six bytes but two columns.
		name:  "syntax error after a CJK comment on the same line",
		files: map[string]string{"schema.sql": "/* 漢字 */ CREATE TABLE t (a INT NOT NUL);\n"},
		want:  `schema.sql:1:36: near "NUL": syntax error`,
	}, {
		name:  "syntax error after an em dash and an emoji",
		files: map[string]string{"schema.sql": "-- prices — in cents\nCREATE TABLE \"😀\" (note TEXT DEFAULT '—', n INT NOT NUL);\n"},
		want:  `schema.sql:2:52: near "NUL": syntax error`,
	}, {
		name:  "unterminated string after CJK text",
		files: map[string]string{"schema.sql": "CREATE TABLE t (a TEXT DEFAULT '漢字', b TEXT DEFAULT 'open);\n"},
		want:  "schema.sql:1:53: unterminated ' quote; close it",
	}, {
		name:  "reserved name after an emoji",
		files: map[string]string{"schema.sql": "/* 😀 */ CREATE TABLE sqlite_things (x);\n"},
		want:  `schema.sql:1:22: table name "sqlite_things" starts with sqlite_, which SQLite reserves for itself; rename it`,
	}, {
		name: "duplicate table across files names both places",
		files: map[string]string{
			"a/one.schema.sql": "-- DATABASE_NAME: a\nCREATE TABLE t (id INTEGER PRIMARY KEY);\n",
			"a/two.schema.sql": "-- DATABASE_NAME: a\n\nCREATE TABLE IF NOT EXISTS T (id INTEGER PRIMARY KEY);\n",
		},
		want: "a/two.schema.sql:3:28: table T is already defined at a/one.schema.sql:2 (database a); remove one of the two definitions",
	}, {
		name:  "duplicate index",
		files: map[string]string{"schema.sql": "CREATE TABLE t (x);\nCREATE INDEX i ON t (x);\nCREATE INDEX i ON t (x);\n"},
		want:  "schema.sql:3:14: index i is already defined at schema.sql:2 (database framework); remove one of the two definitions",
	}, {
		name:  "insert is not DDL",
		files: map[string]string{"schema.sql": "CREATE TABLE t (x);\n\nINSERT INTO t VALUES (1);\n"},
		want:  "schema.sql:3: INSERT INTO in a schema file: schema files hold only CREATE TABLE, INDEX, VIEW and TRIGGER; put seed data in a migration or in the application",
	}, {
		name:  "drop is not DDL here",
		files: map[string]string{"schema.sql": "CREATE TABLE t (x);\nDROP TABLE t;\n"},
		want:  "schema.sql:2: DROP TABLE in a schema file: schema files declare the schema as it should be; edit the CREATE statement instead and let `dbgen migrate diff` plan the change",
	}, {
		name:  "sqlite_ prefix is reserved",
		files: map[string]string{"schema.sql": "CREATE TABLE sqlite_things (x);\n"},
		want:  `schema.sql:1:14: table name "sqlite_things" starts with sqlite_, which SQLite reserves for itself; rename it`,
	}, {
		name: "foreign key into another database",
		files: map[string]string{
			"accounts/schema.sql": "-- DATABASE_NAME: accounts\nCREATE TABLE users (id INTEGER PRIMARY KEY);\n",
			"billing/schema.sql":  "-- DATABASE_NAME: billing\nCREATE TABLE invoices (\n  id INTEGER PRIMARY KEY,\n  user_id INTEGER REFERENCES users (id)\n);\n",
		},
		want: "billing/schema.sql:4:30: foreign key of invoices(user_id) references table users of database accounts; SQLite cannot enforce a foreign key across database files — keep both tables in one database or store the key without REFERENCES",
	}, {
		name:  "foreign key to a missing table",
		files: map[string]string{"schema.sql": "CREATE TABLE a (id INTEGER PRIMARY KEY, b_id INTEGER REFERENCES b (id));\n"},
		want:  "schema.sql:1:65: foreign key of a(b_id) references table b, which no schema file of database framework defines",
	}, {
		name:  "foreign key to a column that is not a key",
		files: map[string]string{"schema.sql": "CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT);\nCREATE TABLE c (code TEXT REFERENCES p (code));\n"},
		want:  "schema.sql:2:38: foreign key of c(code) references p(code), which is neither its primary key nor UNIQUE; SQLite would fail every write with \"foreign key mismatch\"",
	}, {
		name:  "index on a missing column",
		files: map[string]string{"schema.sql": "CREATE TABLE t (x);\n\nCREATE INDEX i ON t (y);\n"},
		want:  "schema.sql:3:22: no such column: y",
	}, {
		name:  "strict table with an unknown type",
		files: map[string]string{"schema.sql": "CREATE TABLE t (\n  at DATETIME\n) STRICT;\n"},
		want:  "schema.sql:2:3: unknown datatype for t.at: \"DATETIME\"",
	}, {
		name:  "two directives",
		files: map[string]string{"schema.sql": "-- DATABASE_NAME: a\n-- DATABASE_NAME: b\nCREATE TABLE t (x);\n"},
		want:  `schema.sql:2: second DATABASE_NAME "b" conflicts with "a" at line 1; a file feeds exactly one database`,
	}, {
		name:  "invalid database name",
		files: map[string]string{"schema.sql": "-- DATABASE_NAME: Billing-DB\nCREATE TABLE t (x);\n"},
		want:  `schema.sql:1: invalid database name "Billing-DB": use lower-case letters, digits and _, starting with a letter`,
	}, {
		name:  "not UTF-8",
		files: map[string]string{"schema.sql": "CREATE TABLE t (x);\n-- caf\xe9\n"},
		want:  "schema.sql:2: not UTF-8 text (invalid byte 0xe9); save the file as UTF-8",
	}, {
		name:  "temp table",
		files: map[string]string{"schema.sql": "CREATE TEMP TABLE t (x);\n"},
		want:  "schema.sql:1: CREATE TEMP TABLE makes an object that vanishes when the connection closes; remove TEMP",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := project(t, tt.files)
			if err == nil {
				_, err = Run(context.Background(), p)
			}
			if err == nil {
				t.Fatal("loaded without error")
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadOrderAcrossFiles(t *testing.T) {
	// A view and an index in the first file may use a table of the second,
	// and a view may use a later view: each is created once what it reads exists.
	p, err := project(t, map[string]string{
		"a.schema.sql": "CREATE VIEW v2 AS SELECT * FROM v1;\nCREATE VIEW v1 AS SELECT id FROM t;\nCREATE INDEX t_x ON t (x);\n",
		"b.schema.sql": "CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT);\n",
	})
	if err != nil {
		t.Fatal(err)
	}
	dbs, err := Run(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tb := range dbs[0].Tables {
		got = append(got, tb.Name)
	}
	if diff := cmp.Diff([]string{"t", "v1", "v2"}, got); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
	if !strings.Contains(dbs[0].DDL(), "CREATE INDEX t_x ON t (x);") {
		t.Errorf("DDL misses the index:\n%s", dbs[0].DDL())
	}
}

func TestInspectMetadata(t *testing.T) {
	p, err := project(t, map[string]string{"schema.sql": `
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org TEXT NOT NULL,
  email TEXT NOT NULL,
  lower_email TEXT GENERATED ALWAYS AS (lower(email)) VIRTUAL,
  note TEXT DEFAULT 'none',
  UNIQUE (org, email)
);
CREATE UNIQUE INDEX users_email ON users (email) WHERE org <> '';
CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID;
`})
	if err != nil {
		t.Fatal(err)
	}
	dbs, err := Run(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	users := dbs[0].Tables[0]
	if diff := cmp.Diff([]string{"id"}, users.PrimaryKey); diff != "" {
		t.Error(diff)
	}
	id, gen, note := users.Column("id"), users.Column("lower_email"), users.Column("note")
	if !id.RowID || !id.AutoIncr || id.Nullable {
		t.Errorf("id = %+v, want a non-null AUTOINCREMENT rowid alias", id)
	}
	if !gen.Generated {
		t.Errorf("lower_email = %+v, want generated", gen)
	}
	if note.Default != "'none'" || !note.Nullable {
		t.Errorf("note = %+v", note)
	}
	if diff := cmp.Diff([][]string{{"org", "email"}}, users.Unique); diff != "" {
		t.Errorf("unique sets (partial indexes excluded): %s", diff)
	}
	if len(users.Indexes) != 1 || users.Indexes[0].Where == "" {
		t.Errorf("indexes = %+v, want the partial index", users.Indexes)
	}
	kv := dbs[0].Tables[1]
	if !kv.WithoutRowID || kv.Column("k").Nullable {
		t.Errorf("kv = %+v", kv)
	}
}
