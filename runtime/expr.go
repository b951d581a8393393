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
		s.WriteString("1")
		return nil
	case opAnd, opOr:
		return e.renderGroup(s, module, t)
	}
	if ok, _ := t.Lookup(e.col); !ok {
		return columnNotFound(module, t, e.col)
	}
	switch e.op {
	case opEq, opNe:
		null, err := isNull(e.args[0])
		if err != nil {
			return newError(CodeValidationFailed, module, "value of "+e.col+": "+err.Error(), "column", e.col).wrap(err)
		}
		s.ident(e.col)
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
		s.ident(e.col)
		s.WriteString(comparison[e.op])
		return s.bindValue(module, t, e.col, e.args[0])
	case opLike, opLikeEscape:
		s.ident(e.col)
		s.WriteString(" LIKE ")
		s.bind(e.args[0])
		if e.op == opLikeEscape {
			s.WriteString(` ESCAPE '\'`)
		}
	case opIn, opNotIn:
		if len(e.args) == 0 {
			// x IN () is not SQL: no value matches, every value is not in it.
			if e.op == opIn {
				s.WriteString("0")
			} else {
				s.WriteString("1")
			}
			return nil
		}
		s.ident(e.col)
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
		s.ident(e.col)
		s.WriteString(" IS NULL")
	case opNotNull:
		s.ident(e.col)
		s.WriteString(" IS NOT NULL")
	default:
		return newError(CodeInternal, module, fmt.Sprintf("unknown condition operator %d", e.op))
	}
	return nil
}

func (e expr) renderGroup(s *sqlText, module string, t *Table) error {
	if len(e.kids) == 0 {
		// The empty And holds for every row, the empty Or for none.
		if e.op == opAnd {
			s.WriteString("1")
		} else {
			s.WriteString("0")
		}
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
	arg, err := bindArg(f, false, v)
	if err != nil {
		return columnError(module, t, col, err)
	}
	s.bind(arg)
	return nil
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
