package introspect

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	dbrt "github.com/dbgen-dev/dbgen/runtime"
	"github.com/dbgen-dev/dbgen/runtime/migrate"
)

// Postgres builds a Registry from the PostgreSQL database at url: each of
// its schemas that holds tables or views is a database of the application,
// named after the schema, as the runtime lays them out (Definition.Postgres).
// The system schemas are left out, and so are schemas whose name the
// runtime would refuse, reported as skipped. Nothing is written: the
// catalogs are read in a read-only transaction.
//
// Column types are read back into the SQLite types the runtime's codec
// knows (bigint as INTEGER, timestamptz as DATETIME, jsonb as JSON, ...),
// the inverse of what dbgen derives; an identity column that is the whole
// primary key is the table's rowid, as an INTEGER PRIMARY KEY is.
func Postgres(ctx context.Context, url string) (dbrt.Registry, []Skipped, error) {
	pool, err := sql.Open("pgx", url)
	if err != nil {
		return nil, nil, fmt.Errorf("introspect PostgreSQL: %w", err)
	}
	defer pool.Close()
	tx, err := pool.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return nil, nil, fmt.Errorf("introspect PostgreSQL: %w", err)
	}
	defer tx.Rollback()
	rel, err := pgRelations(ctx, tx)
	if err != nil {
		return nil, nil, err
	}
	var reg dbrt.Registry
	var skipped []Skipped
	bySchema := map[string]*dbrt.Definition{}
	for _, r := range rel {
		def := bySchema[r.schema]
		if def == nil {
			if !databaseName.MatchString(r.schema) {
				skipped = append(skipped, Skipped{File: "schema " + r.schema,
					Reason: fmt.Sprintf("%q is not a database name ([a-z][a-z0-9_]*); rename the schema to serve it", r.schema)})
				bySchema[r.schema] = &dbrt.Definition{} // reported once
				continue
			}
			def = &dbrt.Definition{Name: r.schema, Postgres: &dbrt.PostgresSchema{Schema: r.schema}}
			bySchema[r.schema] = def
			reg = append(reg, def)
		}
		if def.Name == "" {
			continue
		}
		t, err := pgTable(ctx, tx, r)
		if err != nil {
			return nil, skipped, fmt.Errorf("introspect PostgreSQL: %s.%s: %w", r.schema, r.name, err)
		}
		def.Tables = append(def.Tables, t)
	}
	slices.SortFunc(reg, func(a, b *dbrt.Definition) int { return strings.Compare(a.Name, b.Name) })
	return reg, skipped, nil
}

type pgRelation struct {
	oid          uint32
	schema, name string
	view         bool
}

// pgRelations lists the tables and views of the database's own schemas,
// by schema and in creation order (their oids), dbgen's revisions table
// left out.
func pgRelations(ctx context.Context, tx *sql.Tx) ([]pgRelation, error) {
	rows, err := tx.QueryContext(ctx, `SELECT c.oid, n.nspname, c.relname, c.relkind IN ('v', 'm')
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
    AND c.relname <> $1
  ORDER BY n.nspname, c.oid`, migrate.RevisionsTable)
	if err != nil {
		return nil, fmt.Errorf("introspect PostgreSQL: list tables: %w", err)
	}
	defer rows.Close()
	var out []pgRelation
	for rows.Next() {
		var r pgRelation
		if err := rows.Scan(&r.oid, &r.schema, &r.name, &r.view); err != nil {
			return nil, fmt.Errorf("introspect PostgreSQL: list tables: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("introspect PostgreSQL: list tables: %w", err)
	}
	return out, nil
}

// pgTable describes one table or view.
func pgTable(ctx context.Context, tx *sql.Tx, r pgRelation) (dbrt.Table, error) {
	// PostgreSQL has no rowid: every table is WithoutRowID, but for an
	// identity column that is the whole key, which plays the rowid's part.
	t := dbrt.Table{Name: r.name, View: r.view, WithoutRowID: true}
	rows, err := tx.QueryContext(ctx, `SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
    coalesce(pg_get_expr(d.adbin, d.adrelid), ''), a.attidentity <> '', a.attgenerated <> ''
  FROM pg_catalog.pg_attribute a LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`, r.oid)
	if err != nil {
		return t, err
	}
	identity := map[string]bool{}
	for rows.Next() {
		var c dbrt.Column
		var typ string
		var notNull, ident, generated bool
		if err := rows.Scan(&c.Name, &typ, &notNull, &c.Default, &ident, &generated); err != nil {
			rows.Close()
			return t, err
		}
		c.SQLType = sqliteType(typ)
		c.Nullable = !notNull
		c.Generated = generated
		if generated {
			c.Default = ""
		}
		identity[c.Name] = ident
		t.Columns = append(t.Columns, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return t, err
	}
	if r.view {
		return t, nil
	}

	// Constraints: the primary key, UNIQUE sets and foreign keys, their
	// columns in key order.
	rows, err = tx.QueryContext(ctx, `SELECT c.contype,
    array_to_string(ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
      JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i), ','),
    coalesce(f.relname, ''),
    array_to_string(ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
      JOIN pg_catalog.pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i), ','),
    c.confupdtype, c.confdeltype
  FROM pg_catalog.pg_constraint c LEFT JOIN pg_catalog.pg_class f ON f.oid = c.confrelid
  WHERE c.conrelid = $1 AND c.contype IN ('p', 'u', 'f') ORDER BY c.contype, c.oid`, r.oid)
	if err != nil {
		return t, err
	}
	for rows.Next() {
		var kind, cols, ref, refCols, onUpdate, onDelete string
		if err := rows.Scan(&kind, &cols, &ref, &refCols, &onUpdate, &onDelete); err != nil {
			rows.Close()
			return t, err
		}
		names := strings.Split(cols, ",")
		switch kind {
		case "p":
			t.PrimaryKey = names
		case "u":
			t.Unique = append(t.Unique, names)
		case "f":
			t.ForeignKeys = append(t.ForeignKeys, dbrt.ForeignKey{Columns: names, RefTable: ref,
				RefColumns: strings.Split(refCols, ","), OnUpdate: fkAction(onUpdate), OnDelete: fkAction(onDelete)})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return t, err
	}
	for _, name := range t.PrimaryKey {
		if c := t.Column(name); c != nil {
			c.PrimaryKey = true
		}
	}
	if len(t.PrimaryKey) == 1 && identity[t.PrimaryKey[0]] {
		if c := t.Column(t.PrimaryKey[0]); c != nil && c.Family() == dbrt.FamilyInteger {
			t.WithoutRowID = false
			c.RowID = true
		}
	}

	// Indexes that are no constraint's: unique ones count as UNIQUE sets.
	rows, err = tx.QueryContext(ctx, `SELECT ic.relname, i.indisunique,
    array_to_string(ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) k ORDER BY k), E'\x1f'),
    coalesce(pg_get_expr(i.indpred, i.indrelid, true), ''), i.indexprs IS NULL
  FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
  WHERE i.indrelid = $1 AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c WHERE c.conindid = i.indexrelid)
  ORDER BY ic.oid`, r.oid)
	if err != nil {
		return t, err
	}
	defer rows.Close()
	for rows.Next() {
		var ix dbrt.Index
		var cols string
		var plain bool
		if err := rows.Scan(&ix.Name, &ix.Unique, &cols, &ix.Where, &plain); err != nil {
			return t, err
		}
		ix.Columns = strings.Split(cols, "\x1f")
		for i, c := range ix.Columns {
			ix.Columns[i] = strings.Trim(c, `"`)
		}
		t.Indexes = append(t.Indexes, ix)
		if ix.Unique && ix.Where == "" && plain {
			t.Unique = append(t.Unique, ix.Columns)
		}
	}
	return t, rows.Err()
}

// sqliteType is the SQLite type whose codec family reads and writes a
// PostgreSQL type as the runtime binds it; a type of no family keeps its
// PostgreSQL name (its values then go through as they are).
func sqliteType(pg string) string {
	base, _, _ := strings.Cut(pg, "(")
	switch strings.TrimSpace(base) {
	case "smallint", "integer", "bigint":
		return "INTEGER"
	case "real", "double precision":
		return "REAL"
	case "numeric":
		return "NUMERIC"
	case "text", "character varying", "character", "citext", "name":
		return "TEXT"
	case "bytea":
		return "BLOB"
	case "boolean":
		return "BOOLEAN"
	case "timestamp with time zone", "timestamp without time zone":
		return "DATETIME"
	case "date":
		return "DATE"
	case "json", "jsonb":
		return "JSON"
	}
	return pg
}

// fkAction is the SQL of a foreign key action as pg_constraint codes it,
// "" for NO ACTION.
func fkAction(code string) string {
	switch code {
	case "r":
		return "RESTRICT"
	case "c":
		return "CASCADE"
	case "n":
		return "SET NULL"
	case "d":
		return "SET DEFAULT"
	}
	return ""
}
