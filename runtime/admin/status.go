package admin

import (
	"net/http"
	"strings"
)

// databaseStatus is one database in GET /status.
type databaseStatus struct {
	Name             string   `json:"name"`
	Status           string   `json:"status"` // "ready", or "error" with Error set
	Path             string   `json:"path"`
	SizeBytes        int64    `json:"size_bytes"` // the file and its WAL
	Tables           []string `json:"tables"`
	TableCount       int      `json:"table_count"`
	MigrationVersion string   `json:"migration_version"`
	Migrations       bool     `json:"migrations"`  // served with its migrations folder
	Initialized      bool     `json:"initialized"` // the file holds a schema
	Error            string   `json:"error,omitempty"`
}

func (h *handler) status(w http.ResponseWriter, r *http.Request) error {
	sts := h.m.Status(r.Context())
	out := struct {
		Ready     bool             `json:"ready"`
		Databases []databaseStatus `json:"databases"`
	}{Ready: true, Databases: make([]databaseStatus, 0, len(sts))}
	for _, st := range sts {
		ds := databaseStatus{
			Name: st.Name, Status: "ready", Path: st.Path, SizeBytes: st.SizeBytes,
			Tables: []string{}, MigrationVersion: st.MigrationVersion,
			Initialized: st.Tables > 0, Error: st.Error,
		}
		if db, err := h.m.DB(st.Name); err == nil {
			for _, t := range visibleTables(db.Definition()) {
				ds.Tables = append(ds.Tables, t.Name)
			}
			ds.Migrations = db.Definition().Migrations != nil
		}
		ds.TableCount = len(ds.Tables)
		if !st.Ready {
			ds.Status = "error"
			out.Ready = false
		}
		out.Databases = append(out.Databases, ds)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// isReady answers load balancers and orchestrators: 200 when every
// database answers a read, 503 with the reasons otherwise.
func (h *handler) isReady(w http.ResponseWriter, r *http.Request) error {
	if err := h.m.Ready(r.Context()); err != nil {
		return apiError(CodeNotReady, "", "not every database answers", "errors", strings.Split(err.Error(), "\n"))
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ready": true})
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
		def := db.Definition()
		out.Databases = append(out.Databases, database{Name: name, TableCount: len(visibleTables(def)), Migrations: def.Migrations != nil})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
