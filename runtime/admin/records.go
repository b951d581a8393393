package admin

import (
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/dbgen-dev/dbgen/runtime"
)

// recordBody is what the records routes answer: the row as stored, and
// its key for the next request.
type recordBody struct {
	Key    string `json:"key"`
	Record record `json:"record"`
}

func newRecordBody(t *runtime.Table, rec map[string]any) recordBody {
	return recordBody{Key: recordKey(t, rec), Record: record{cols: t.RecordColumns(), vals: rec}}
}

func (h *handler) createRecord(w http.ResponseWriter, r *http.Request) error {
	db, t, err := h.table(r)
	if err != nil {
		return err
	}
	rec, err := decodeRecord(r, db.Name(), t)
	if err != nil {
		return err
	}
	created, err := db.Create(r.Context(), t.Name, rec)
	if err != nil {
		return err
	}
	key := recordKey(t, created)
	if key != "" {
		w.Header().Set("Location", prefix+"/"+url.PathEscape(db.Name())+"/tables/"+url.PathEscape(t.Name)+"/records/"+key)
	}
	writeJSON(w, http.StatusCreated, newRecordBody(t, created))
	return nil
}

func (h *handler) readRecord(w http.ResponseWriter, r *http.Request) error {
	db, t, key, err := h.record(r)
	if err != nil {
		return err
	}
	rec, err := db.Read(r.Context(), t.Name, key)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newRecordBody(t, rec))
	return nil
}

func (h *handler) updateRecord(w http.ResponseWriter, r *http.Request) error {
	db, t, key, err := h.record(r)
	if err != nil {
		return err
	}
	changes, err := decodeRecord(r, db.Name(), t)
	if err != nil {
		return err
	}
	rec, err := db.Update(r.Context(), t.Name, key, changes)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newRecordBody(t, rec))
	return nil
}

func (h *handler) deleteRecord(w http.ResponseWriter, r *http.Request) error {
	db, t, key, err := h.record(r)
	if err != nil {
		return err
	}
	if err := db.Delete(r.Context(), t.Name, key); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// record resolves the database, table and key of a records/{key} route.
func (h *handler) record(r *http.Request) (*runtime.DB, *runtime.Table, map[string]any, error) {
	db, t, err := h.table(r)
	if err != nil {
		return nil, nil, nil, err
	}
	key, err := parseKey(db.Name(), t, r.PathValue("key"))
	if err != nil {
		return nil, nil, nil, err
	}
	return db, t, key, nil
}

// decodeRecord reads a body that must be one JSON object of column values,
// each read as its column's family reads JSON (runtime.RecordFromJSON): the
// form the API writes records in comes back as the same values.
func decodeRecord(r *http.Request, module string, t *runtime.Table) (map[string]any, error) {
	var fields map[string]json.RawMessage
	if err := decodeBody(r, module, &fields, false); err != nil {
		return nil, err
	}
	if fields == nil {
		return nil, invalid(module, "request body must be a JSON object of column values, not null")
	}
	return runtime.RecordFromJSON(module, t, fields)
}
