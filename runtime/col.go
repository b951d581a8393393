package runtime

// Col is a column of the table or view whose rows are T, holding values of
// type V. Generated packages declare one per column (UserEmail, ...), so a
// condition on the wrong table or with the wrong value type does not compile.
type Col[T, V any] struct {
	table *Table
	name  string
}

// NewCol is called by generated code with names from its own metadata.
func NewCol[T, V any](table *Table, name string) Col[T, V] {
	return Col[T, V]{table: table, name: name}
}

// Name is the column name.
func (c Col[T, V]) Name() string { return c.name }

// Table is the table or view the column belongs to.
func (c Col[T, V]) Table() *Table { return c.table }

func (c Col[T, V]) cond(op exprOp, args ...any) Cond[T] {
	return Cond[T]{e: expr{op: op, col: c.name, args: args}}
}

// Eq matches rows where the column equals v; a nil or invalid sql.Null* v
// matches NULL.
func (c Col[T, V]) Eq(v V) Cond[T] { return c.cond(opEq, v) }

// NotEq matches rows where the column differs from v (NULLs never do, as in
// SQL); a nil or invalid sql.Null* v matches every non-NULL value.
func (c Col[T, V]) NotEq(v V) Cond[T] { return c.cond(opNe, v) }

// In matches rows whose value is one of vs; with no vs it matches nothing.
func (c Col[T, V]) In(vs ...V) Cond[T] {
	args := make([]any, len(vs))
	for i, v := range vs {
		args[i] = v
	}
	return c.cond(opIn, args...)
}

func (c Col[T, V]) Gt(v V) Cond[T]  { return c.cond(opGt, v) }
func (c Col[T, V]) Gte(v V) Cond[T] { return c.cond(opGte, v) }
func (c Col[T, V]) Lt(v V) Cond[T]  { return c.cond(opLt, v) }
func (c Col[T, V]) Lte(v V) Cond[T] { return c.cond(opLte, v) }

// Like matches SQL LIKE patterns: % any run, _ one character, ASCII letters
// case-insensitively.
func (c Col[T, V]) Like(pattern string) Cond[T] { return c.cond(opLike, pattern) }

func (c Col[T, V]) IsNull() Cond[T]  { return c.cond(opIsNull) }
func (c Col[T, V]) NotNull() Cond[T] { return c.cond(opNotNull) }

// Asc and Desc sort by the column. NULLs sort first ascending, last
// descending, as SQLite does.
func (c Col[T, V]) Asc() Order[T]  { return Order[T]{col: c.name} }
func (c Col[T, V]) Desc() Order[T] { return Order[T]{col: c.name, desc: true} }

// Cond is a condition on rows of type T. The zero Cond puts no condition
// on a list; UpdateWhere and DeleteWhere refuse it, and take All instead.
type Cond[T any] struct {
	e   expr
	all bool
}

// All matches every row. It is the explicit way to update or delete a
// whole table, which an empty condition, likely a forgotten one, is not.
func All[T any]() Cond[T] { return Cond[T]{all: true} }

// And matches rows that meet every condition; with none, every row.
func And[T any](cs ...Cond[T]) Cond[T] { return group[T](opAnd, cs) }

// Or matches rows that meet at least one condition; with none, no row.
func Or[T any](cs ...Cond[T]) Cond[T] { return group[T](opOr, cs) }

// group joins conditions. All is the identity of And and absorbs Or.
func group[T any](op exprOp, cs []Cond[T]) Cond[T] {
	kids := make([]expr, 0, len(cs))
	all := len(cs) > 0
	for _, c := range cs {
		if c.all {
			if op == opOr {
				return All[T]()
			}
			continue
		}
		all = false
		kids = append(kids, c.e)
	}
	if all {
		return All[T]()
	}
	return Cond[T]{e: expr{op: op, kids: kids}}
}

// Order is one sort key over rows of type T.
type Order[T any] struct {
	col  string
	desc bool
}
