package runtime

import (
	"errors"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// PostgreSQL's SQLSTATE codes the runtime gives a meaning of its own.
const (
	pgUniqueViolation       = "23505"
	pgForeignKeyViolation   = "23503"
	pgCheckViolation        = "23514"
	pgNotNullViolation      = "23502"
	pgExclusionViolation    = "23P01"
	pgSerialization         = "40001"
	pgDeadlock              = "40P01"
	pgLockNotAvailable      = "55P03"
	pgReadOnly              = "25006"
	pgQueryCanceled         = "57014"
	pgUndefinedTable        = "42P01"
	pgInvalidText           = "22P02"
	pgDatetimeOverflow      = "22008"
	pgNumericOverflow       = "22003"
	pgStringTooLong         = "22001"
	pgBadCharacter          = "22021" // a NUL byte in text
	pgUntranslatable        = "22P05" // \u0000 in jsonb
	pgInvalidParameter      = "22023"
	pgUndefinedColumn       = "42703"
	pgInsufficientPrivilege = "42501"
)

// pgKey reads the columns of a key out of PostgreSQL's detail, as
// `Key (a, b)=(1, 2) already exists.` words it.
var pgKey = regexp.MustCompile(`^Key \(([^)]*)\)=`)

// pgError is the *pgconn.PgError in err, nil when there is none.
func pgError(err error) *pgconn.PgError {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe
	}
	return nil
}

// isPostgresRetry reports the errors that go away when the transaction is
// run again: a serialization failure of a SERIALIZABLE transaction, a
// deadlock (PostgreSQL aborted one of the transactions), a lock not had.
func isPostgresRetry(err error) bool {
	pe := pgError(err)
	return pe != nil && (pe.Code == pgSerialization || pe.Code == pgDeadlock || pe.Code == pgLockNotAvailable)
}

// translatePostgres is Translate for an error of PostgreSQL's: the same
// codes, constraint kinds and details as for SQLite's.
func translatePostgres(module string, err error, pe *pgconn.PgError) error {
	switch pe.Code {
	case pgUniqueViolation, pgForeignKeyViolation, pgCheckViolation, pgNotNullViolation, pgExclusionViolation:
		kind := map[string]string{
			pgUniqueViolation: ConstraintUnique, pgForeignKeyViolation: ConstraintForeignKey,
			pgCheckViolation: ConstraintCheck, pgNotNullViolation: ConstraintNotNull, pgExclusionViolation: ConstraintOther,
		}[pe.Code]
		if kind == ConstraintUnique && strings.HasSuffix(pe.ConstraintName, "_pkey") {
			kind = ConstraintPrimaryKey
		}
		e := &Error{Code: CodeConstraintViolation, Module: module, Message: kind + " constraint failed",
			Details: map[string]any{"kind": kind}, Err: err}
		if pe.TableName != "" {
			e.Details["table"] = pe.TableName
		}
		var cols []string
		switch {
		case pe.ColumnName != "":
			cols = []string{pe.ColumnName}
		default:
			if m := pgKey.FindStringSubmatch(pe.Detail); m != nil {
				for _, c := range strings.Split(m[1], ",") {
					cols = append(cols, strings.Trim(strings.TrimSpace(c), `"`))
				}
			}
		}
		if len(cols) > 0 && kind != ConstraintForeignKey {
			e.Details["columns"] = cols
			e.Message += " on " + pe.TableName + "." + strings.Join(cols, ", "+pe.TableName+".")
		}
		if kind == ConstraintCheck || kind == ConstraintOther {
			e.Details["constraint"] = pe.ConstraintName
			e.Message += ": " + pe.ConstraintName
		}
		return e
	case pgSerialization, pgDeadlock, pgLockNotAvailable:
		return &Error{Code: CodeDatabaseLocked, Module: module, Message: "the transaction conflicted with another; retries exhausted", Err: err}
	case pgReadOnly:
		return &Error{Code: CodeReadOnly, Module: module, Message: "attempt to write in a read-only transaction", Err: err}
	case pgInvalidText, pgDatetimeOverflow, pgNumericOverflow, pgStringTooLong, pgBadCharacter, pgUntranslatable, pgInvalidParameter:
		return &Error{Code: CodeValidationFailed, Module: module, Message: "invalid value: " + pe.Message, Err: err}
	case pgUndefinedTable:
		return &Error{Code: CodeTableNotFound, Module: module, Message: pe.Message, Err: err}
	case pgUndefinedColumn:
		return &Error{Code: CodeColumnNotFound, Module: module, Message: pe.Message, Err: err}
	case pgInsufficientPrivilege:
		return &Error{Code: CodeInternal, Module: module, Message: "the database role lacks a privilege: " + pe.Message,
			Details: map[string]any{"reason": "permission"}, Err: err}
	}
	return &Error{Code: CodeInternal, Module: module, Message: "database error", Err: err}
}
