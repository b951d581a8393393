package runtime

import (
	"database/sql/driver"
	"fmt"
	"reflect"
)

// exprOp is the operator of one condition node.
type exprOp int

const (
	opTrue exprOp = iota // the empty And: no condition
	opEq
	opNe
	opGt
	opGte
	opLt
	opLte
	opLike       // LIKE with the caller's own wildcards
	opLikeEscape // LIKE whose pattern escapes wildcards with \
	opIn
	opNotIn
	opIsNull
	opNotNull
	opAnd
	opOr
)

var comparison = map[exprOp]string{
	opEq: " = ", opNe: " <> ", opGt: " > ", opGte: " >= ", opLt: " < ", opLte: " <= ",
}

// expr is an untyped condition tree. The typed Cond[T] of generated code and
// the filters of generic CRUD both build one, so both render the same way.
type expr struct {
	op   exprOp
	col  string
	args []any
	kids []expr
}

// empty reports whether e is no condition at all: the zero expr, or an And
// of empty ones.
func (e expr) empty() bool {
	switch e.op {
	case opTrue:
		return true
	case opAnd:
		for _, k := range e.kids {
			if !k.empty() {
				return false
			}
		}
		return true
	}
	return false
}

// render writes e as SQL, checking every column against t.
func (e expr) render(s *sqlText, module string, t *Table) error {
	switch e.op {
	case opTrue:
		s.WriteString(s.d.boolean(true))
		return nil
	case opAnd, opOr:
		return e.renderGroup(s, module, t)
	}
	if ok, _ := t.Lookup(e.col); !ok {
		return columnNotFound(module, t, e.col)
	}
	col := s.d.column(t, e.col)
	switch e.op {
	case opEq, opNe:
		null, err := isNull(e.args[0])
		if err != nil {
			return newError(CodeValidationFailed, module, "value of "+e.col+": "+err.Error(), "column", e.col).wrap(err)
		}
		s.ident(col)
		if null {
			// "= NULL" matches nothing; a nil value means the SQL NULL test.
			if e.op == opEq {
				s.WriteString(" IS NULL")
			} else {
				s.WriteString(" IS NOT NULL")
			}
			return nil
		}
		s.WriteString(comparison[e.op])
		return s.bindValue(module, t, e.col, e.args[0])
	case opGt, opGte, opLt, opLte:
		s.ident(col)
		s.WriteString(comparison[e.op])
		return s.bindValue(module, t, e.col, e.args[0])
	case opLike, opLikeEscape:
		s.like(col)
		s.bind(e.args[0])
		if e.op == opLikeEscape {
			s.WriteString(` ESCAPE '\'`)
		}
	case opIn, opNotIn:
		if len(e.args) == 0 {
			// x IN () is not SQL: no value matches, every value is not in it.
			s.WriteString(s.d.boolean(e.op != opIn))
			return nil
		}
		s.ident(col)
		if e.op == opIn {
			s.WriteString(" IN (")
		} else {
			s.WriteString(" NOT IN (")
		}
		for i, v := range e.args {
			if i > 0 {
				s.WriteString(", ")
			}
			if err := s.bindValue(module, t, e.col, v); err != nil {
				return err
			}
		}
		s.WriteByte(')')
	case opIsNull:
		s.ident(col)
		s.WriteString(" IS NULL")
	case opNotNull:
		s.ident(col)
		s.WriteString(" IS NOT NULL")
	default:
		return newError(CodeInternal, module, fmt.Sprintf("unknown condition operator %d", e.op))
	}
	return nil
}

func (e expr) renderGroup(s *sqlText, module string, t *Table) error {
	if len(e.kids) == 0 {
		// The empty And holds for every row, the empty Or for none.
		s.WriteString(s.d.boolean(e.op == opAnd))
		return nil
	}
	sep := " AND "
	if e.op == opOr {
		sep = " OR "
	}
	s.WriteByte('(')
	for i, k := range e.kids {
		if i > 0 {
			s.WriteString(sep)
		}
		if err := k.render(s, module, t); err != nil {
			return err
		}
	}
	s.WriteByte(')')
	return nil
}

// bindValue writes a placeholder for v, a value compared with column col,
// put through the codec by the column's family: a time.Time compares with
// the stored text of a DATETIME, a time given as text is read first.
func (s *sqlText) bindValue(module string, t *Table, col string, v any) error {
	f := FamilyInteger // the rowid
	if c := t.Column(col); c != nil {
		f = c.Family()
	}
	if str, ok := v.(string); ok && (f == FamilyDate || f == FamilyDateTime) {
		if tm, ok := parseTimeFor(f, str); ok {
			v = tm
		}
	}
	arg, err := s.d.bind(f, false, v)
	if err != nil {
		return columnError(module, t, col, err)
	}
	s.bind(arg)
	return nil
}

// like writes col LIKE, as SQLite matches it: ASCII letters regardless of
// case, whatever the column's type. PostgreSQL's LIKE minds case and takes
// text only, so there it is ILIKE on the column as text.
func (s *sqlText) like(col string) {
	s.ident(col)
	if s.d == postgresDialect {
		s.WriteString("::text ILIKE ")
		return
	}
	s.WriteString(" LIKE ")
}

// isNull reports whether v binds as SQL NULL: nil, a nil pointer, or a
// driver.Valuer such as sql.NullString{} whose value is nil.
func isNull(v any) (bool, error) {
	if v == nil {
		return true, nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer && rv.IsNil() {
		return true, nil
	}
	if vr, ok := v.(driver.Valuer); ok {
		dv, err := vr.Value()
		if err != nil {
			return false, err
		}
		return dv == nil, nil
	}
	return false, nil
}
