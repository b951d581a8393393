package migrate

import (
	"errors"
	"fmt"
	"strings"
)

// ErrMigration is wrapped by every error of this package: a migration that
// failed, or a directory or database state that it refuses to migrate.
var ErrMigration = errors.New("migration failed")

// Error locates a migration failure. It wraps ErrMigration and the cause.
type Error struct {
	File      string // file in the migrations directory, e.g. "atlas.sum" or "20250102150405_add_users.sql"
	Line      int    // 1-based line of the failing statement, 0 when the error concerns the whole file
	Statement string // the failing statement, "" when none
	Err       error  // the cause
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("migrate ")
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Statement != "" {
		b.WriteString(": ")
		b.WriteString(abbreviate(e.Statement))
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap lets errors.Is match both ErrMigration and the cause, such as a
// driver error.
func (e *Error) Unwrap() []error { return []error{ErrMigration, e.Err} }

// fileError returns an Error about a whole file.
func fileError(file, format string, args ...any) *Error {
	return &Error{File: file, Err: fmt.Errorf(format, args...)}
}

// abbreviate returns stmt on one line, cut to a length that keeps an error
// message readable while still identifying the statement.
func abbreviate(stmt string) string {
	const max = 120
	s := strings.Join(strings.Fields(stmt), " ")
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && s[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
		cut--
	}
	return s[:cut] + "…"
}
