package runtime

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Environment variables read at Open, shared with the services the seed
// application already runs, so one deployment setting covers both.
const (
	EnvDatabaseURL       = "DATABASE_URL"                // data folder: a path, file:path or sqlite:///path; or a postgres:// URL
	EnvMaxRetries        = "DATABASE_MAX_RETRIES"        // integer >= 0
	EnvConnectionTimeout = "DATABASE_CONNECTION_TIMEOUT" // seconds ("30", "2.5") or a Go duration ("500ms")
	EnvJournalMode       = "SQLITE_JOURNAL_MODE"         // DELETE, TRUNCATE, PERSIST, MEMORY, WAL, OFF
	EnvSynchronous       = "SQLITE_SYNCHRONOUS"          // OFF, NORMAL, FULL, EXTRA
	EnvCacheSize         = "SQLITE_CACHE_SIZE"           // integer, pages or -KiB as PRAGMA cache_size
)

// loadEnv applies the variables that are set. A set but malformed value is an
// error naming the variable: a typo in a deployment must not silently fall
// back to a default.
func (c *config) loadEnv(getenv func(string) (string, bool)) error {
	if getenv == nil {
		return nil
	}
	if v, ok := getenv(EnvDatabaseURL); ok {
		dir, err := parseDatabaseURL(v)
		if err != nil {
			if isPostgresURL(v) {
				v = redactURL(v) // the message must not show the password
			}
			return envError(EnvDatabaseURL, v, err.Error())
		}
		c.dataDir = dir
	}
	if v, ok := getenv(EnvMaxRetries); ok {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 0 {
			return envError(EnvMaxRetries, v, "want a whole number, 0 or more")
		}
		c.maxRetries = n
	}
	if v, ok := getenv(EnvConnectionTimeout); ok {
		d, err := parseTimeout(v)
		if err != nil {
			return envError(EnvConnectionTimeout, v, err.Error())
		}
		c.busyTimeout = d
		c.connectTimeout = d
	}
	if v, ok := getenv(EnvJournalMode); ok {
		mode, valid := oneOf(v, journalModes)
		if !valid {
			return envError(EnvJournalMode, v, "want one of "+strings.Join(journalModes, ", "))
		}
		c.pragmas.journalMode = mode
		c.sqliteSet |= setJournalMode
	}
	if v, ok := getenv(EnvSynchronous); ok {
		level, valid := oneOf(v, syncLevels)
		if !valid {
			return envError(EnvSynchronous, v, "want one of "+strings.Join(syncLevels, ", "))
		}
		c.pragmas.synchronous = level
		c.sqliteSet |= setSynchronous
	}
	if v, ok := getenv(EnvCacheSize); ok {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return envError(EnvCacheSize, v, "want a whole number (pages, or -KiB)")
		}
		c.pragmas.cacheSize = n
		c.sqliteSet |= setCacheSize
	}
	return nil
}

// parseDatabaseURL accepts the forms a SQLite DATABASE_URL takes in the wild
// and returns the folder it names: every database of the application lives
// in it. As with SQLAlchemy, sqlite:///data is relative and sqlite:////data
// absolute; file:data, file:/data and file:///data follow RFC 8089. A
// postgres:// or postgresql:// URL is returned as it is, once pgx reads
// it: every database of the application is then a schema of the database
// it names.
func parseDatabaseURL(v string) (string, error) {
	s := strings.TrimSpace(v)
	var p string
	switch {
	case isPostgresURL(s):
		if _, err := pgx.ParseConfig(s); err != nil {
			return "", fmt.Errorf("invalid PostgreSQL URL: %s", pgParseMessage(err))
		}
		return s, nil
	case strings.HasPrefix(s, "sqlite:///"):
		p = strings.TrimPrefix(s, "sqlite:///")
	case strings.HasPrefix(s, "sqlite:"):
		return "", fmt.Errorf("want sqlite:///folder (relative) or sqlite:////folder (absolute)")
	case strings.HasPrefix(s, "file://"):
		rest := strings.TrimPrefix(s, "file://")
		host, path, _ := strings.Cut(rest, "/")
		if host != "" && host != "localhost" {
			return "", fmt.Errorf("file URL names host %q; want a local folder", host)
		}
		p = "/" + path
	case strings.HasPrefix(s, "file:"):
		p = strings.TrimPrefix(s, "file:")
	case strings.Contains(s, "://"):
		return "", fmt.Errorf("scheme %q is neither SQLite nor PostgreSQL; want a folder, file:folder, sqlite:///folder or postgres://...", s[:strings.Index(s, "://")])
	default:
		p = s
	}
	if strings.ContainsAny(p, "?#") {
		return "", fmt.Errorf("URL parameters are not supported; set pragmas with the SQLITE_* variables")
	}
	if p == "" {
		return "", fmt.Errorf("no folder given; want a folder, file:folder or sqlite:///folder")
	}
	return p, nil
}

// parseTimeout reads seconds, as the seed's services do, or a Go duration.
func parseTimeout(v string) (time.Duration, error) {
	s := strings.TrimSpace(v)
	if secs, err := strconv.ParseFloat(s, 64); err == nil {
		if !(secs >= 0 && secs <= 1e6) { // also rejects NaN
			return 0, fmt.Errorf("want seconds between 0 and 1e6")
		}
		return time.Duration(secs * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("want seconds (30, 2.5) or a duration (500ms)")
	}
	return d, nil
}

func envError(name, value, why string) error {
	return &Error{
		Code:    CodeValidationFailed,
		Message: fmt.Sprintf("environment variable %s=%q: %s", name, value, why),
		Details: map[string]any{"variable": name, "value": value},
	}
}

// Location is where Open and OpenManager put the databases when given dir:
// dir itself, or for "" the folder or PostgreSQL URL of DATABASE_URL, or
// DefaultDataDir when that is unset. A malformed variable that Open reads
// is an error naming it. A tool that serves an application's databases
// (dbgen serve) finds them as the application does.
func Location(dir string) (string, error) {
	cfg, err := newConfig(os.LookupEnv, nil)
	if err != nil {
		return "", err
	}
	return cfg.resolveDir(dir), nil
}

// IsPostgresURL reports whether dir, as Open and OpenManager take it, is a
// postgres:// or postgresql:// URL rather than a folder.
func IsPostgresURL(dir string) bool { return isPostgresURL(dir) }

// RedactURL is a PostgreSQL URL fit for messages: its password replaced.
func RedactURL(url string) string { return redactURL(url) }
