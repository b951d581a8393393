package admin

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"

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
	mux      *http.ServeMux
}

// NewHandler returns the admin API and page over the databases of m.
func NewHandler(m *runtime.Manager, opts Options) http.Handler {
	h := &handler{
		m:        m,
		token:    sha256.Sum256([]byte(opts.Token)),
		readOnly: opts.Token == "",
		maxBody:  opts.MaxBodyBytes,
		log:      opts.Logger,
		mux:      http.NewServeMux(),
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

	allowed := map[string][]string{} // path -> methods, for 405 answers
	for _, rt := range routes {
		h.mux.Handle(rt.method+" "+rt.path, h.api(rt))
		allowed[rt.path] = append(allowed[rt.path], rt.method)
	}
	for path, methods := range allowed {
		h.mux.Handle(path, h.methodNotAllowed(methods))
	}
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
	h.mux.ServeHTTP(w, r)
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
	allow := strings.Join(methods, ", ")
	if strings.Contains(allow, http.MethodGet) {
		allow += ", HEAD"
	}
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
