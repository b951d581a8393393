package listparam

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantErr bool
	}{
		{in: "", want: nil},
		{in: "a", want: []string{"a"}},
		{in: "a,b,,c", want: []string{"a", "b", "", "c"}},
		{in: ` [1, "x,y", 2.50, -3e2] `, want: []string{"1", "x,y", "2.50", "-3e2"}},
		{in: "[]", want: []string{}},
		{in: "[1,", wantErr: true},
		{in: "[true]", wantErr: true},
		{in: `[{"a":1}]`, wantErr: true},
		{in: "[null]", wantErr: true},
	}
	for _, tt := range tests {
		got, err := Split(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("Split(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if diff := cmp.Diff(tt.want, got); !tt.wantErr && diff != "" {
			t.Errorf("Split(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}
