package runtime

import "slices"

// Page sizes: First(n) asks for n rows, DefaultPageSize when n is 0, and
// never more than MaxPageSize, so that one request cannot read a whole table:
// a larger page size is refused (ErrValidation naming the limit), as the
// admin API's page_size is, never quietly cut to MaxPageSize.
const (
	DefaultPageSize = 50
	MaxPageSize     = 1000
)

// Query describes one page of a dynamic list. Its methods return a changed
// copy, so a base query can be shared and refined per request.
type Query[T any] struct {
	spec listSpec
}

// NewQuery starts a query over table; generated code calls it as UserQuery().
func NewQuery[T any](table *Table) *Query[T] { return &Query[T]{spec: listSpec{table: table}} }

func (q *Query[T]) clone() *Query[T] {
	c := *q
	c.spec.where = slices.Clip(c.spec.where)
	c.spec.order = slices.Clip(c.spec.order)
	return &c
}

// Where adds conditions; all of them must hold.
func (q *Query[T]) Where(cs ...Cond[T]) *Query[T] {
	c := q.clone()
	for _, cond := range cs {
		c.spec.where = append(c.spec.where, cond.e)
	}
	return c
}

// OrderBy adds sort keys. The primary key (the rowid when there is none) is
// always appended as a final tiebreak, in the direction of the last key, so
// every order is total.
func (q *Query[T]) OrderBy(os ...Order[T]) *Query[T] {
	c := q.clone()
	for _, o := range os {
		c.spec.order = append(c.spec.order, sortKey{col: o.col, desc: o.desc})
	}
	return c
}

// First sets the page size: n rows, or DefaultPageSize when n is 0. A page
// holds at most MaxPageSize rows: List refuses n > MaxPageSize, and n < 0,
// with ErrValidation naming the limit rather than returning fewer rows than
// asked for. To read more rows, follow Page.NextCursor with After.
func (q *Query[T]) First(n int) *Query[T] { c := q.clone(); c.spec.limit = n; return c }

// After continues from a Page's NextCursor (keyset pagination: cost does not
// grow with depth, and rows inserted meanwhile are neither skipped nor
// repeated). It cannot be combined with Offset. A view has no key, and rows
// that repeat would be skipped where a page ends between them, so its
// pages have no cursor: page a view with Offset.
func (q *Query[T]) After(cursor string) *Query[T] { c := q.clone(); c.spec.after = cursor; return c }

// Offset skips n rows (offset pagination: simple, but each page re-reads the
// rows before it).
func (q *Query[T]) Offset(n int) *Query[T] { c := q.clone(); c.spec.offset = n; return c }

// WithTotal also counts every row that matches the conditions.
func (q *Query[T]) WithTotal() *Query[T] { c := q.clone(); c.spec.total = true; return c }

// Page is one page of a list.
type Page[T any] struct {
	Items      []T
	Total      int64  // rows matching the conditions; -1 unless WithTotal
	NextCursor string // pass to After for the next page; "" on the last page and for a view
	HasMore    bool
}

// Scanner is what a generated scan function reads a row from (*sql.Row and
// *sql.Rows are Scanners).
type Scanner interface{ Scan(dest ...any) error }
