package runtime

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Opt is a value that may be left unset. Generated Create parameters use it
// for the columns that have a DEFAULT (and for the rowid, which SQLite
// chooses), and <Model>Set uses it for every column: an unset Opt is not
// written at all, so a zero Go value never replaces a default or a stored
// value by accident. The zero Opt is unset; Set(v) is set to v.
type Opt[T any] struct {
	v  T
	ok bool
}

// Set returns an Opt set to v.
func Set[T any](v T) Opt[T] { return Opt[T]{v: v, ok: true} }

// Unset returns an unset Opt, the same as the zero value; it reads better
// where a field is cleared on purpose.
func Unset[T any]() Opt[T] { return Opt[T]{} }

// IsSet reports whether o holds a value.
func (o Opt[T]) IsSet() bool { return o.ok }

// Get returns the value and whether it is set.
func (o Opt[T]) Get() (T, bool) { return o.v, o.ok }

// Or returns the value when it is set, else def.
func (o Opt[T]) Or(def T) T {
	if o.ok {
		return o.v
	}
	return def
}

func (o Opt[T]) String() string {
	if !o.ok {
		return "unset"
	}
	return fmt.Sprint(o.v)
}

// MarshalJSON writes the value, or null when unset.
func (o Opt[T]) MarshalJSON() ([]byte, error) {
	if !o.ok {
		return []byte("null"), nil
	}
	return json.Marshal(o.v)
}

// UnmarshalJSON sets o from JSON; null leaves it unset (a missing field
// does the same), which is what a JSON PATCH body means by it.
func (o *Opt[T]) UnmarshalJSON(data []byte) error {
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		*o = Opt[T]{}
		return nil
	}
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*o = Set(v)
	return nil
}
