package runtime

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
)

// Registry lists the databases of an application, framework first. The
// application builds it from its generated packages' Definition values, so
// importing a package opens nothing by itself.
type Registry []*Definition

// Manager holds every database of an application, opened from one folder,
// or on PostgreSQL from one database, a schema each.
type Manager struct {
	dir   string
	names []string
	dbs   map[string]*DB
}

// DatabaseStatus describes one database for health checks and the admin API.
type DatabaseStatus struct {
	Name             string `json:"name"`
	Path             string `json:"path"`              // the file; on PostgreSQL the URL without its password
	SizeBytes        int64  `json:"size_bytes"`        // the file and its WAL; on PostgreSQL the schema's tables and indexes
	Tables           int    `json:"tables"`            // tables and views, SQLite's own left out
	MigrationVersion string `json:"migration_version"` // the latest revision recorded in the file, "" when none
	Ready            bool   `json:"ready"`
	Error            string `json:"error,omitempty"` // why it is not ready
}

// OpenManager opens every database of reg in dir (DATABASE_URL or "data"
// when dir is ""), in parallel. If any fails, those already open are closed
// and the error names each failure. dir may be a postgres:// URL: each
// database is then the schema of its Definition in the database the URL
// names, with a pool of its own.
func OpenManager(ctx context.Context, dir string, reg Registry, opts ...Option) (*Manager, error) {
	cfg, err := newConfig(os.LookupEnv, opts)
	if err != nil {
		return nil, err
	}
	m := &Manager{dir: cfg.resolveDir(dir), dbs: make(map[string]*DB, len(reg))}
	for i, def := range reg {
		if def == nil {
			return nil, newError(CodeValidationFailed, "", fmt.Sprintf("registry entry %d is nil", i))
		}
		if _, dup := m.dbs[def.Name]; dup {
			return nil, newError(CodeValidationFailed, def.Name, "database "+def.Name+" is registered twice", "name", def.Name)
		}
		m.dbs[def.Name] = nil
		m.names = append(m.names, def.Name)
	}

	opened := make([]*DB, len(reg))
	errs := make([]error, len(reg))
	var wg sync.WaitGroup
	for i, def := range reg {
		wg.Go(func() { opened[i], errs[i] = openDB(ctx, m.dir, def, cfg) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		for _, db := range opened {
			if db != nil {
				db.Close()
			}
		}
		return nil, err
	}
	for _, db := range opened {
		m.dbs[db.def.Name] = db
	}
	return m, nil
}

// Dir is the folder of the database files; on PostgreSQL the URL without
// its password.
func (m *Manager) Dir() string {
	if isPostgresURL(m.dir) {
		return redactURL(m.dir)
	}
	return m.dir
}

// Names lists the databases in registry order.
func (m *Manager) Names() []string { return append([]string(nil), m.names...) }

// DB returns the database called name, or a DATABASE_NOT_FOUND error.
func (m *Manager) DB(name string) (*DB, error) {
	if db := m.dbs[name]; db != nil {
		return db, nil
	}
	return nil, newError(CodeDatabaseNotFound, name, "no database "+name, "database", name, "databases", m.Names())
}

// Status reports on every database, in registry order. A database that
// cannot answer is reported not ready, with the reason; Status itself does
// not fail.
func (m *Manager) Status(ctx context.Context) []DatabaseStatus {
	out := make([]DatabaseStatus, len(m.names))
	for i, name := range m.names {
		out[i] = m.dbs[name].status(ctx)
	}
	return out
}

// Ready returns nil when every database answers a read, else the reasons.
func (m *Manager) Ready(ctx context.Context) error {
	var errs []error
	for _, name := range m.names {
		if err := m.dbs[name].Ping(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Close closes every database, returning every failure.
func (m *Manager) Close() error {
	var errs []error
	for _, name := range m.names {
		if db := m.dbs[name]; db != nil {
			errs = append(errs, db.Close())
		}
	}
	return errors.Join(errs...)
}

// Ping checks that the database answers a read. It reads the schema
// version, which touches the file, rather than a constant; on PostgreSQL
// it looks the schema up.
func (db *DB) Ping(ctx context.Context) error {
	if db.dialect == postgresDialect {
		var found bool
		err := db.reader.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1)`,
			db.schema()).Scan(&found)
		if err == nil && !found {
			return newError(CodeDatabaseNotFound, db.def.Name, "schema "+db.schema()+" is gone", "schema", db.schema())
		}
		return Translate(db.def.Name, err)
	}
	var v int64
	if err := db.reader.QueryRowContext(ctx, "PRAGMA schema_version").Scan(&v); err != nil {
		return Translate(db.def.Name, err)
	}
	return nil
}

// schema is the PostgreSQL schema of the database.
func (db *DB) schema() string {
	if db.def.Postgres != nil && db.def.Postgres.Schema != "" {
		return db.def.Postgres.Schema
	}
	return db.def.Name
}

func (db *DB) status(ctx context.Context) DatabaseStatus {
	st := DatabaseStatus{Name: db.def.Name, Path: db.path}
	if db.dialect != postgresDialect {
		st.SizeBytes = fileSize(db.path) + fileSize(db.path+"-wal")
	}
	err := db.ReadTx(ctx, func(tx *Tx) error {
		if db.dialect == postgresDialect {
			return tx.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relkind IN ('r', 'p', 'm')), 0)
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace
  WHERE s.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`, db.schema()).Scan(&st.Tables, &st.SizeBytes)
		}
		n, err := countTables(ctx, tx)
		st.Tables = n
		return err
	})
	if err == nil {
		st.MigrationVersion, err = migrationVersion(ctx, db)
	}
	if err != nil {
		st.Error = err.Error()
		return st
	}
	st.Ready = true
	return st
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0 // no WAL yet, or the file went away: Ready says which
	}
	return fi.Size()
}
