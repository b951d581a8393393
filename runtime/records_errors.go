package runtime

import (
	"errors"

	"github.com/ncruces/go-sqlite3"
)

// inputError re-codes the SQLite errors of generic CRUD that the request's
// values caused, which Translate could only call INTERNAL, as
// VALIDATION_FAILED: a value of the wrong type for an integer key (datatype
// mismatch), a value over SQLite's length limit, and what a virtual table's
// module answers to the values of the filters on it, which it interprets
// itself (an FTS5 MATCH expression that does not parse, say). filtered says
// whether the statement had such filters: without them the same failure is
// the server's. Other errors pass through unchanged.
func inputError(module string, t *Table, filtered bool, err error) error {
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeInternal {
		return err
	}
	why := ""
	switch {
	case errors.Is(err, sqlite3.MISMATCH):
		why = "a value does not fit its column (datatype mismatch)"
	case errors.Is(err, sqlite3.TOOBIG):
		why = "a value is larger than SQLite's limit"
	case t.Virtual && filtered && errors.Is(err, sqlite3.ERROR):
		why = "virtual table " + t.Name + " refused a filter: " + truncate(sqliteMessage(err), 200)
	default:
		return err
	}
	return &Error{Code: CodeValidationFailed, Module: module, Message: why,
		Details: map[string]any{"table": t.Name}, Err: err}
}
