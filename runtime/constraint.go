package runtime

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ncruces/go-sqlite3"
)

// Constraint kinds, as Details["kind"] of a CONSTRAINT_VIOLATION names them.
const (
	ConstraintUnique     = "unique"
	ConstraintPrimaryKey = "primary key"
	ConstraintForeignKey = "foreign key"
	ConstraintCheck      = "check"
	ConstraintNotNull    = "not null"
	ConstraintDatatype   = "datatype" // a STRICT table got a value of the wrong type
	ConstraintTrigger    = "trigger"  // RAISE(ABORT, ...) in a trigger
	ConstraintOther      = "constraint"
)

// constraintError explains a SQLITE_CONSTRAINT error: which kind of
// constraint, on which table and columns. The extended result code gives the
// kind; the columns only appear in the message, which SQLite words as
//
//	UNIQUE constraint failed: users.email, users.tenant_id
//	NOT NULL constraint failed: users.name
//	CHECK constraint failed: age_positive        (the constraint's name or expression)
//	FOREIGN KEY constraint failed                (no columns: SQLite does not know them)
//	cannot store TEXT value in INTEGER column users.age
func constraintError(module string, err error) *Error {
	msg := sqliteMessage(err)
	kind := constraintKind(err, msg)
	e := &Error{
		Code:    CodeConstraintViolation,
		Module:  module,
		Message: kind + " constraint failed",
		Details: map[string]any{"kind": kind},
		Err:     err,
	}
	rest, found := cutAfter(msg, "constraint failed: ")
	if !found {
		rest, found = cutAfter(msg, " column ") // STRICT datatype errors
	}
	if !found || rest == "" {
		return e
	}
	switch kind {
	case ConstraintCheck, ConstraintTrigger, ConstraintOther:
		e.Details["constraint"] = rest
		e.Message += ": " + rest
		return e
	}
	var table string
	var columns []string
	for _, qualified := range strings.Split(rest, ", ") {
		t, c, ok := strings.Cut(strings.TrimSpace(qualified), ".")
		if !ok {
			c = t
			t = ""
		}
		if table == "" {
			table = t
		}
		columns = append(columns, c)
	}
	if table != "" {
		e.Details["table"] = table
	}
	e.Details["columns"] = columns
	e.Message += " on " + rest
	return e
}

func constraintKind(err error, msg string) string {
	var code sqlite3.ExtendedErrorCode
	var se *sqlite3.Error
	if errors.As(err, &se) {
		code = se.ExtendedCode()
	} else {
		errors.As(err, &code)
	}
	switch code {
	case sqlite3.CONSTRAINT_UNIQUE:
		return ConstraintUnique
	case sqlite3.CONSTRAINT_PRIMARYKEY, sqlite3.CONSTRAINT_ROWID:
		return ConstraintPrimaryKey
	case sqlite3.CONSTRAINT_FOREIGNKEY:
		return ConstraintForeignKey
	case sqlite3.CONSTRAINT_CHECK:
		return ConstraintCheck
	case sqlite3.CONSTRAINT_NOTNULL:
		return ConstraintNotNull
	case sqlite3.CONSTRAINT_DATATYPE:
		return ConstraintDatatype
	case sqlite3.CONSTRAINT_TRIGGER:
		return ConstraintTrigger
	}
	// Without an extended code (a wrapped ErrorCode), the message still says.
	for prefix, kind := range map[string]string{
		"UNIQUE constraint":      ConstraintUnique,
		"FOREIGN KEY constraint": ConstraintForeignKey,
		"CHECK constraint":       ConstraintCheck,
		"NOT NULL constraint":    ConstraintNotNull,
	} {
		if strings.Contains(msg, prefix) {
			return kind
		}
	}
	return ConstraintOther
}

// sqliteMessage is SQLite's own message, without the driver's
// "sqlite3: constraint failed: " prefix that names the result code.
func sqliteMessage(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "sqlite3: "); i >= 0 {
		msg = msg[i+len("sqlite3: "):]
		if _, after, ok := strings.Cut(msg, ": "); ok {
			msg = after
		}
	}
	return msg
}

func cutAfter(s, sep string) (string, bool) {
	i := strings.Index(s, sep)
	if i < 0 {
		return "", false
	}
	return strings.TrimSpace(s[i+len(sep):]), true
}

// explainConstraint adds the table to a constraint violation of a write to
// t, and for a foreign key, where SQLite names no column, the foreign keys
// among the written columns; written nil means a delete, which fails because
// other rows still reference the row.
func explainConstraint(err error, t *Table, written []string) error {
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeConstraintViolation {
		return err
	}
	if e.Details == nil {
		e.Details = map[string]any{}
	}
	if _, ok := e.Details["table"]; !ok {
		e.Details["table"] = t.Name
	}
	if e.Details["kind"] != ConstraintForeignKey {
		return err
	}
	if written == nil {
		e.Message = "foreign key constraint failed: other rows still reference this " + t.Name + " row"
		return err
	}
	var fks []map[string]any
	var cols []string
	for _, fk := range t.ForeignKeys {
		if slices.ContainsFunc(fk.Columns, func(c string) bool { return slices.Contains(written, c) }) {
			fks = append(fks, map[string]any{"columns": fk.Columns, "ref_table": fk.RefTable, "ref_columns": fk.RefColumns})
			cols = append(cols, fk.Columns...)
		}
	}
	if len(fks) > 0 {
		e.Details["columns"] = cols
		e.Details["foreign_keys"] = fks
		e.Message = fmt.Sprintf("foreign key constraint failed on %s %v: no such parent row", t.Name, cols)
	}
	return err
}
