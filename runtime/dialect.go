package runtime

import (
	"context"
	"database/sql"
	"strings"
)

// dialect is the engine a DB runs on. The runtime writes its statements
// once, in the SQL both engines read (? placeholders, quoted names,
// RETURNING, ON CONFLICT ... DO UPDATE SET x = excluded.x); the few places
// where they part ask the DB's dialect, and the statements of a PostgreSQL
// database go through a pgConn, which numbers the placeholders.
type dialect uint8

const (
	sqliteDialect dialect = iota
	postgresDialect
)

func (d dialect) String() string {
	if d == postgresDialect {
		return "postgres"
	}
	return "sqlite"
}

// conn returns what the runtime's statements run on for c: c itself on
// SQLite, a pgConn over it on PostgreSQL.
func (d dialect) conn(c conn) conn {
	if d == postgresDialect {
		return pgConn{c}
	}
	return c
}

// boolean is the SQL of a constant condition: SQLite's 1 and 0, which
// PostgreSQL refuses where it wants a boolean.
func (d dialect) boolean(b bool) string {
	switch {
	case d == postgresDialect && b:
		return "TRUE"
	case d == postgresDialect:
		return "FALSE"
	case b:
		return "1"
	}
	return "0"
}

// column is the name a condition or a sort on column name of t reads: on
// PostgreSQL, which has no rowid, SQLite's aliases of the rowid (rowid,
// _rowid_, oid, whichever the table does not take for a column) are its
// identity column: the INTEGER PRIMARY KEY, or the key the generator
// derives for a table without one.
func (d dialect) column(t *Table, name string) string {
	if d != postgresDialect || t.Column(name) != nil || !isRowIDAlias(name) {
		return name
	}
	if c := t.rowIDColumn(); c != "" {
		return c
	}
	return name
}

func isRowIDAlias(name string) bool {
	return strings.EqualFold(name, "rowid") || strings.EqualFold(name, "_rowid_") || strings.EqualFold(name, "oid")
}

// rowIDColumn is the column that holds the rowid: the INTEGER PRIMARY KEY
// alias, or for a table keyed by its rowid the key's name; "" when none.
func (t *Table) rowIDColumn() string {
	if !t.HasRowID() {
		return ""
	}
	for i := range t.Columns {
		if t.Columns[i].RowID {
			return t.Columns[i].Name
		}
	}
	if t.RowIDKeyed() {
		return t.PrimaryKey[0]
	}
	return ""
}

// identityColumn is the column PostgreSQL numbers itself on insert, the
// one whose sequence must move past values written explicitly; "" when
// the table has none.
func (d dialect) identityColumn(t *Table) string {
	if d != postgresDialect || t.View || t.Virtual {
		return ""
	}
	return t.rowIDColumn()
}

// pgConn runs the runtime's statements on a PostgreSQL connection, pool or
// transaction: their ? placeholders become $1, $2, ... (see rebind).
type pgConn struct{ c conn }

func (p pgConn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return p.c.ExecContext(ctx, rebind(query), args...)
}

func (p pgConn) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return p.c.PrepareContext(ctx, rebind(query))
}

func (p pgConn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return p.c.QueryContext(ctx, rebind(query), args...)
}

func (p pgConn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return p.c.QueryRowContext(ctx, rebind(query), args...)
}
