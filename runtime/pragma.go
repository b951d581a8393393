package runtime

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// pragmas are the per-connection settings of DESIGN.md. busy_timeout lives in
// config because it is also the lock wait of the retry policy.
type pragmas struct {
	journalMode      string
	synchronous      string
	cacheSize        int
	mmapSize         int64
	journalSizeLimit int64
}

func defaultPragmas() pragmas {
	return pragmas{
		journalMode: "WAL",
		synchronous: "NORMAL",
		cacheSize:   -20000, // 20 MB per connection
		// No memory mapping: with this driver it makes reads slower, not
		// faster. With mmap on, SQLite looks every page up in the WAL index
		// and fetches it through the VFS (a call out of the wasm module)
		// instead of hitting its page cache. BenchmarkMmapReads measured
		// Get, List and keyset pages with mmap_size=256MB at 0.9-1.4x the
		// time without (typically 1.05-1.15x), never clearly faster.
		mmapSize:         0,
		journalSizeLimit: 64 << 20, // a burst of writes does not leave a huge WAL behind
	}
}

var (
	journalModes = []string{"DELETE", "TRUNCATE", "PERSIST", "MEMORY", "WAL", "OFF"}
	syncLevels   = []string{"OFF", "NORMAL", "FULL", "EXTRA"}
)

// validate normalises the names to upper case, so that "wal" and "WAL" read
// back the same, and rejects anything SQLite would silently ignore.
func (p *pragmas) validate() error {
	var ok bool
	if p.journalMode, ok = oneOf(p.journalMode, journalModes); !ok {
		return optionError("WithJournalMode", p.journalMode, "must be one of "+strings.Join(journalModes, ", "))
	}
	if p.synchronous, ok = oneOf(p.synchronous, syncLevels); !ok {
		return optionError("WithSynchronous", p.synchronous, "must be one of "+strings.Join(syncLevels, ", "))
	}
	if p.mmapSize < 0 {
		return optionError("WithMmapSize", p.mmapSize, "must be 0 or more")
	}
	if p.journalSizeLimit < -1 {
		return optionError("WithJournalSizeLimit", p.journalSizeLimit, "must be -1 (no limit) or more")
	}
	return nil
}

func oneOf(v string, allowed []string) (string, bool) {
	up := strings.ToUpper(strings.TrimSpace(v))
	for _, a := range allowed {
		if up == a {
			return a, true
		}
	}
	return v, false
}

// connRole says which pool a DSN is for.
type connRole int

const (
	roleWriter connRole = iota
	roleReader
	roleReadOnly // either pool of a database opened WithReadOnly
)

// dsn builds the file: URI the driver opens. The driver runs the _pragma
// parameters in order on every new connection; busy_timeout goes first so
// that the others (journal_mode needs a lock) already wait instead of failing.
// Readers are query_only: a stray write through the read pool is an error,
// and the driver then starts their transactions as plain deferred BEGINs.
// Both pools of a read-only database are readers of a file opened mode=ro.
func dsn(path string, busy time.Duration, p pragmas, role connRole) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("resolve %s: %w", path, err)
	}
	q := []string{"busy_timeout(" + strconv.FormatInt(busy.Milliseconds(), 10) + ")"}
	if role != roleReadOnly {
		// WAL is a property of the file, but the rollback modes (TRUNCATE,
		// PERSIST, ...) are per connection: every connection sets it.
		// Switching to or from WAL writes the file's header, so a read-only
		// open leaves the mode as the file has it.
		q = append(q, "journal_mode("+p.journalMode+")")
	}
	q = append(q,
		"synchronous("+p.synchronous+")",
		"foreign_keys(ON)",
		"cache_size("+strconv.Itoa(p.cacheSize)+")",
		"temp_store(MEMORY)",
		"mmap_size("+strconv.FormatInt(p.mmapSize, 10)+")",
		"journal_size_limit("+strconv.FormatInt(p.journalSizeLimit, 10)+")",
	)
	if role != roleWriter {
		q = append(q, "query_only(ON)")
	}
	var b strings.Builder
	b.WriteString("file:")
	// url.URL escapes ?, # and % in the path, which SQLite's URI parser decodes.
	slashed := filepath.ToSlash(abs)
	if !strings.HasPrefix(slashed, "/") {
		slashed = "/" + slashed // a drive letter path: file:/C:/data/x.db
	}
	b.WriteString((&url.URL{Path: slashed}).EscapedPath())
	for i, v := range q {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString("_pragma=")
		b.WriteString(url.QueryEscape(v))
	}
	switch role {
	case roleWriter:
		b.WriteString("&_txlock=immediate")
	case roleReadOnly:
		// The file is opened O_RDONLY: whatever runs on the connection,
		// SQLite cannot write it, nor lock it for a checkpoint.
		b.WriteString("&mode=ro")
	}
	return b.String(), nil
}
