package sqlcgen

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestChildEnviron(t *testing.T) {
	tests := []struct {
		name         string
		parent, want []string
	}{{
		name:   "sqlc's variables dropped, a lazier GC",
		parent: []string{"HOME=/root", "SQLCDEBUG=dumpast=1", "SQLC_AUTH_TOKEN=x", "PATH=/bin", childEnv + "=0"},
		want:   []string{"HOME=/root", "PATH=/bin", "GOGC=400", childEnv + "=1"},
	}, {
		name:   "the user's GOGC kept",
		parent: []string{"GOGC=50"},
		want:   []string{"GOGC=50", childEnv + "=1"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, childEnviron(tt.parent)); diff != "" {
				t.Errorf("environment (-want +got):\n%s", diff)
			}
		})
	}
}
