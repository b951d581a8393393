package admin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dbgen-dev/dbgen/runtime"
	"github.com/dbgen-dev/dbgen/runtime/migrate"
)

// TestAsAPIError checks what a client is told of errors that carry SQL or
// driver text, and that a request that ran out of time says so whatever
// error its work ended with.
func TestAsAPIError(t *testing.T) {
	failed := &migrate.Error{File: "20250101000000_secret.sql", Line: 3, Statement: "DROP TABLE secret_users",
		Err: errors.New("sqlite3: SQL logic error: no such table: secret_users")}
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel()
	interrupted := &migrate.Error{File: "20250101000000_slow.sql", Line: 1, Statement: "UPDATE big SET n = n + 1",
		Err: errors.New("sqlite3: interrupted")}
	tests := []struct {
		name    string
		ctx     context.Context
		err     error
		code    runtime.Code
		details map[string]any
	}{
		{"migration failed", context.Background(), fmt.Errorf("run: %w", failed), runtime.CodeMigrationFailed,
			map[string]any{"file": "20250101000000_secret.sql", "line": 3}},
		{"migration timed out", context.Background(), fileErr(context.DeadlineExceeded), CodeTimeout, map[string]any{}},
		{"statement interrupted by the deadline", expired, interrupted, CodeTimeout, map[string]any{}},
		{"statement interrupted by the client", canceled, interrupted, CodeTimeout, map[string]any{}},
		{"other", context.Background(), errors.New("sqlite3: no such table: secret_users"), runtime.CodeInternal, map[string]any{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := asAPIError(tt.ctx, "billing", tt.err)
			if got.Code != tt.code {
				t.Errorf("code %s, want %s", got.Code, tt.code)
			}
			for _, secret := range []string{"secret_users", "DROP", "UPDATE", "sqlite3"} {
				if strings.Contains(got.Message, secret) {
					t.Errorf("message %q tells the client %q", got.Message, secret)
				}
			}
			details := got.Details
			if details == nil {
				details = map[string]any{}
			}
			if diff := cmp.Diff(tt.details, details); diff != "" {
				t.Errorf("details (-want +got):\n%s", diff)
			}
			if !errors.Is(got, tt.err) {
				t.Errorf("the cause is not kept for the log")
			}
		})
	}
}

func fileErr(cause error) error {
	return &migrate.Error{File: "dbgen_revisions", Err: fmt.Errorf("take the write lock: %w", cause)}
}
