// Package introspect describes an existing SQLite file to the runtime: it
// builds a *runtime.Definition from what the file holds, so that the admin
// API (dbgen serve) can open databases that dbgen did not generate.
//
// Tables are inspected with Atlas and converted exactly as the generator's
// load stage converts them; views, which Atlas's SQLite driver skips, come
// from pragma_table_xinfo. The file is opened read-only and never changed.
package introspect

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/ncruces/go-sqlite3/ext/fts5"

	"github.com/dbgen-dev/dbgen/generator/load"
	"github.com/dbgen-dev/dbgen/internal/sqliteconn"
	dbrt "github.com/dbgen-dev/dbgen/runtime"
	"github.com/dbgen-dev/dbgen/runtime/migrate"
)

// File builds the Definition of the database file at path. Its name is the
// file name without ".db". The Definition carries no DDL and no migrations:
// runtime.Open then leaves the schema exactly as it finds it.
//
// SQLite's own tables, FTS5 shadow tables and the migration revisions table
// (runtime/migrate.RevisionsTable) are left out: none is application data
// that a generic CRUD should touch.
func File(ctx context.Context, path string) (*dbrt.Definition, error) {
	name := strings.TrimSuffix(filepath.Base(path), ".db")
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("introspect %s: %w", path, err)
	}
	// mode=ro: looking must not create a missing file or take a write lock.
	// FTS5 is registered so that Atlas can read the columns of its tables.
	pool, err := sqliteconn.Open("file:"+filepath.ToSlash(abs)+"?mode=ro", fts5.Register)
	if err != nil {
		return nil, fmt.Errorf("introspect %s: %w", path, err)
	}
	defer pool.Close()
	conn, err := pool.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("introspect %s: %w", path, err)
	}
	defer conn.Close()
	tables, err := Tables(ctx, conn)
	if err != nil {
		return nil, fmt.Errorf("introspect %s: %w", path, err)
	}
	return &dbrt.Definition{Name: name, Tables: tables}, nil
}

// Tables describes the tables and views of the main schema of conn, in the
// order they were created.
func Tables(ctx context.Context, conn *sql.Conn) ([]dbrt.Table, error) {
	objects, err := listObjects(ctx, conn)
	if err != nil {
		return nil, err
	}
	return load.Inspect(ctx, conn, objects)
}

// listObjects reads the tables and views in creation order (sqlite_schema's
// rowid), with pragma_table_list's kind, which alone tells shadow tables
// from the application's.
func listObjects(ctx context.Context, conn *sql.Conn) ([]load.Object, error) {
	rows, err := conn.QueryContext(ctx, `SELECT s.name, l.type
		FROM sqlite_schema AS s
		JOIN pragma_table_list AS l ON l.schema = 'main' AND l.name = s.name
		WHERE s.type IN ('table', 'view') AND s.name NOT LIKE 'sqlite\_%' ESCAPE '\'
		ORDER BY s.rowid`)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	defer rows.Close()
	kinds := map[string]load.ObjectKind{"table": load.TableObject, "virtual": load.VirtualObject, "view": load.ViewObject}
	var out []load.Object
	for rows.Next() {
		var name, kind string
		if err := rows.Scan(&name, &kind); err != nil {
			return nil, fmt.Errorf("list tables: %w", err)
		}
		k, ok := kinds[kind]
		if !ok || name == migrate.RevisionsTable {
			continue // shadow tables of FTS5 and dbgen's own bookkeeping
		}
		out = append(out, load.Object{Name: name, Kind: k})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	return out, nil
}
