// Package userfile reads the files of a user's project (schema and queries
// files, dbgen.yaml, go.mod, migrations) as dbgen must read what a
// repository may hold: regular files only, or links to them, and no more
// than MaxSize bytes. A FIFO would block the read forever, and a link to
// /dev/zero, or a file that keeps growing, would fill the memory.
package userfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// MaxSize is the largest file dbgen reads: 16 MiB, hundreds of times a
// large schema, and four times the longest statement SQLite takes in dbgen
// (internal/sqliteconn.SQLLength). README's "Schema files" says so too.
const MaxSize = 16 << 20

// Error is a file dbgen does not read: not a regular file, or too large.
type Error struct {
	Path string
	// Kind says what the file is when it is not a regular file ("a named
	// pipe (FIFO)", "a device", ...), and Link what it resolves to when
	// Path is a link; both are "" when only its size is wrong.
	Kind, Link string
	Size       int64 // the size found, when over the limit
	Limit      int64 // the limit it is over; 0 is MaxSize
}

func (e *Error) Error() string { return e.Path + ": " + e.Problem() }

// Problem is the message without the path, for callers that report the
// path their own way.
func (e *Error) Problem() string {
	if e.Kind == "" {
		limit := e.Limit
		if limit == 0 {
			limit = MaxSize
		}
		return fmt.Sprintf("the file is %s; dbgen reads files of at most %d MiB", MiB(e.Size), limit>>20)
	}
	return e.What() + "; dbgen reads only regular files, or links to them"
}

// What says what a file that is not a regular one is: "is a named pipe
// (FIFO)", "is a link to /dev/zero, a device".
func (e *Error) What() string {
	if e.Link != "" {
		return "is a link to " + e.Link + ", " + e.Kind
	}
	return "is " + e.Kind
}

// MiB formats a size in bytes as mebibytes, one decimal: "5.0 MiB".
func MiB(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

// Read returns the content of the file at path, a regular file or a link to
// one, of at most MaxSize bytes; anything else is an *Error. It never reads
// more than MaxSize+1 bytes, even from a file that grows meanwhile.
func Read(path string) ([]byte, error) { return ReadMax(path, MaxSize) }

// ReadMax is Read with another size limit, for files dbgen wrote itself
// (the generated code under gen/), which may be larger than its inputs.
func ReadMax(path string, limit int64) ([]byte, error) {
	if err := checkMax(path, limit); err != nil {
		return nil, err
	}
	// Non-blocking, should a FIFO have taken the file's place since Check:
	// then open does not wait for a writer, and Stat below refuses it.
	f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := check(path, info, limit); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, sizeError(path, max(int64(len(data)), info.Size()), limit)
	}
	return data, nil
}

// Check returns an *Error when the file at path is one Read refuses,
// without opening it; a missing file is the fs.ErrNotExist of os.Stat.
func Check(path string) error { return checkMax(path, MaxSize) }

// CheckMax is Check with the limit of ReadMax.
func CheckMax(path string, limit int64) error { return checkMax(path, limit) }

func checkMax(path string, limit int64) error {
	info, err := os.Stat(path) // follows links: their target must be regular
	if err != nil {
		return err
	}
	return check(path, info, limit)
}

// CheckRegular is Check without the size limit, for files that are not
// read whole (a database file, which SQLite opens).
func CheckRegular(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	if info.Mode().IsRegular() {
		return nil
	}
	return check(path, info, MaxSize)
}

func sizeError(path string, size, limit int64) *Error {
	e := &Error{Path: path, Size: size}
	if limit != MaxSize {
		e.Limit = limit
	}
	return e
}

func check(path string, info fs.FileInfo, limit int64) error {
	if info.Mode().IsRegular() {
		if info.Size() > limit {
			return sizeError(path, info.Size(), limit)
		}
		return nil
	}
	e := &Error{Path: path, Kind: kind(info.Mode())}
	if l, err := os.Lstat(path); err == nil && l.Mode()&fs.ModeSymlink != 0 {
		if e.Link, err = filepath.EvalSymlinks(path); err != nil {
			e.Link, _ = os.Readlink(path)
		}
	}
	return e
}

func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	default:
		return "an irregular file"
	}
}

// IsError reports whether err is an *Error.
func IsError(err error) bool {
	var e *Error
	return errors.As(err, &e)
}
