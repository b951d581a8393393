package sqliteconn

import (
	"fmt"

	"github.com/ncruces/go-sqlite3"
)

// The limits dbgen sets on every SQLite connection, in place of SQLite's
// defaults, which the embedded build does not survive.
//
// The SQLite dbgen links (github.com/ncruces/go-sqlite3, SQLite compiled to
// Go through wasm2go) runs on a 64 KiB stack inside a 256 MiB memory per
// connection. SQLite recurses while it parses, resolves and codes a
// statement, and its default limits allow more recursion than 64 KiB holds:
// past it the module's stack pointer wraps, and the driver panics with
// "index out of range [4294967...]". Each stack-bound limit below keeps
// about a third of the depth at which that happened, measured on SQLite
// 3.54.1 (go-sqlite3 v0.37.0) with that limit at SQLite's default and the
// others at dbgen's (TestStackMargin checks that at least half is left):
//
//	construct                              crashes from  limited by            refused from
//	SELECT 1 + 1 + ... (left-deep)         332 terms     ExprDepth 100         100 terms
//	abs(abs(...)), CASE ... CASE ... END   329 levels    ExprDepth 100         99 levels
//	FROM (SELECT * FROM (...))             263 levels    ParserDepth 500       82 levels
//	SELECT ... UNION ALL SELECT ...        221 terms     CompoundSelect 64     65 terms
//	'...' LIKE '%a%a%a...'                 4049 %s       LikePatternLength     1000 %s
//	                                                     2000 (bytes)
//	views over views, read cold            198 views     ExprDepth 100         100 views
//	views over views, read as made         265 views     none (see below)      MaxViewDepth 64
//
// Scalar subqueries, (SELECT (SELECT ...)), count several levels each
// toward ExprDepth and are refused from 15 levels; they never crashed.
//
// Two recursions have no limit that fits, and end in the crash recovery of
// this package (an error; the connection is thrown away) instead:
//
//   - A view read on a connection that has already read the views under it
//     is not counted toward ExprDepth (the generator's load reads each view
//     as it creates it). load refuses views nested deeper than MaxViewDepth
//     before SQLite reads them; views that each read the one before
//     through a few subqueries can still exhaust the stack (45 views of 5).
//   - A chain of distinct triggers (t0's trigger inserts into t1, whose
//     trigger inserts into t2, ...) is compiled recursively and crashes at
//     70 triggers. TriggerDepth stops it (at 25 for a limit of 20), but the
//     same limit bounds an ON DELETE CASCADE through a self-referencing
//     table, which SQLite runs without recursing: a tree deeper than the
//     limit could not be deleted. TriggerDepth keeps SQLite's default.
//
// Nor is there a limit on how much a statement expands: views that each
// read the one before twice (a join, a UNION, an IN subquery) double
// SQLite's work with each level, until the connection's memory runs out
// (at about 19, after seconds), which the crash recovery reports.
//
// The other limits bound memory, not stack. Values are copied into the
// connection's 256 MiB to be bound and read: a 100 MiB BLOB round-trips, a
// 128 MiB one does not. A 16 MiB string DEFAULT loads, a 32 MiB one runs
// out of memory (the statement, its parse, the schema text and the
// default's copy are all held at once).
const (
	// ExprDepth is SQLITE_LIMIT_EXPR_DEPTH, the height of an expression
	// tree (SQLite: 1000). A view nesting views, or subqueries in
	// expressions, counts toward it too.
	ExprDepth = 100
	// ParserDepth is SQLITE_LIMIT_PARSER_DEPTH, the depth of SQLite's parser
	// stack (SQLite: 2500); a FROM subquery takes about 6 entries.
	ParserDepth = 500
	// CompoundSelect is SQLITE_LIMIT_COMPOUND_SELECT, the terms of a UNION,
	// INTERSECT or EXCEPT (SQLite: 500). A VALUES list is not limited by it.
	CompoundSelect = 64
	// LikePatternLength is SQLITE_LIMIT_LIKE_PATTERN_LENGTH, in bytes
	// (SQLite: 50000): each % of a pattern is a level of recursion.
	LikePatternLength = 2000
	// TriggerDepth is SQLITE_LIMIT_TRIGGER_DEPTH (SQLite's default, 1000);
	// see above for why it is not lower.
	TriggerDepth = 1000

	// Length is SQLITE_LIMIT_LENGTH, the largest string or BLOB in bytes
	// (SQLite: 1e9, which does not fit the connection's memory).
	Length = 64 << 20
	// SQLLength is SQLITE_LIMIT_SQL_LENGTH, the longest statement in bytes
	// (SQLite: 1e9). A quarter of the 16 MiB DEFAULT that loads; schema
	// statements are rarely longer than a few KiB.
	SQLLength = 4 << 20
	// Column is SQLITE_LIMIT_COLUMN (SQLite's default and its maximum, 2000):
	// columns of a table, an index or a result, terms of ORDER BY and GROUP BY.
	Column = 2000
	// VDBEOp is SQLITE_LIMIT_VDBE_OP, the instructions of one compiled
	// statement (SQLite: 250,000,000; 24 bytes each). SQLite reports a
	// statement over it as out of memory.
	VDBEOp = 2_000_000
	// FunctionArg is SQLITE_LIMIT_FUNCTION_ARG (SQLite's default, 1000):
	// json_object of 500 pairs is fine, and arguments do not recurse.
	FunctionArg = 1000
	// Attached is SQLITE_LIMIT_ATTACHED (SQLite's default, 10). dbgen
	// attaches nothing; an application may.
	Attached = 10
	// VariableNumber is SQLITE_LIMIT_VARIABLE_NUMBER, the highest ?NNN
	// (SQLite's default, 32766): the runtime's bulk insert fills it.
	VariableNumber = 32766
)

// MaxViewDepth is how deep the generator lets views be built on views (v0
// alone is 1, v1 reading v0 is 2). SQLite itself refuses views nested
// ExprDepth deep, but only when it reads them on a fresh connection, where
// a chain of 200 crashes: 64 keeps a third of that, and what the generator
// accepts the runtime reads.
const MaxViewDepth = 64

// limits are the values SetLimits sets.
var limits = []struct {
	name  string
	id    sqlite3.LimitCategory
	value int
}{
	{"LENGTH", sqlite3.LIMIT_LENGTH, Length},
	{"SQL_LENGTH", sqlite3.LIMIT_SQL_LENGTH, SQLLength},
	{"COLUMN", sqlite3.LIMIT_COLUMN, Column},
	{"EXPR_DEPTH", sqlite3.LIMIT_EXPR_DEPTH, ExprDepth},
	{"PARSER_DEPTH", sqlite3.LIMIT_PARSER_DEPTH, ParserDepth},
	{"COMPOUND_SELECT", sqlite3.LIMIT_COMPOUND_SELECT, CompoundSelect},
	{"VDBE_OP", sqlite3.LIMIT_VDBE_OP, VDBEOp},
	{"FUNCTION_ARG", sqlite3.LIMIT_FUNCTION_ARG, FunctionArg},
	{"ATTACHED", sqlite3.LIMIT_ATTACHED, Attached},
	{"LIKE_PATTERN_LENGTH", sqlite3.LIMIT_LIKE_PATTERN_LENGTH, LikePatternLength},
	{"VARIABLE_NUMBER", sqlite3.LIMIT_VARIABLE_NUMBER, VariableNumber},
	{"TRIGGER_DEPTH", sqlite3.LIMIT_TRIGGER_DEPTH, TriggerDepth},
}

// SetLimits sets dbgen's limits on c, and checks that SQLite took each:
// SQLite silently lowers a value above its compile-time maximum.
func SetLimits(c *sqlite3.Conn) error {
	for _, l := range limits {
		c.Limit(l.id, l.value)
		if got := c.Limit(l.id, -1); got != l.value {
			return fmt.Errorf("sqlite: SQLITE_LIMIT_%s is %d, not %d: this SQLite build caps it lower", l.name, got, l.value)
		}
	}
	return nil
}
