package admin

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
)

// Planner plans the next migration of each database whose schema files
// changed, and writes it, as dbgen migrate diff does. The admin handler
// calls it for POST /migrations/generate, one call at a time; runtime links
// no generator, so dbgen serve --root passes one (see Options.Planner).
//
// Its errors are *runtime.Error values where the client can act:
// VALIDATION_FAILED (an unknown database, a rename that does not parse),
// SCHEMA_INVALID (a schema file does not load) and DESTRUCTIVE_CHANGE (the
// plan drops data: allow it, or plan a rename). Anything else is a 500.
type Planner func(ctx context.Context, req PlanRequest) (PlanResult, error)

// PlanRequest is the body of POST /migrations/generate.
type PlanRequest struct {
	// Message says what the migration does, as Alembic's revision -m
	// does; the file name is made of it ("add avatar" names
	// <version>_add_avatar.sql).
	Message string `json:"message"`
	// Database plans this database only; "" plans every one.
	Database string `json:"database,omitempty"`
	// AllowDestructive plans a change that drops data, as
	// --allow-destructive does.
	AllowDestructive bool `json:"allow_destructive,omitempty"`
	// Renames are planned as renames, not as a drop and an add, as
	// --rename takes them: table.column=new_column or table=new_table.
	Renames []string `json:"renames,omitempty"`
}

// PlanResult is what a Planner wrote.
type PlanResult struct {
	Migrations []PlannedMigration `json:"migrations"` // one per database whose schema changed
	Unchanged  []string           `json:"unchanged"`  // databases whose migrations reach their schema already
}

// PlannedMigration is one migration written.
type PlannedMigration struct {
	Database string   `json:"database"`
	Version  string   `json:"version"`
	Files    []string `json:"files"`    // written, relative to the project's root
	Findings []string `json:"findings"` // what lint says of the new file
}

// maxMessageBytes caps a migration message: it becomes a file name.
const maxMessageBytes = 200

func (h *handler) migrationGenerate(w http.ResponseWriter, r *http.Request) error {
	if h.planner == nil {
		return apiError(CodeNoSchemaFiles, "", "this server was not started beside the schema files, so it cannot plan a migration: "+
			"start it with dbgen serve --root <project folder>, or run dbgen migrate diff NAME in the project")
	}
	req, err := decodePlanRequest(r)
	if err != nil {
		return err
	}
	req.Message = strings.TrimSpace(req.Message)
	switch {
	case req.Message == "":
		return invalid("", `give a message saying what the migration does: {"message": "add avatar"}`)
	case len(req.Message) > maxMessageBytes:
		return invalid("", "the message is longer than 200 bytes: it names the migration's file", "message", clip(req.Message))
	}
	h.planMu.Lock()
	res, err := h.planner(r.Context(), req)
	h.planMu.Unlock()
	if err != nil {
		return err
	}
	res.Migrations = nonNil(res.Migrations)
	res.Unchanged = nonNil(res.Unchanged)
	for i := range res.Migrations {
		res.Migrations[i].Files = nonNil(res.Migrations[i].Files)
		res.Migrations[i].Findings = nonNil(res.Migrations[i].Findings)
	}
	status := http.StatusOK
	if len(res.Migrations) > 0 {
		status = http.StatusCreated
	}
	writeJSON(w, status, struct {
		Success bool `json:"success"`
		PlanResult
	}{true, res})
	return nil
}

// decodePlanRequest reads the body of migrations/generate. An unknown field
// is refused: a misspelt "database" would plan every database.
func decodePlanRequest(r *http.Request) (PlanRequest, error) {
	var req PlanRequest
	var fields map[string]json.RawMessage
	if err := decodeBody(r, "", &fields, false); err != nil {
		return req, err
	}
	if fields == nil {
		return req, invalid("", `request body must be a JSON object: {"message": "add avatar"}`)
	}
	for name := range fields {
		switch name {
		case "message", "database", "allow_destructive", "renames":
		default:
			return req, invalid("", "unknown field "+strconv.Quote(clip(name))+"; the body takes message, database, allow_destructive and renames",
				"field", clip(name))
		}
	}
	data, err := json.Marshal(fields)
	if err != nil {
		return req, err
	}
	var typeErr *json.UnmarshalTypeError
	if err := json.Unmarshal(data, &req); errors.As(err, &typeErr) {
		return req, invalid("", "field "+typeErr.Field+" must be a JSON "+typeErr.Type.Kind().String(), "field", typeErr.Field)
	} else if err != nil {
		return req, invalid("", "request body is not valid JSON: "+err.Error())
	}
	return req, nil
}
