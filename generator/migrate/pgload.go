package migrate

import (
	"context"
	"fmt"
	"strings"

	"github.com/dbgen-dev/dbgen/generator/discover"
	"github.com/dbgen-dev/dbgen/generator/load"
)

// LoadDDL loads SQLite DDL as the load stage loads a database's schema
// files, as if it were the one schema file path: the metadata that the
// PostgreSQL schema is derived from (DerivePostgres).
func LoadDDL(ctx context.Context, database, path, ddl string) (*load.Database, error) {
	p := &discover.Project{Databases: []*discover.Database{{
		Name:    database,
		Schemas: []*discover.File{{Path: path, Data: []byte(ddl)}},
	}}}
	dbs, err := load.Run(ctx, p)
	if err != nil {
		return nil, err
	}
	return dbs[0], nil
}

// sqliteDDL returns the schema a SQLite dev database holds as DDL, its
// statements in the order SQLite stored them: the schema of a migrations
// folder replayed, as schema files would declare it.
func (d *devDB) sqliteDDL(ctx context.Context) (string, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT sql FROM sqlite_master
WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY rowid`)
	if err != nil {
		return "", fmt.Errorf("read the schema: %w", err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return "", fmt.Errorf("read the schema: %w", err)
		}
		b.WriteString(s)
		b.WriteString(";\n\n")
	}
	return b.String(), rows.Err()
}
