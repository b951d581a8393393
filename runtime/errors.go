package runtime

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/ncruces/go-sqlite3"
)

// Code is the stable, machine-readable kind of an Error. Clients branch on
// it (and on the HTTP status the admin API derives from it), so the values
// never change.
type Code string

const (
	CodeTableNotFound       Code = "TABLE_NOT_FOUND"
	CodeColumnNotFound      Code = "COLUMN_NOT_FOUND"
	CodeRecordNotFound      Code = "RECORD_NOT_FOUND"
	CodeValidationFailed    Code = "VALIDATION_FAILED"
	CodeConstraintViolation Code = "CONSTRAINT_VIOLATION"
	CodeDatabaseLocked      Code = "DATABASE_LOCKED"
	CodeDatabaseNotFound    Code = "DATABASE_NOT_FOUND"
	CodeMigrationFailed     Code = "MIGRATION_FAILED"
	CodeReadOnly            Code = "READ_ONLY"
	CodeInternal            Code = "INTERNAL"
)

// Error is what the runtime returns when a caller can act on the failure.
// Err keeps the cause (often a *sqlite3.Error), so errors.Is still finds
// sqlite3.BUSY or sql.ErrNoRows through it.
type Error struct {
	Code    Code
	Message string         // for people: what went wrong, naming the table or column
	Module  string         // the database the error came from, "" when none
	Details map[string]any // for programs: the table, column, value, constraint kind...
	Err     error
}

// Sentinels for errors.Is. Any *Error matches the sentinel of its code:
//
//	if errors.Is(err, runtime.ErrNotFound) { ... }
var (
	ErrTableNotFound    = &Error{Code: CodeTableNotFound, Message: "table not found"}
	ErrColumnNotFound   = &Error{Code: CodeColumnNotFound, Message: "column not found"}
	ErrNotFound         = &Error{Code: CodeRecordNotFound, Message: "record not found"}
	ErrValidation       = &Error{Code: CodeValidationFailed, Message: "validation failed"}
	ErrConstraint       = &Error{Code: CodeConstraintViolation, Message: "constraint violation"}
	ErrLocked           = &Error{Code: CodeDatabaseLocked, Message: "database is locked"}
	ErrDatabaseNotFound = &Error{Code: CodeDatabaseNotFound, Message: "database not found"}
	ErrMigration        = &Error{Code: CodeMigrationFailed, Message: "migration failed"}
	ErrReadOnly         = &Error{Code: CodeReadOnly, Message: "read-only"}
	ErrInternal         = &Error{Code: CodeInternal, Message: "internal error"}
)

func (e *Error) Error() string {
	var b strings.Builder
	if e.Module != "" {
		b.WriteString(e.Module)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is compare by code: the sentinels above are plain *Error
// values, and so is any *Error a caller builds to compare with.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

type errorBody struct {
	Code    Code           `json:"code"`
	Message string         `json:"message"`
	Module  string         `json:"module"`
	Details map[string]any `json:"details"`
}

// MarshalJSON writes the envelope the admin API and the seed's services share:
// {"error":{"code","message","module","details"}}. The cause is left out:
// it may hold SQL text, which is not for clients.
func (e *Error) MarshalJSON() ([]byte, error) {
	details := e.Details
	if details == nil {
		details = map[string]any{}
	}
	return json.Marshal(struct {
		Error errorBody `json:"error"`
	}{errorBody{Code: e.Code, Message: e.Message, Module: e.Module, Details: details}})
}

// UnmarshalJSON reads the envelope back, for clients of the admin API.
func (e *Error) UnmarshalJSON(data []byte) error {
	var env struct {
		Error *errorBody `json:"error"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return err
	}
	if env.Error == nil {
		return errors.New(`runtime: JSON has no "error" object`)
	}
	*e = Error{Code: env.Error.Code, Message: env.Error.Message, Module: env.Error.Module, Details: env.Error.Details}
	return nil
}

// newError builds an *Error; details are key, value pairs.
func newError(code Code, module, msg string, kv ...any) *Error {
	e := &Error{Code: code, Module: module, Message: msg}
	if len(kv) > 0 {
		e.Details = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			if k, ok := kv[i].(string); ok {
				e.Details[k] = kv[i+1]
			}
		}
	}
	return e
}

// Translate turns an error of the driver or database/sql into an *Error with
// a stable code, keeping it as the cause. Errors that already are *Error,
// context errors and errors of the caller's own pass through unchanged:
// generated code calls this on everything a query returns.
func Translate(module string, err error) error {
	if err == nil {
		return nil
	}
	var re *Error
	if errors.As(err, &re) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return &Error{Code: CodeRecordNotFound, Module: module, Message: "record not found", Err: err}
	}
	if pe := pgError(err); pe != nil {
		return translatePostgres(module, err, pe)
	}
	var se *sqlite3.Error
	if !errors.As(err, &se) {
		var code sqlite3.ErrorCode
		if !errors.As(err, &code) {
			return err
		}
	}
	switch {
	case errors.Is(err, sqlite3.CONSTRAINT):
		return constraintError(module, err)
	case isLockError(err):
		return &Error{Code: CodeDatabaseLocked, Module: module, Message: "database is locked; retries exhausted", Err: err}
	case errors.Is(err, sqlite3.READONLY):
		return &Error{Code: CodeReadOnly, Module: module, Message: "attempt to write through a read-only connection", Err: err}
	case errors.Is(err, sqlite3.CANTOPEN), errors.Is(err, sqlite3.NOTADB):
		return &Error{Code: CodeDatabaseNotFound, Module: module, Message: "cannot open database file", Err: err}
	}
	return &Error{Code: CodeInternal, Module: module, Message: "database error", Err: err}
}

// isLockError reports the errors that go away when the transaction is run
// again: another connection held a lock (BUSY, including BUSY_SNAPSHOT, where
// a read transaction could not be upgraded) or a table lock (LOCKED); on
// PostgreSQL a serialization failure or a deadlock.
func isLockError(err error) bool {
	return errors.Is(err, sqlite3.BUSY) || errors.Is(err, sqlite3.LOCKED) || isPostgresRetry(err)
}

// wrap sets the cause and returns e, for one-line construction.
func (e *Error) wrap(err error) *Error {
	e.Err = err
	return e
}
