package main

import (
	"io"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestEveryCommandHasExamples walks the command tree, cobra's own help and
// completion commands included, and fails for a runnable command whose
// help shows no example of how to call it.
func TestEveryCommandHasExamples(t *testing.T) {
	root := newRootCmd(io.Discard, io.Discard)
	var walk func(c *cobra.Command)
	n := 0
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		if c.Hidden || !c.Runnable() {
			return
		}
		n++
		if strings.TrimSpace(c.Example) == "" {
			t.Errorf("%s: no Example in its help", c.CommandPath())
			return
		}
		for _, line := range strings.Split(c.Example, "\n") {
			// Each example is a command line to copy, or a go:generate line.
			line = strings.TrimSpace(line)
			if !strings.Contains(line, "dbgen") {
				t.Errorf("%s: example line %q does not call dbgen", c.CommandPath(), line)
			}
		}
	}
	walk(root)
	if n < 15 {
		t.Errorf("walked %d runnable commands; is the tree complete (completion and help included)?", n)
	}
}
