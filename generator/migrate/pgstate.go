package migrate

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"ariga.io/atlas/sql/schema"
)

// pgState is a schema as a scratch schema of the dev database holds it:
// the tables and indexes as Atlas's PostgreSQL driver models them, and the
// views, functions and triggers, which Atlas's open-source driver does not
// inspect, as PostgreSQL prints them.
type pgState struct {
	schema     *schema.Schema // named as the database, whatever the scratch schema
	objects    []pgObject     // in creation order
	extensions []string       // sorted
	// extensionSQL are the statements that created them.
	extensionSQL map[string]string
	// indexDefs and fkDefs are the definitions of the indexes and foreign
	// keys by name, without their names: those of one renamed are equal.
	indexDefs, fkDefs map[string]string
}

// pgObject is a view, a function or a trigger.
type pgObject struct {
	kind  string // "view", "materialized view", "function" or "trigger"
	name  string // a function's with its argument types: f(integer)
	table string // the table of a trigger
	def   string // as PostgreSQL prints it (pg_get_viewdef ...), to compare
	sql   string // the statement that creates it
	refs  []string
}

func (o pgObject) key() string { return o.kind + " " + o.name }

// inspect returns the schema s holds, calling it database.
func (s *pgSpace) inspect(ctx context.Context, database string) (*pgState, error) {
	if err := s.enter(ctx); err != nil {
		return nil, err
	}
	sch, err := s.dev.drv.InspectSchema(ctx, s.name, nil)
	if err != nil {
		return nil, s.dev.wrap(fmt.Errorf("inspect: %w", err))
	}
	sch.Name = database
	st := &pgState{schema: sch, extensionSQL: maps.Clone(s.extensions)}
	st.extensions = slices.Sorted(maps.Keys(s.extensions))
	if st.objects, err = s.objects(ctx); err != nil {
		return nil, s.dev.wrap(fmt.Errorf("inspect views, functions and triggers: %w", err))
	}
	if st.indexDefs, st.fkDefs, err = s.definitions(ctx); err != nil {
		return nil, s.dev.wrap(fmt.Errorf("inspect indexes: %w", err))
	}
	return st, nil
}

// definitions reads the definitions of the indexes and foreign keys of s.
func (s *pgSpace) definitions(ctx context.Context) (indexes, fks map[string]string, err error) {
	indexes, fks = map[string]string{}, map[string]string{}
	rows, err := s.dev.tx.QueryContext(ctx, `SELECT i.relname, t.relname, pg_catalog.pg_get_indexdef(i.oid),
  coalesce((SELECT c.contype::text FROM pg_catalog.pg_constraint c WHERE c.conindid = i.oid AND c.contype IN ('p', 'u', 'x')), '')
FROM pg_catalog.pg_index x
JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
JOIN pg_catalog.pg_class t ON t.oid = x.indrelid
WHERE i.relnamespace = $1::regnamespace`, s.name)
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var name, table, def, kind string
		if err := rows.Scan(&name, &table, &def, &kind); err != nil {
			rows.Close()
			return nil, nil, err
		}
		// CREATE [UNIQUE] INDEX name ON table USING method (...) ...
		using := def
		if i := strings.Index(def, " USING "); i >= 0 {
			using = def[i:]
		}
		indexes[name] = fmt.Sprintf("%s %t%s", kind, strings.HasPrefix(def, "CREATE UNIQUE"), using)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows, err = s.dev.tx.QueryContext(ctx, `SELECT c.conname, t.relname, pg_catalog.pg_get_constraintdef(c.oid)
FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_class t ON t.oid = c.conrelid
WHERE c.connamespace = $1::regnamespace AND c.contype = 'f'`, s.name)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var name, table, def string
		if err := rows.Scan(&name, &table, &def); err != nil {
			return nil, nil, err
		}
		fks[name] = def
	}
	return indexes, fks, rows.Err()
}

// objects reads the views, functions and triggers of s.
func (s *pgSpace) objects(ctx context.Context) ([]pgObject, error) {
	tx := s.dev.tx
	type row struct {
		oid int64
		o   pgObject
	}
	var all []row
	rows, err := tx.QueryContext(ctx, `SELECT c.oid::int8, c.relkind::text, c.relname, pg_catalog.pg_get_viewdef(c.oid)
FROM pg_catalog.pg_class c WHERE c.relnamespace = $1::regnamespace AND c.relkind IN ('v', 'm')`, s.name)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var r row
		var kind string
		if err := rows.Scan(&r.oid, &kind, &r.o.name, &r.o.def); err != nil {
			rows.Close()
			return nil, err
		}
		r.o.kind = "view"
		if kind == "m" {
			r.o.kind = "materialized view"
		}
		r.o.def = strings.TrimSuffix(strings.TrimSpace(r.o.def), ";")
		r.o.sql = "CREATE " + strings.ToUpper(r.o.kind) + " " + quotePG(r.o.name) + " AS\n" + r.o.def
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.QueryContext(ctx, `SELECT p.oid::int8, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid),
  pg_catalog.pg_get_functiondef(p.oid)
FROM pg_catalog.pg_proc p
WHERE p.pronamespace = $1::regnamespace AND p.prokind IN ('f', 'p')
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_proc'::regclass
    AND d.objid = p.oid AND d.deptype = 'e')`, s.name)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var r row
		var name, args string
		if err := rows.Scan(&r.oid, &name, &args, &r.o.def); err != nil {
			rows.Close()
			return nil, err
		}
		r.o.kind, r.o.name = "function", name+"("+args+")"
		r.o.sql = strings.TrimSpace(r.o.def)
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.QueryContext(ctx, `SELECT t.oid::int8, t.tgname, c.relname, pg_catalog.pg_get_triggerdef(t.oid)
FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
WHERE c.relnamespace = $1::regnamespace AND NOT t.tgisinternal`, s.name)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.oid, &r.o.name, &r.o.table, &r.o.def); err != nil {
			rows.Close()
			return nil, err
		}
		r.o.kind, r.o.sql = "trigger", r.o.def
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// The relations each view reads, from its rewrite rule's dependencies.
	rows, err = tx.QueryContext(ctx, `SELECT DISTINCT v.relname, t.relname
FROM pg_catalog.pg_rewrite r
JOIN pg_catalog.pg_class v ON v.oid = r.ev_class
JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.objid = r.oid
  AND d.refclassid = 'pg_catalog.pg_class'::regclass
JOIN pg_catalog.pg_class t ON t.oid = d.refobjid
WHERE v.relnamespace = $1::regnamespace AND t.oid <> v.oid`, s.name)
	if err != nil {
		return nil, err
	}
	refs := map[string][]string{}
	for rows.Next() {
		var view, rel string
		if err := rows.Scan(&view, &rel); err != nil {
			rows.Close()
			return nil, err
		}
		refs[view] = append(refs[view], rel)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Object ids grow as objects are made: their order is one they can be
	// made in again.
	slices.SortFunc(all, func(a, b row) int { return int(a.oid - b.oid) })
	out := make([]pgObject, len(all))
	for i, r := range all {
		// pg_get_functiondef and pg_get_triggerdef name the function and
		// the table with their schema, the scratch schema's unique name.
		r.o.def = strings.ReplaceAll(r.o.def, s.name+".", "")
		r.o.sql = strings.ReplaceAll(r.o.sql, s.name+".", "")
		if strings.HasSuffix(r.o.kind, "view") {
			r.o.refs = refs[r.o.name]
			slices.Sort(r.o.refs)
		}
		out[i] = r.o
	}
	return out, nil
}

// unsupported lists what s holds that dbgen cannot plan migrations of:
// sequences of no column, domains, composite and range types.
func (s *pgSpace) unsupported(ctx context.Context) ([]string, error) {
	rows, err := s.dev.tx.QueryContext(ctx, `SELECT 'sequence ' || c.relname FROM pg_catalog.pg_class c
WHERE c.relnamespace = $1::regnamespace AND c.relkind = 'S'
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass
    AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
UNION ALL
SELECT CASE t.typtype WHEN 'd' THEN 'domain ' WHEN 'r' THEN 'range type ' ELSE 'type ' END || t.typname
FROM pg_catalog.pg_type t
WHERE t.typnamespace = $1::regnamespace AND t.typtype IN ('d', 'r', 'c', 'm')
  AND (t.typtype <> 'c' OR EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c'))
ORDER BY 1`, s.name)
	if err != nil {
		return nil, s.dev.wrap(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var what string
		if err := rows.Scan(&what); err != nil {
			return nil, s.dev.wrap(err)
		}
		out = append(out, what)
	}
	return out, rows.Err()
}

func findPGObject(objs []pgObject, kind, name string) (pgObject, bool) {
	i := slices.IndexFunc(objs, func(o pgObject) bool { return o.kind == kind && o.name == name })
	if i < 0 {
		return pgObject{}, false
	}
	return objs[i], true
}
