package runtime

import (
	"hash/fnv"
	"strconv"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
)

// Tokens keep the form encoding/json gave them, so that cursors handed out
// before a change of the encoder still read back, and every value keeps its
// storage class.
func TestCursorTokens(t *testing.T) {
	at := time.Date(2024, 1, 2, 3, 4, 5, 500, time.FixedZone("", 7200))
	tests := []struct {
		vals  []any
		token string
		back  []any
	}{
		{
			vals:  []any{int64(42)},
			token: "eyJvIjoiYWJjMTIzIiwiayI6WzQyXX0",
		},
		{
			vals:  []any{nil, int64(-7), 1.5, "a\"b<&>\u2028é\x00", []byte{0, 255, 1}, at, true, false},
			token: "eyJvIjoiYWJjMTIzIiwiayI6W251bGwsLTcseyJmIjoiMS41In0sImFcImJcdTAwM2NcdTAwMjZcdTAwM2VcdTIwMjjDqVx1MDAwMCIseyJiIjoiQVA4QiJ9LCIyMDI0LTAxLTAyVDAzOjA0OjA1LjAwMDAwMDUrMDI6MDAiLDEsMF19",
			back:  []any{nil, int64(-7), 1.5, "a\"b<&>\u2028é\x00", []byte{0, 255, 1}, "2024-01-02T03:04:05.0000005+02:00", int64(1), int64(0)},
		},
		{
			vals:  []any{"plain", 1e300, 0.0, []byte{}},
			token: "eyJvIjoiYWJjMTIzIiwiayI6WyJwbGFpbiIseyJmIjoiMWUrMzAwIn0seyJmIjoiMCJ9LHsiYiI6IiJ9XX0",
		},
	}
	for _, tt := range tests {
		token, err := encodeCursor("abc123", tt.vals)
		if err != nil || token != tt.token {
			t.Errorf("encodeCursor(%v) = %q, %v; want %q", tt.vals, token, err, tt.token)
		}
		back, err := decodeCursor("shop", tt.token, "abc123", len(tt.vals))
		want := tt.back
		if want == nil {
			want = tt.vals
		}
		if diff := gocmp.Diff(want, back); err != nil || diff != "" {
			t.Errorf("decodeCursor: %v (-want +got):\n%s", err, diff)
		}
	}
	if _, err := encodeCursor("abc123", []any{int32(1)}); err == nil {
		t.Error("an int32 key value was accepted")
	}
}

// The signature is the FNV-1a hash that cursors handed out so far carry.
func TestOrderSignature(t *testing.T) {
	got := orderSignature("users", []sortKey{{col: "name", desc: true}, {col: "id", desc: true}})
	h := fnv.New64a()
	h.Write([]byte("users|name desc|id desc"))
	if want := strconv.FormatUint(h.Sum64(), 36); got != want {
		t.Errorf("orderSignature = %q, want %q", got, want)
	}
}
