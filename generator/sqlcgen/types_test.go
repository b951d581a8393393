package sqlcgen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// typeMapping is how sqlc maps SQLite declared types, as dbgen documents it:
// the Go type of a NOT NULL column, of a nullable one, and of a nullable one
// with PointersForNull.
var typeMapping = []struct {
	decl                      string
	notNull, nullable, orNull string
}{
	{"INTEGER", "int64", "sql.NullInt64", "*int64"},
	{"INT", "int64", "sql.NullInt64", "*int64"},
	{"BIGINT", "int64", "sql.NullInt64", "*int64"},
	{"SMALLINT", "int64", "sql.NullInt64", "*int64"},
	{"TINYINT", "int64", "sql.NullInt64", "*int64"},
	{"MEDIUMINT", "int64", "sql.NullInt64", "*int64"},
	{"INT8", "int64", "sql.NullInt64", "*int64"},
	{"UNSIGNED BIG INT", "int64", "sql.NullInt64", "*int64"},
	{"REAL", "float64", "sql.NullFloat64", "*float64"},
	{"DOUBLE", "float64", "sql.NullFloat64", "*float64"},
	{"DOUBLE PRECISION", "float64", "sql.NullFloat64", "*float64"},
	{"FLOAT", "float64", "sql.NullFloat64", "*float64"},
	{"NUMERIC", "float64", "sql.NullFloat64", "*float64"},
	{"DECIMAL(10,2)", "float64", "sql.NullFloat64", "*float64"},
	{"TEXT", "string", "sql.NullString", "*string"},
	{"CLOB", "string", "sql.NullString", "*string"},
	{"VARCHAR(255)", "string", "sql.NullString", "*string"},
	{"CHARACTER(20)", "string", "sql.NullString", "*string"},
	{"VARYING CHARACTER(255)", "string", "sql.NullString", "*string"},
	{"NCHAR(55)", "string", "sql.NullString", "*string"},
	{"NATIVE CHARACTER(70)", "string", "sql.NullString", "*string"},
	{"NVARCHAR(100)", "string", "sql.NullString", "*string"},
	{"BLOB", "[]byte", "[]byte", "[]byte"},
	{"BOOLEAN", "bool", "sql.NullBool", "*bool"},
	{"BOOL", "bool", "sql.NullBool", "*bool"},
	{"DATE", "time.Time", "sql.NullTime", "*time.Time"},
	{"DATETIME", "time.Time", "sql.NullTime", "*time.Time"},
	{"TIMESTAMP", "time.Time", "sql.NullTime", "*time.Time"},
	{"JSON", "json.RawMessage", "json.RawMessage", "json.RawMessage"},
	{"JSONB", "json.RawMessage", "json.RawMessage", "json.RawMessage"},
	{"ANY", "interface{}", "interface{}", "interface{}"},
	{"", "interface{}", "interface{}", "interface{}"},
	// Any other name, whatever SQLite's affinity for it, is sqlc's default.
	{"UUID", "interface{}", "interface{}", "interface{}"},
	{"STRING", "interface{}", "interface{}", "interface{}"},
}

func TestTypeMapping(t *testing.T) {
	var cols []string
	for i, m := range typeMapping {
		cols = append(cols, fmt.Sprintf("c%d_nn %s NOT NULL", i, m.decl), fmt.Sprintf("c%d_null %s", i, m.decl))
	}
	schema := "CREATE TABLE t (\n  " + strings.Join(cols, ",\n  ") + "\n);"
	for _, pointers := range []bool{false, true} {
		t.Run(fmt.Sprintf("pointers=%v", pointers), func(t *testing.T) {
			files := generateOne(t, schema, Options{PointersForNull: pointers},
				query("q.sql", "-- name: GetT :one\nSELECT * FROM t LIMIT 1;"))
			var want []field
			for i, m := range typeMapping {
				nullable := m.nullable
				if pointers {
					nullable = m.orNull
				}
				want = append(want,
					field{fmt.Sprintf("C%dNn", i), m.notNull, fmt.Sprintf("c%d_nn", i)},
					field{fmt.Sprintf("C%dNull", i), nullable, fmt.Sprintf("c%d_null", i)})
			}
			if diff := cmp.Diff(want, structs(t, files["models.go"])["T"]); diff != "" {
				t.Errorf("model of t (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOverrides(t *testing.T) {
	schema := `CREATE TABLE events (
  id UUID PRIMARY KEY NOT NULL,
  parent uuid,
  at TEXT NOT NULL,
  note TEXT
);`
	opts := Options{
		PointersForNull: true,
		Overrides: []Override{
			{DBType: "uuid", GoType: "github.com/google/uuid.UUID"},
			{DBType: "UUID", GoType: "*github.com/google/uuid.UUID", Nullable: true},
			{Column: "events.at", GoType: "time.Time"},
		},
		Rename:      map[string]string{"events": "Event", "note": "Remark"},
		Initialisms: []string{"id", "at"},
	}
	files := generateOne(t, schema, opts, query("q.sql", "-- name: GetEvent :one\nSELECT * FROM events WHERE id = ?;"))
	want := []field{
		{"ID", "uuid.UUID", "id"},
		{"Parent", "*uuid.UUID", "parent"},
		{"AT", "time.Time", "at"},
		{"Remark", "*string", "note"},
	}
	if diff := cmp.Diff(want, structs(t, files["models.go"])["Event"]); diff != "" {
		t.Errorf("model of events (-want +got):\n%s", diff)
	}
}
