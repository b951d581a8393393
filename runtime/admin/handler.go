package admin

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/dbgen-dev/dbgen/runtime"
)

// DefaultMaxBodyBytes caps request bodies when Options.MaxBodyBytes is 0:
// a record or a migration command is far smaller.
const DefaultMaxBodyBytes = 1 << 20

// Options configure NewHandler. The zero value serves read-only.
type Options struct {
	// Token is the bearer token that mutating routes require. Empty makes
	// the handler read-only: those routes answer 403 READ_ONLY.
	Token string
	// MaxBodyBytes caps a request body; larger ones get 413. 0 means
	// DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Logger receives server-side failures (5xx) with their cause, which
	// clients never see. nil discards them.
	Logger *slog.Logger
	// AllowedHosts are the only host names (the Host header without its
	// port) the handler answers; others get 403. Empty allows loopback
	// names only: localhost, 127.0.0.0/8 and ::1, with any port. A web page
	// that rebinds its DNS name to 127.0.0.1 can then not read the
	// databases through a visitor's browser. A server that other machines
	// reach lists the names they use, or "*" to answer any host.
	AllowedHosts []string
	// Migrations returns the migrations folder of a database whose
	// Definition has none, nil when it has none either. dbgen serve --root
	// gives the project's, so that files it opened as they are can be
	// migrated from the API; a Definition's own folder wins.
	Migrations func(database string) fs.FS
	// Planner plans the next migration from the schema files, as dbgen
	// migrate diff does, for POST /migrations/generate; nil refuses that
	// route. runtime links no generator: dbgen serve --root passes one.
	Planner Planner
}

// handler serves the routes of routes.go over one Manager.
type handler struct {
	m        *runtime.Manager
	token    [sha256.Size]byte // hash of Options.Token, compared in constant time
	readOnly bool
	maxBody  int64
	log      *slog.Logger
	hosts    map[string]bool // nil: loopback names only
	anyHost  bool            // AllowedHosts has "*"

	migrations func(string) fs.FS
	planner    Planner
	planMu     sync.Mutex // one plan at a time: two would take the same version
	names      tableNames

	seed *http.ServeMux // seedRoutes, asked first
	mux  *http.ServeMux // dbgenRoutes, the page and the rest
}

// NewHandler returns the admin API and page over the databases of m.
func NewHandler(m *runtime.Manager, opts Options) http.Handler {
	h := &handler{
		m:        m,
		token:    sha256.Sum256([]byte(opts.Token)),
		readOnly: opts.Token == "",
		maxBody:  opts.MaxBodyBytes,
		log:      opts.Logger,

		migrations: opts.Migrations,
		planner:    opts.Planner,
		names:      newTableNames(m),

		seed: http.NewServeMux(),
		mux:  http.NewServeMux(),
	}
	if h.maxBody <= 0 {
		h.maxBody = DefaultMaxBodyBytes
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	for _, host := range opts.AllowedHosts {
		if host == "*" {
			h.anyHost = true
		}
		if h.hosts == nil {
			h.hosts = map[string]bool{}
		}
		h.hosts[strings.ToLower(strings.Trim(host, "[]"))] = true
	}

	h.register(h.seed, seedRoutes)
	h.register(h.mux, dbgenRoutes)
	h.mux.Handle("GET /admin/", pageHandler())
	h.mux.Handle("GET /{$}", http.RedirectHandler("/admin/", http.StatusFound))
	h.mux.Handle("GET /admin", http.RedirectHandler("/admin/", http.StatusMovedPermanently))
	h.mux.Handle("/", h.api(route{serve: (*handler).notFound}))
	return h
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "no-referrer")
	if !h.allowHost(r.Host) {
		h.writeError(w, r, apiError(CodeHostNotAllowed, "", "this server does not answer to host "+clip(r.Host)))
		return
	}
	// The seed's paths first: see seedRoutes.
	if _, pattern := h.seed.Handler(r); pattern != "" {
		h.seed.ServeHTTP(w, r)
		return
	}
	h.mux.ServeHTTP(w, r)
}

// register serves rts on mux, and answers 405 naming the allowed methods
// for their paths.
func (h *handler) register(mux *http.ServeMux, rts []route) {
	allowed := map[string][]string{} // path -> methods
	var paths []string
	for _, rt := range rts {
		mux.Handle(rt.method+" "+rt.path, h.api(rt))
		if allowed[rt.path] == nil {
			paths = append(paths, rt.path)
		}
		allowed[rt.path] = append(allowed[rt.path], rt.method)
	}
	for _, path := range paths {
		mux.Handle(path, h.methodNotAllowed(allowed[path]))
	}
}

// allowHost reports whether the handler answers a request for host (see
// Options.AllowedHosts).
func (h *handler) allowHost(host string) bool {
	name := hostName(host)
	switch {
	case h.anyHost:
		return true
	case h.hosts != nil:
		return h.hosts[name]
	case name == "localhost":
		return true
	}
	ip := net.ParseIP(name)
	return ip != nil && ip.IsLoopback()
}

// hostName is the Host header without its port or IPv6 brackets.
func hostName(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return strings.ToLower(strings.Trim(host, "[]"))
}

// api adapts a route's function: authorization first for mutating routes,
// so that a client without the token learns nothing about names; then the
// function, whose error becomes the envelope; a panic becomes a 500 rather
// than a dropped connection.
func (h *handler) api(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				h.writeError(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		if rt.mutating {
			if err := h.authorize(r); err != nil {
				h.writeError(w, r, err)
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, h.maxBody)
		}
		// url.Values drops what it cannot parse (a pair holding ";", a bad
		// %-escape): a request must not run without a parameter it sent.
		if _, err := url.ParseQuery(r.URL.RawQuery); err != nil {
			h.writeError(w, r, invalid(r.PathValue("db"), "malformed query string: "+clip(err.Error())+
				`; separate parameters with "&" and escape "%", ";" and "&" in values`, "query", clip(r.URL.RawQuery)))
			return
		}
		if err := rt.serve(h, w, r); err != nil {
			h.writeError(w, r, err)
		}
	})
}

func (h *handler) notFound(w http.ResponseWriter, r *http.Request) error {
	return apiError(CodeNotFound, "", "no route "+r.Method+" "+r.URL.Path+"; see /api/v1/db/openapi.json")
}

func (h *handler) methodNotAllowed(methods []string) http.Handler {
	// The Allow header, the message and details.allow list the same
	// methods: HEAD with GET, which net/http serves with every GET route.
	methods = slices.Clone(methods)
	if slices.Contains(methods, http.MethodGet) && !slices.Contains(methods, http.MethodHead) {
		methods = append(methods, http.MethodHead)
	}
	allow := strings.Join(methods, ", ")
	return h.api(route{serve: func(h *handler, w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Allow", allow)
		return apiError(CodeMethodNotAllowed, "", r.Method+" is not allowed here; use "+allow, "allow", methods)
	}})
}

// encodeFailed is sent when a body cannot be encoded: a value of the
// database that JSON cannot spell, say. It is a constant so that it cannot fail.
const encodeFailed = `{"error":{"code":"INTERNAL","message":"the response cannot be written as JSON","module":"","details":{}}}` + "\n"

// writeJSON sends v with status. It encodes first, so that a value that
// does not encode becomes a 500 rather than a 200 cut short.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if err := enc.Encode(v); err != nil {
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, encodeFailed)
		return
	}
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}
