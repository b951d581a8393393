package generator

import (
	"testing"

	"github.com/dbgen-dev/dbgen/generator/codegen"
	"github.com/dbgen-dev/dbgen/generator/output"
)

// TestOutputKnowsCodegensHeader: output tells dbgen's files from the user's
// by the header codegen writes.
func TestOutputKnowsCodegensHeader(t *testing.T) {
	if output.Header != codegen.Header {
		t.Errorf("output.Header = %q, codegen writes %q", output.Header, codegen.Header)
	}
}
