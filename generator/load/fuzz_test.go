package load

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dbgen-dev/dbgen/generator/diag"
)

// fuzzDeadline is the ctx deadline of one load; fuzzHang is when a load
// that has not returned counts as hung. Inputs are small: a real load of
// one takes milliseconds.
const (
	fuzzDeadline = 10 * time.Second
	fuzzHang     = 30 * time.Second
)

// FuzzLoad: any bytes as the one schema.sql of a project are discovered
// and loaded into a result or into diagnostics at places of that file,
// never a panic, a hang or an error of another kind.
func FuzzLoad(f *testing.F) {
	paths, _ := filepath.Glob("../../schemas/*/*.sql")
	for _, p := range paths {
		if strings.HasSuffix(p, "queries.sql") {
			continue
		}
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{
		"",
		"-- only a comment\n",
		"-- DATABASE_NAME: shop\nCREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);\n",
		"-- DATABASE_NAME: Bad-Name\nCREATE TABLE t (a);\n",
		"CREATE TABLE t (\n  id INTEGER PRIMARY KEY,\n  name TEXT NOT NUL\n);\n",
		"CREATE TABLE t (a TEXT DEFAULT 'open);\n",
		"CREATE TABLE sqlite_things (x);\n",
		"CREATE TABLE t (a);\nCREATE TABLE t (b);\n",
		"CREATE TABLE c (p INTEGER REFERENCES missing (id));\n",
		"CREATE TABLE t (id INTEGER PRIMARY KEY, n INT) STRICT, WITHOUT ROWID;\n",
		"CREATE TABLE t (id INTEGER PRIMARY KEY, e TEXT, d TEXT GENERATED ALWAYS AS (lower(e)) VIRTUAL, CHECK (e <> ''));\n" +
			"CREATE INDEX t_e ON t (e) WHERE e IS NOT NULL;\n" +
			"CREATE VIEW v AS SELECT id, d FROM t;\n" +
			"CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET e = upper(new.e) WHERE id = new.id; END;\n",
		"CREATE VIRTUAL TABLE docs USING fts5(title, body);\n",
		"INSERT INTO t VALUES (1);\n",
		"ATTACH 'x.db' AS x;\n",
		"CREATE VIEW v0 AS SELECT 1 AS id;\nCREATE VIEW v1 AS SELECT id FROM v0;\nCREATE VIEW v2 AS SELECT id FROM v1;\n",
		"CREATE VIEW deep AS " + strings.Repeat("SELECT * FROM (", 40) + "SELECT 1" + strings.Repeat(")", 40) + ";\n",
		"CREATE TABLE t (a);\nCREATE VIEW a AS SELECT * FROM b;\nCREATE VIEW b AS SELECT * FROM a;\n",
		"/* 漢字 */ CREATE TABLE \"😀\" (note TEXT DEFAULT '—', n INT NOT NUL);\n",
		"\uFEFFCREATE TABLE t (a);\r\n",
		"CREATE TABLE t (a);\x00",
		"CREATE TABLE t (a \xff);",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, schema []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), fuzzDeadline)
		defer cancel()
		p, err := project(t, map[string]string{"schema.sql": string(schema)})
		if err == nil {
			done := make(chan error, 1)
			go func() {
				_, err := Run(ctx, p)
				done <- err
			}()
			select {
			case err = <-done:
			case <-time.After(fuzzHang):
				t.Fatalf("load still running after %v: it hangs", fuzzHang)
			}
		}
		if err == nil {
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("load took longer than %v: %v", fuzzDeadline, err)
		}
		var l diag.List
		if !errors.As(err, &l) || len(l) == 0 {
			t.Fatalf("error %T is not a list of diagnostics: %v", err, err)
		}
		lines := strings.Split(string(schema), "\n")
		for _, d := range l {
			switch {
			case d.Path != "schema.sql":
				t.Fatalf("diagnostic %q names another file", d)
			case d.Msg == "":
				t.Fatalf("diagnostic %q says nothing", d)
			case d.Line < 0 || d.Line > len(lines) || d.Line == 0 && d.Col != 0:
				t.Fatalf("diagnostic %q: line %d is outside the file's %d lines", d, d.Line, len(lines))
			case d.Line > 0 && (d.Col < 0 || d.Col > utf8.RuneCountInString(lines[d.Line-1])+1):
				t.Fatalf("diagnostic %q: col %d is outside line %d of %d characters", d, d.Col, d.Line, utf8.RuneCountInString(lines[d.Line-1]))
			}
		}
	})
}
