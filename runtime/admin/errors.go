package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/dbgen-dev/dbgen/runtime"
	"github.com/dbgen-dev/dbgen/runtime/migrate"
)

// Codes of the errors only the HTTP layer can meet. They join the runtime's
// codes in the same envelope, and like them never change.
const (
	CodeUnauthorized         runtime.Code = "UNAUTHORIZED"
	CodeBodyTooLarge         runtime.Code = "BODY_TOO_LARGE"
	CodeUnsupportedMediaType runtime.Code = "UNSUPPORTED_MEDIA_TYPE"
	CodeNotFound             runtime.Code = "NOT_FOUND"
	CodeMethodNotAllowed     runtime.Code = "METHOD_NOT_ALLOWED"
	CodeNotReady             runtime.Code = "NOT_READY"
	CodeTimeout              runtime.Code = "TIMEOUT"
	CodeHostNotAllowed       runtime.Code = "HOST_NOT_ALLOWED"
	// CodeAmbiguousTable: a seed route named a table that several
	// databases have; details list the candidates.
	CodeAmbiguousTable runtime.Code = "AMBIGUOUS_TABLE"
	// CodeNoSchemaFiles: migrations/generate on a server that was not
	// started beside the schema files (dbgen serve --root).
	CodeNoSchemaFiles runtime.Code = "NO_SCHEMA_FILES"
	// CodeSchemaInvalid: the schema files do not load; details list where.
	CodeSchemaInvalid runtime.Code = "SCHEMA_INVALID"
	// CodeDestructiveChange: the planned migration would drop data and was
	// not written; details list why, and the renames it may be instead.
	CodeDestructiveChange runtime.Code = "DESTRUCTIVE_CHANGE"
)

// statusOf is the HTTP status of each code. A code missing here is a
// server fault: 500.
var statusOf = map[runtime.Code]int{
	runtime.CodeTableNotFound:       http.StatusNotFound,
	runtime.CodeColumnNotFound:      http.StatusBadRequest,
	runtime.CodeRecordNotFound:      http.StatusNotFound,
	runtime.CodeValidationFailed:    http.StatusBadRequest,
	runtime.CodeConstraintViolation: http.StatusConflict,
	runtime.CodeDatabaseLocked:      http.StatusServiceUnavailable,
	runtime.CodeDatabaseNotFound:    http.StatusNotFound,
	runtime.CodeMigrationFailed:     http.StatusInternalServerError,
	runtime.CodeReadOnly:            http.StatusForbidden,
	runtime.CodeInternal:            http.StatusInternalServerError,
	CodeUnauthorized:                http.StatusUnauthorized,
	CodeBodyTooLarge:                http.StatusRequestEntityTooLarge,
	CodeUnsupportedMediaType:        http.StatusUnsupportedMediaType,
	CodeNotFound:                    http.StatusNotFound,
	CodeMethodNotAllowed:            http.StatusMethodNotAllowed,
	CodeNotReady:                    http.StatusServiceUnavailable,
	CodeTimeout:                     http.StatusGatewayTimeout,
	CodeHostNotAllowed:              http.StatusForbidden,
	CodeAmbiguousTable:              http.StatusConflict,
	CodeNoSchemaFiles:               http.StatusConflict,
	CodeSchemaInvalid:               http.StatusUnprocessableEntity,
	CodeDestructiveChange:           http.StatusConflict,
}

// apiError builds an *runtime.Error; details are key, value pairs.
func apiError(code runtime.Code, module, msg string, kv ...any) *runtime.Error {
	e := &runtime.Error{Code: code, Module: module, Message: msg, Details: map[string]any{}}
	for i := 0; i+1 < len(kv); i += 2 {
		if k, ok := kv[i].(string); ok {
			e.Details[k] = kv[i+1]
		}
	}
	return e
}

func invalid(module, msg string, kv ...any) *runtime.Error {
	return apiError(runtime.CodeValidationFailed, module, msg, kv...)
}

// asAPIError turns any error a handler returns into the envelope's error.
// Causes are kept for the log but never sent: they may hold SQL text. The
// request's ctx is asked first: when it ended, the driver reports the
// interrupted statement as an error of its own, not as ctx's.
func asAPIError(ctx context.Context, module string, err error) *runtime.Error {
	var re *runtime.Error
	var me *migrate.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(ctx.Err(), context.DeadlineExceeded):
		return &runtime.Error{Code: CodeTimeout, Module: module, Message: "the request took too long", Err: err}
	case errors.Is(err, context.Canceled), errors.Is(ctx.Err(), context.Canceled):
		// The client went away; nobody reads this, but the log does.
		return &runtime.Error{Code: CodeTimeout, Module: module, Message: "the request was canceled", Err: err}
	case errors.As(err, &re):
		return re
	case errors.As(err, &me):
		// Only where it failed: the statement and the driver's message
		// stay in the log.
		at := me.File
		if me.Line > 0 {
			at += fmt.Sprintf(":%d", me.Line)
		}
		return &runtime.Error{Code: runtime.CodeMigrationFailed, Module: module,
			Message: "migration failed at " + at + "; the server log has the cause",
			Details: map[string]any{"file": me.File, "line": me.Line}, Err: err}
	}
	return &runtime.Error{Code: runtime.CodeInternal, Module: module, Message: "internal error", Err: err}
}

// writeError sends err as the envelope {"error":{"code","message","module","details"}}
// with the status its code stands for.
func (h *handler) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e := asAPIError(r.Context(), r.PathValue("db"), err)
	status, ok := statusOf[e.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	switch status {
	case http.StatusUnauthorized:
		w.Header().Set("WWW-Authenticate", `Bearer realm="dbgen"`)
	case http.StatusServiceUnavailable:
		w.Header().Set("Retry-After", "1")
	}
	if status >= 500 {
		h.log.ErrorContext(r.Context(), "dbgen admin: request failed",
			"method", r.Method, "path", r.URL.Path, "code", e.Code, "err", e.Error())
	}
	writeJSON(w, status, e)
}
