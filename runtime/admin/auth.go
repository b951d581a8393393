package admin

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/dbgen-dev/dbgen/runtime"
)

// authorize lets a mutating request through only with the server's bearer
// token. Both sides are hashed before the constant-time compare, so neither
// the token's bytes nor its length show in the timing.
func (h *handler) authorize(r *http.Request) error {
	if h.readOnly {
		return apiError(runtime.CodeReadOnly, "", "this server is read-only: to allow changes, start it with a token (dbgen serve --token-env NAME, the variable NAME holding the token)")
	}
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return apiError(CodeUnauthorized, "", `this route changes data: send "Authorization: Bearer <token>"`)
	}
	sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
	if subtle.ConstantTimeCompare(sum[:], h.token[:]) != 1 {
		return apiError(CodeUnauthorized, "", "invalid token")
	}
	return nil
}
