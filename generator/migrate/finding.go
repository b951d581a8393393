package migrate

import (
	"fmt"
	"strings"
)

// Severity tells whether a finding fails a check.
type Severity string

// Severities.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Finding is one problem found in a migrations directory.
type Finding struct {
	File     string   // path of the file, as the directory path given joined with the file name
	Line     int      // 1-based; 0 when the finding concerns the whole file
	Code     string   // Atlas's analyzer code (DS103, LT101, BC101, ...) or dbgen's DG1xx (CodeSum ...)
	Severity Severity // SeverityError fails dbgen check
	Message  string   // what is wrong and how to fix it
}

// String formats f as "file:line: code: message".
func (f Finding) String() string {
	var b strings.Builder
	b.WriteString(f.File)
	if f.Line > 0 {
		fmt.Fprintf(&b, ":%d", f.Line)
	}
	fmt.Fprintf(&b, ": %s: %s", f.Code, f.Message)
	return b.String()
}

// dbgen's own finding codes, next to Atlas's analyzer codes.
const (
	CodeSum          = "DG101" // atlas.sum does not match the files
	CodeDownPairing  = "DG102" // a migration without its down script, or the reverse
	CodeReplay       = "DG103" // a file does not replay: a statement fails, or it cannot be split
	CodeDrift        = "DG104" // the migrations do not end at the schema of the schema files
	CodeDownMismatch = "DG105" // a down script does not restore the schema before its migration
)
