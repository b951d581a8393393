package admin

import (
	"encoding/json"
	"net/http"
	"strings"
)

// engine is what the seed's status calls the database engine: "sqlite",
// or "postgres" for databases opened on a PostgreSQL URL.
const engine = "sqlite"

// databaseStatus is one database in GET /status.
type databaseStatus struct {
	Name       string   `json:"name"`
	Status     string   `json:"status"` // "ready", or "error" with Error set
	Path       string   `json:"path"`
	SizeBytes  int64    `json:"size_bytes"` // the file and its WAL
	Tables     []string `json:"tables"`
	TableCount int      `json:"table_count"`
	// The migration fields are those of GET /{db}/migrations/status, read
	// the same way: the revisions recorded in the file, and the pending
	// files of the folder when the database is served with one.
	MigrationVersion  string `json:"migration_version"` // "" when none is applied
	AppliedMigrations int    `json:"applied_migrations"`
	PendingMigrations int    `json:"pending_migrations"`
	Migrations        bool   `json:"migrations"`  // served with its migrations folder
	Initialized       bool   `json:"initialized"` // the file holds a schema
	Error             string `json:"error,omitempty"`
	// MigrationError says why the migration fields could not be read (a
	// folder whose atlas.sum does not match, say); the database may still
	// answer.
	MigrationError string `json:"migration_error,omitempty"`
}

// initialization is the seed's summary of whether the databases are set
// up: each holds a schema, and no migration of a folder is pending.
type initialization struct {
	Complete          bool `json:"complete"`
	Databases         int  `json:"databases"`
	Initialized       int  `json:"initialized"`
	PendingMigrations int  `json:"pending_migrations"`
}

// statusBody is GET /status: the seed's fields (status, engine,
// initialization, tables, table_count), then dbgen's.
type statusBody struct {
	Status         string         `json:"status"` // "connected" when every database answers, else "disconnected"
	Engine         string         `json:"engine"`
	Initialization initialization `json:"initialization"`
	Tables         []string       `json:"tables"` // every table, named as GET /tables/{table} takes it
	TableCount     int            `json:"table_count"`
	Ready          bool           `json:"ready"`
	// ReadOnly says the server has no token: nothing can be changed.
	ReadOnly bool `json:"read_only"`
	// PlansMigrations says POST /migrations/generate can plan from the
	// schema files (dbgen serve --root).
	PlansMigrations bool             `json:"plans_migrations"`
	Databases       []databaseStatus `json:"databases"`
}

func (h *handler) status(w http.ResponseWriter, r *http.Request) error {
	sts := h.m.Status(r.Context())
	out := statusBody{
		Status: "connected", Engine: engine, Tables: []string{}, Ready: true,
		ReadOnly: h.readOnly, PlansMigrations: h.planner != nil, Databases: make([]databaseStatus, 0, len(sts)),
	}
	if names := h.m.Names(); len(names) > 0 {
		if db, err := h.m.DB(names[0]); err == nil {
			out.Engine = db.Engine()
		}
	}
	for _, st := range sts {
		ds := databaseStatus{
			Name: st.Name, Status: "ready", Path: st.Path, SizeBytes: st.SizeBytes,
			Tables: []string{}, MigrationVersion: st.MigrationVersion,
			Initialized: st.Tables > 0, Error: st.Error,
		}
		if db, err := h.m.DB(st.Name); err == nil {
			for _, t := range visibleTables(db.Definition()) {
				ds.Tables = append(ds.Tables, t.Name)
				out.Tables = append(out.Tables, h.names.name(db.Name(), t.Name))
			}
			if st.Ready {
				mig, err := h.migrationStateOf(r.Context(), db)
				if err != nil {
					ds.MigrationError = asAPIError(r.Context(), db.Name(), err).Message
					h.log.WarnContext(r.Context(), "dbgen admin: migration status", "database", db.Name(), "err", err)
				} else {
					ds.MigrationVersion, ds.Migrations = mig.Current, mig.Migrations
					ds.AppliedMigrations, ds.PendingMigrations = len(mig.Applied), len(mig.Pending)
				}
			}
		}
		ds.TableCount = len(ds.Tables)
		if !st.Ready {
			ds.Status = "error"
			out.Ready = false
		}
		out.Initialization.Databases++
		if ds.Initialized {
			out.Initialization.Initialized++
		}
		out.Initialization.PendingMigrations += ds.PendingMigrations
		out.Databases = append(out.Databases, ds)
	}
	out.TableCount = len(out.Tables)
	out.Initialization.Complete = out.Ready && out.Initialization.Initialized == out.Initialization.Databases &&
		out.Initialization.PendingMigrations == 0
	if !out.Ready {
		out.Status = "disconnected"
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// isReady answers load balancers and orchestrators: 200 when every
// database answers a read, 503 with the reasons otherwise. The body has
// the seed's status beside ready.
func (h *handler) isReady(w http.ResponseWriter, r *http.Request) error {
	if err := h.m.Ready(r.Context()); err != nil {
		e := apiError(CodeNotReady, "", "not every database answers", "errors", strings.Split(err.Error(), "\n"))
		// The envelope, with the seed's fields beside it.
		env, err := json.Marshal(e)
		if err != nil {
			return err
		}
		var body map[string]any
		if err := json.Unmarshal(env, &body); err != nil {
			return err
		}
		body["ready"], body["status"] = false, "not ready"
		w.Header().Set("Retry-After", "1")
		writeJSON(w, http.StatusServiceUnavailable, body)
		return nil
	}
	writeJSON(w, http.StatusOK, struct {
		Ready  bool   `json:"ready"`
		Status string `json:"status"`
	}{true, "ready"})
	return nil
}

func (h *handler) databases(w http.ResponseWriter, r *http.Request) error {
	type database struct {
		Name       string `json:"name"`
		TableCount int    `json:"table_count"`
		Migrations bool   `json:"migrations"`
	}
	out := struct {
		Databases []database `json:"databases"`
	}{Databases: []database{}}
	for _, name := range h.m.Names() {
		db, err := h.m.DB(name)
		if err != nil {
			return err
		}
		out.Databases = append(out.Databases, database{Name: name, TableCount: len(visibleTables(db.Definition())),
			Migrations: h.migrationsOf(db) != nil})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
