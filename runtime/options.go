package runtime

import (
	"log/slog"
	goruntime "runtime"
	"time"
)

// Option changes how Open and OpenManager open a database. Options win over
// the environment, which wins over the defaults.
type Option func(*config)

// config is everything Open needs besides the Definition. The zero value is
// never used: newConfig starts from defaultConfig.
type config struct {
	dataDir     string        // from DATABASE_URL, used when Open gets dir == ""
	maxRetries  int           // extra attempts of a transaction after a lock error
	busyTimeout time.Duration // how long SQLite itself waits for a lock
	// connectTimeout bounds connecting to PostgreSQL, as
	// DATABASE_CONNECTION_TIMEOUT says; 0: the URL's, or 10 s.
	connectTimeout time.Duration
	backoffMin     time.Duration // first pause between two attempts
	backoffMax     time.Duration // cap of the pause between two attempts
	readers        int           // size of the read pool
	logger         *slog.Logger
	pragmas        pragmas
	sqliteSet      sqliteSettings // the SQLite-only settings given at all, by option or variable
	readOnly       bool           // WithReadOnly
}

// Defaults, chosen for a server process that owns its database files:
// SQLite waits for locks itself first (busyTimeout), and WriteTx retries on
// top of that for the rare lock that outlives the wait.
const (
	DefaultDataDir     = "data"
	DefaultMaxRetries  = 5
	DefaultBusyTimeout = 5 * time.Second
	defaultBackoffMin  = 10 * time.Millisecond
	defaultBackoffMax  = time.Second
	minReaders         = 4
)

func defaultConfig() config {
	return config{
		dataDir:     DefaultDataDir,
		maxRetries:  DefaultMaxRetries,
		busyTimeout: DefaultBusyTimeout,
		backoffMin:  defaultBackoffMin,
		backoffMax:  defaultBackoffMax,
		readers:     max(minReaders, goruntime.GOMAXPROCS(0)),
		logger:      slog.New(slog.DiscardHandler),
		pragmas:     defaultPragmas(),
	}
}

// newConfig layers the defaults, the environment and the options, and
// validates the result so that a bad option fails at Open, not at first use.
func newConfig(getenv func(string) (string, bool), opts []Option) (config, error) {
	cfg := defaultConfig()
	if err := cfg.loadEnv(getenv); err != nil {
		return config{}, err
	}
	for _, opt := range opts {
		if opt != nil {
			opt(&cfg)
		}
	}
	if err := cfg.validate(); err != nil {
		return config{}, err
	}
	return cfg, nil
}

func (c *config) validate() error {
	switch {
	case c.maxRetries < 0:
		return optionError("WithMaxRetries", c.maxRetries, "must be 0 or more")
	case c.busyTimeout < 0:
		return optionError("WithBusyTimeout", c.busyTimeout, "must be 0 or more")
	case c.backoffMin <= 0 || c.backoffMax < c.backoffMin:
		return optionError("WithBackoff", [2]time.Duration{c.backoffMin, c.backoffMax}, "needs 0 < min <= max")
	case c.readers < 1:
		return optionError("WithReaders", c.readers, "must be 1 or more")
	case c.logger == nil:
		return optionError("WithLogger", nil, "must not be nil")
	}
	if err := c.pragmas.validate(); err != nil {
		return err
	}
	return nil
}

func optionError(name string, value any, why string) error {
	return &Error{
		Code:    CodeValidationFailed,
		Message: name + ": " + why,
		Details: map[string]any{"option": name, "value": value},
	}
}

// WithMaxRetries sets how many times a transaction that failed on a lock
// (SQLITE_BUSY, BUSY_SNAPSHOT, LOCKED) is run again; 0 disables retries.
func WithMaxRetries(n int) Option { return func(c *config) { c.maxRetries = n } }

// WithBusyTimeout sets PRAGMA busy_timeout: how long SQLite waits for a lock
// before it reports SQLITE_BUSY.
func WithBusyTimeout(d time.Duration) Option { return func(c *config) { c.busyTimeout = d } }

// WithBackoff sets the pause before the first retry and its cap; pauses
// double between retries and are jittered so that writers do not march in step.
func WithBackoff(first, limit time.Duration) Option {
	return func(c *config) { c.backoffMin, c.backoffMax = first, limit }
}

// WithJournalMode sets PRAGMA journal_mode (WAL by default).
func WithJournalMode(mode string) Option {
	return func(c *config) { c.pragmas.journalMode, c.sqliteSet = mode, c.sqliteSet|setJournalMode }
}

// WithSynchronous sets PRAGMA synchronous (NORMAL by default, which is
// durable against process crashes in WAL mode).
func WithSynchronous(level string) Option {
	return func(c *config) { c.pragmas.synchronous, c.sqliteSet = level, c.sqliteSet|setSynchronous }
}

// WithCacheSize sets PRAGMA cache_size per connection: pages when positive,
// KiB when negative, as SQLite reads it.
func WithCacheSize(n int) Option {
	return func(c *config) { c.pragmas.cacheSize, c.sqliteSet = n, c.sqliteSet|setCacheSize }
}

// WithMmapSize sets PRAGMA mmap_size in bytes; 0 disables memory mapping.
func WithMmapSize(n int64) Option {
	return func(c *config) { c.pragmas.mmapSize, c.sqliteSet = n, c.sqliteSet|setMmapSize }
}

// WithJournalSizeLimit sets PRAGMA journal_size_limit in bytes: the WAL file
// is truncated back to this size after checkpoints.
func WithJournalSizeLimit(n int64) Option {
	return func(c *config) { c.pragmas.journalSizeLimit, c.sqliteSet = n, c.sqliteSet|setJournalSizeLimit }
}

// WithReaders sets the size of the read pool; its connections stay open.
func WithReaders(n int) Option { return func(c *config) { c.readers = n } }

// WithReadOnly opens existing files for reading only, for a process that
// must leave them as they are (dbgen serve without a token). Every
// connection is mode=ro and query_only; the journal mode is left as the file
// has it, no schema or migration is applied, and Close runs no PRAGMA
// optimize, so SQLite can neither write nor checkpoint the database file.
// Writes fail with READ_ONLY; a missing file is DATABASE_NOT_FOUND and is
// not created. Beside a WAL file SQLite still keeps its -shm index, and
// creates an empty -wal when there is none: a reader needs both, and a
// read-only connection cannot remove them.
func WithReadOnly() Option { return func(c *config) { c.readOnly = true } }

// WithLogger receives retries and lifecycle events; nothing is logged by default.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }
