package runtime

import "math/bits"

// Values are the columns an insert or an update writes and their values, as
// generated code collects them from Create parameters and <Model>Set
// structs: columns are given by their position in Table.Columns, in table
// order, and only the ones that are set. The set of columns is what the
// runtime caches each statement's SQL by.
type Values struct {
	args []any
	mask uint64 // bit i: column i is written (columns 0-63)
	cols []int  // every written column, kept only once one is past 63
}

// NewValues returns empty Values with room for n columns.
func NewValues(n int) Values { return Values{args: make([]any, 0, n)} }

// Add writes v to column col. Generated code adds columns in table order;
// one added out of order keeps its place (the mask, which cannot tell the
// order, is left for the list).
func (v *Values) Add(col int, val any) {
	if v.cols == nil && col >= 0 && col < 64 && v.mask>>col == 0 {
		v.mask |= 1 << col
	} else {
		if v.cols == nil {
			v.cols = v.columns()
		}
		v.cols = append(v.cols, col)
	}
	v.args = append(v.args, val)
}

// AddOpt writes o's value to column col when o is set.
func AddOpt[T any](v *Values, col int, o Opt[T]) {
	if o.ok {
		v.Add(col, o.v)
	}
}

// Len is the number of columns written.
func (v *Values) Len() int { return len(v.args) }

// columns lists the written columns in order.
func (v *Values) columns() []int {
	if v.cols != nil {
		return v.cols
	}
	cols := make([]int, 0, bits.OnesCount64(v.mask))
	for m := v.mask; m != 0; m &= m - 1 {
		cols = append(cols, bits.TrailingZeros64(m))
	}
	return cols
}

// cacheable reports whether the columns fit the mask, which then keys the
// statement cache.
func (v *Values) cacheable() bool { return v.cols == nil }

// sameColumns reports whether v and o write the same columns.
func (v *Values) sameColumns(o *Values) bool {
	if v.cols == nil && o.cols == nil {
		return v.mask == o.mask
	}
	a, b := v.columns(), o.columns()
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// writes reports whether v writes column col.
func (v *Values) writes(col int) bool {
	if v.cols == nil {
		return col >= 0 && col < 64 && v.mask&(1<<col) != 0
	}
	for _, c := range v.cols {
		if c == col {
			return true
		}
	}
	return false
}
