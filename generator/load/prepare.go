package load

import (
	"context"
	"errors"
	"strings"

	"github.com/ncruces/go-sqlite3"
)

// Prepare compiles each query against the database's schema in SQLite and
// returns SQLite's message for those it rejects, by name. sqlc's parser
// recovers from some errors that SQLite refuses (a dangling WHERE, an
// unknown function); without this they would surface only at run time.
func (d *Database) Prepare(ctx context.Context, queries map[string]string) (map[string]string, error) {
	if len(queries) == 0 {
		return nil, nil
	}
	conn, closeConn, err := openMemory(ctx)
	if err != nil {
		return nil, err
	}
	defer closeConn()
	if _, err := conn.ExecContext(ctx, d.DDL()); err != nil {
		return nil, err
	}
	failed := map[string]string{}
	for name, query := range queries {
		stmt, err := conn.PrepareContext(ctx, query)
		if err != nil {
			var se *sqlite3.Error
			msg := err.Error()
			if errors.As(err, &se) {
				msg = sqliteMessage(se)
			}
			failed[name] = strings.TrimSpace(msg)
			continue
		}
		stmt.Close()
	}
	return failed, nil
}
