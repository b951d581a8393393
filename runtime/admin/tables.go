package admin

import (
	"context"
	"net/http"

	"github.com/dbgen-dev/dbgen/runtime"
	"github.com/dbgen-dev/dbgen/runtime/migrate"
)

// visibleTables are the tables and views the API shows: all of the
// Definition's but the migration revisions, which only migrations may touch.
func visibleTables(def *runtime.Definition) []*runtime.Table {
	out := make([]*runtime.Table, 0, len(def.Tables))
	for i := range def.Tables {
		if def.Tables[i].Name != migrate.RevisionsTable {
			out = append(out, &def.Tables[i])
		}
	}
	return out
}

// database returns the database named by the {db} path segment.
func (h *handler) database(r *http.Request) (*runtime.DB, error) {
	return h.m.DB(r.PathValue("db"))
}

// table returns the database and table named by the path. An unknown table
// is TABLE_NOT_FOUND listing the tables there are, so that a client (or a
// person reading the response) can correct the name.
func (h *handler) table(r *http.Request) (*runtime.DB, *runtime.Table, error) {
	db, err := h.database(r)
	if err != nil {
		return nil, nil, err
	}
	name := r.PathValue("table")
	if t := db.Definition().Table(name); t != nil && t.Name != migrate.RevisionsTable {
		return db, t, nil
	}
	var names []string
	for _, t := range visibleTables(db.Definition()) {
		names = append(names, t.Name)
	}
	return nil, nil, apiError(runtime.CodeTableNotFound, db.Name(),
		"no table "+name+" in database "+db.Name(), "table", name, "tables", names)
}

func tableType(t *runtime.Table) string {
	switch {
	case t.View:
		return "view"
	case t.Virtual:
		return "virtual"
	}
	return "table"
}

func (h *handler) tables(w http.ResponseWriter, r *http.Request) error {
	db, err := h.database(r)
	if err != nil {
		return err
	}
	type table struct {
		Name       string   `json:"name"`
		Type       string   `json:"type"` // table, view or virtual
		Columns    int      `json:"columns"`
		PrimaryKey []string `json:"primary_key"` // what record keys are made of; [] for a view
		Writable   bool     `json:"writable"`    // records can be created, updated, deleted: not a view or virtual table
	}
	out := struct {
		Database string  `json:"database"`
		Tables   []table `json:"tables"`
	}{Database: db.Name(), Tables: []table{}}
	for _, t := range visibleTables(db.Definition()) {
		out.Tables = append(out.Tables, table{
			Name: t.Name, Type: tableType(t), Columns: len(t.Columns),
			PrimaryKey: nonNil(t.Key()), Writable: !t.View && !t.Virtual,
		})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// schemaColumn, schemaIndex and schemaForeignKey are the metadata as the
// API spells it (snake_case JSON, empty lists rather than null).
type schemaColumn struct {
	Name          string `json:"name"`
	Type          string `json:"type"`   // as declared, "" when none
	Family        string `json:"family"` // how records spell its values: integer, real, numeric, text, blob, bool, date, datetime, json or untyped
	Nullable      bool   `json:"nullable"`
	Default       string `json:"default,omitempty"` // SQL text
	PrimaryKey    bool   `json:"primary_key"`
	RowID         bool   `json:"rowid"` // an INTEGER PRIMARY KEY: SQLite assigns it when a record leaves it out
	AutoIncrement bool   `json:"autoincrement"`
	Generated     bool   `json:"generated"` // computed: never written
}

type schemaIndex struct {
	Name    string   `json:"name"`
	Unique  bool     `json:"unique"`
	Columns []string `json:"columns"`
	Where   string   `json:"where,omitempty"`
}

type schemaForeignKey struct {
	Columns    []string `json:"columns"`
	RefTable   string   `json:"ref_table"`
	RefColumns []string `json:"ref_columns"`
	OnUpdate   string   `json:"on_update,omitempty"`
	OnDelete   string   `json:"on_delete,omitempty"`
}

// schemaBody is GET /{db}/tables/{table}/schema.
type schemaBody struct {
	Database     string             `json:"database"`
	Table        string             `json:"table"`
	Type         string             `json:"type"`
	Strict       bool               `json:"strict"`
	WithoutRowID bool               `json:"without_rowid"`
	Writable     bool               `json:"writable"`
	PrimaryKey   []string           `json:"primary_key"`
	Columns      []schemaColumn     `json:"columns"`
	Unique       [][]string         `json:"unique"`
	Indexes      []schemaIndex      `json:"indexes"`
	ForeignKeys  []schemaForeignKey `json:"foreign_keys"`
	// SchemaDefinition is the CREATE statement as SQLite keeps it.
	SchemaDefinition string `json:"schema_definition"`
}

func (h *handler) schema(w http.ResponseWriter, r *http.Request) error {
	db, t, err := h.table(r)
	if err != nil {
		return err
	}
	out, err := schemaOf(r.Context(), db, t)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func schemaOf(ctx context.Context, db *runtime.DB, t *runtime.Table) (schemaBody, error) {
	out := schemaBody{
		Database: db.Name(), Table: t.Name, Type: tableType(t), Strict: t.Strict, WithoutRowID: t.WithoutRowID,
		Writable: !t.View && !t.Virtual, PrimaryKey: nonNil(t.Key()), Columns: []schemaColumn{}, Unique: [][]string{},
		Indexes: []schemaIndex{}, ForeignKeys: []schemaForeignKey{},
	}
	for _, c := range t.Columns {
		out.Columns = append(out.Columns, schemaColumn{
			Name: c.Name, Type: c.SQLType, Family: c.Family().String(), Nullable: c.Nullable, Default: c.Default,
			PrimaryKey: c.PrimaryKey, RowID: c.RowID, AutoIncrement: c.AutoIncr, Generated: c.Generated,
		})
	}
	for _, u := range t.Unique {
		out.Unique = append(out.Unique, nonNil(u))
	}
	for _, ix := range t.Indexes {
		out.Indexes = append(out.Indexes, schemaIndex{Name: ix.Name, Unique: ix.Unique, Columns: nonNil(ix.Columns), Where: ix.Where})
	}
	for _, fk := range t.ForeignKeys {
		out.ForeignKeys = append(out.ForeignKeys, schemaForeignKey{
			Columns: nonNil(fk.Columns), RefTable: fk.RefTable, RefColumns: nonNil(fk.RefColumns),
			OnUpdate: fk.OnUpdate, OnDelete: fk.OnDelete,
		})
	}
	// A table the Definition has but the file does not is an empty text.
	query := `SELECT coalesce(max(sql), '') FROM sqlite_schema WHERE name = ? AND type IN ('table', 'view')`
	if db.Engine() == "postgres" {
		// PostgreSQL keeps no CREATE statement of a table: a view's
		// definition is given, a table's text is empty.
		query = `SELECT coalesce(max('CREATE VIEW ' || quote_ident(c.relname) || ' AS' || E'\n' || pg_get_viewdef(c.oid, true)), '')
  FROM pg_catalog.pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = $1 AND c.relkind IN ('v', 'm')`
	}
	err := db.Reader().QueryRowContext(ctx, query, t.Name).Scan(&out.SchemaDefinition)
	if err != nil {
		return out, runtime.Translate(db.Name(), err)
	}
	return out, nil
}

// nonNil makes an absent list encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
