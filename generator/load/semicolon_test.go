package load

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMissingSemicolon: a statement without its ";" runs on into the next
// CREATE, where SQLite says only `near "CREATE": syntax error`; the error
// says what is missing, at the end of the statement that lacks it.
func TestMissingSemicolon(t *testing.T) {
	tests := []struct {
		name, schema, want string
	}{{
		name:   "between two tables",
		schema: "-- DATABASE_NAME: shop\n\nCREATE TABLE products (\n    id   INTEGER PRIMARY KEY,\n    name TEXT NOT NULL\n)\n\nCREATE TABLE prices (id INTEGER PRIMARY KEY);\n",
		want:   `schema.sql:6:2: missing ";" at the end of the statement that starts at line 3: SQLite read on into the CREATE at line 8 (near "CREATE": syntax error); end the statement with ";"`,
	}, {
		name:   "after a comment, with CRLF line endings and unicode names",
		schema: "CREATE TABLE \"商品\" (id INTEGER PRIMARY KEY, \"名前\" TEXT) -- products\r\n-- prices next\r\ncreate index prices_x ON \"商品\" (\"名前\");\r\n",
		want:   `schema.sql:1:54: missing ";" at the end of the statement that starts at line 1: SQLite read on into the CREATE at line 3 (near "create": syntax error); end the statement with ";"`,
	}, {
		name:   "after a view",
		schema: "CREATE TABLE t (x);\nCREATE VIEW v AS SELECT x FROM t\nCREATE VIEW w AS SELECT 1;\n",
		want:   `schema.sql:2:33: missing ";" at the end of the statement that starts at line 2: SQLite read on into the CREATE at line 3 (near "CREATE": syntax error); end the statement with ";"`,
	}, {
		name:   "after a trigger's END",
		schema: "CREATE TABLE t (x);\nCREATE TABLE log (x);\nCREATE TRIGGER t_ai AFTER INSERT ON t BEGIN\n  INSERT INTO log VALUES (new.x);\nEND\nCREATE INDEX t_x ON t (x);\n",
		want:   `schema.sql:5:4: missing ";" at the end of the statement that starts at line 3: SQLite read on into the CREATE at line 6 (near "CREATE": syntax error); end the statement with ";"`,
	}, {
		// Not a missing ";": the parenthesis is open, and saying so is
		// what helps.
		name:   "an unclosed parenthesis",
		schema: "CREATE TABLE a (\n  id INTEGER PRIMARY KEY,\n\nCREATE TABLE b (id INTEGER PRIMARY KEY);\n",
		want:   `schema.sql:4:1: near "CREATE": syntax error: the "(" at line 1 is not closed, so SQLite read on into this CREATE; close it with ")" and end the statement with ";"`,
	}, {
		// A CREATE inside a statement that is not at a statement's start
		// is left as SQLite says it.
		name:   "CREATE as a column name",
		schema: "CREATE TABLE t (a INT, CREATE INT);\n",
		want:   `schema.sql:1:24: near "CREATE": syntax error`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := project(t, map[string]string{"schema.sql": tt.schema})
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
