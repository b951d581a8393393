package runtime

import (
	"bytes"
	"database/sql"
)

// keyScanner hands rows to a scan function that knows only the selected
// columns, and keeps the sort-key values of the last row of the page for the
// cursor: a key read by the caller passes through a keyDest on its way to
// the caller's destination, a key selected again is read on the side. Other
// rows go straight to the caller's destinations.
type keyScanner struct {
	rows    *sql.Rows
	ncols   int
	from    []int
	keys    []keyDest
	extra   []any // destinations of the keys selected again
	buf     []any
	discard any
	last    bool // the row is the last of the page: keep its keys
	scanned bool
}

func newKeyScanner(rows *sql.Rows, ncols int, from []int) *keyScanner {
	ks := &keyScanner{rows: rows, ncols: ncols, from: from, keys: make([]keyDest, len(from))}
	for i, p := range from {
		if p < 0 {
			ks.extra = append(ks.extra, &ks.keys[i].val)
		}
	}
	return ks
}

func (ks *keyScanner) Scan(dest ...any) error {
	ks.scanned = true
	if !ks.last && len(ks.extra) == 0 {
		return ks.rows.Scan(dest...)
	}
	buf := append(ks.buf[:0], dest...)
	capture := ks.last && len(dest) == ks.ncols // otherwise database/sql reports the mismatch
	if capture {
		for i, p := range ks.from {
			if p >= 0 {
				k := &ks.keys[i]
				k.dest, k.pending = dest[p], false
				buf[p] = k
			}
		}
	}
	buf = append(buf, ks.extra...)
	ks.buf = buf
	if err := ks.rows.Scan(buf...); err != nil || !capture {
		return err
	}
	return ks.convertPending()
}

// convertPending hands the key values that keyDest.Scan left alone to
// database/sql's own conversion, by scanning the row again with every other
// column going to a throwaway destination, so each of the caller's
// destinations is still written exactly once.
func (ks *keyScanner) convertPending() error {
	again := false
	for i := range ks.keys {
		again = again || ks.keys[i].pending
	}
	if !again {
		return nil
	}
	buf := ks.buf[:0]
	for range ks.ncols {
		buf = append(buf, &ks.discard)
	}
	for i, p := range ks.from {
		if p >= 0 && ks.keys[i].pending {
			buf[p] = ks.keys[i].dest
		}
	}
	for range ks.extra {
		buf = append(buf, &ks.discard)
	}
	ks.buf = buf
	return ks.rows.Scan(buf...)
}

// values are the sort-key values of the last row of the page.
func (ks *keyScanner) values() []any {
	vals := make([]any, len(ks.keys))
	for i := range ks.keys {
		vals[i] = ks.keys[i].val
	}
	return vals
}

// keyDest stands in for the caller's destination of a sort key column. It
// keeps the value as the driver returned it and stores it in dest the way
// database/sql would, for the destinations generated code uses; any other
// it leaves pending for database/sql to convert.
type keyDest struct {
	dest    any
	val     any
	pending bool
}

func (k *keyDest) Scan(src any) error {
	k.val = src
	if b, ok := src.([]byte); ok {
		k.val = bytes.Clone(b) // the driver reuses its buffer for the next row
	}
	switch d := k.dest.(type) {
	case sql.Scanner: // what database/sql does for any Scanner (sql.Null*, ...)
		return d.Scan(src)
	case *int64:
		if v, ok := src.(int64); ok {
			*d = v
			return nil
		}
	case *float64:
		if v, ok := src.(float64); ok {
			*d = v
			return nil
		}
	case *string:
		if v, ok := src.(string); ok {
			*d = v
			return nil
		}
	case *bool:
		if v, ok := src.(bool); ok {
			*d = v
			return nil
		}
	case *any:
		if b, ok := src.([]byte); ok {
			*d = bytes.Clone(b) // as database/sql does
		} else {
			*d = src
		}
		return nil
	}
	k.pending = true
	return nil
}
