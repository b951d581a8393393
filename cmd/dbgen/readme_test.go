package main

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// readmeRoutes are the README's two set-up routes, each the commands its
// script runs in this order (the script adds only what points the module at
// this checkout).
var readmeRoutes = map[string][]string{
	"readme_setup_tool.txtar": {
		"go mod init example.com/shop",
		"go get -tool github.com/dbgen-dev/dbgen/cmd/dbgen",
		"go generate",
		"go run .",
	},
	"readme_setup_go_run.txtar": {
		"go mod init example.com/shop",
		"go get github.com/dbgen-dev/dbgen/cmd/dbgen",
		"go generate",
		"go run .",
	},
}

// TestREADMESetup keeps the README's "Using it in a module" set-up and the
// scripts that run it the same: every command the README shows is run by a
// script, in the README's order, and the scripts' schema.sql and main.go are
// the README's files (the go run route's main.go differs only in its
// go:generate line, which the README shows on its own).
func TestREADMESetup(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	start := strings.Index(readme, "\n## Using it in a module\n")
	if start < 0 {
		t.Fatal(`README: no "## Using it in a module" section`)
	}
	section := readme[start+1:]
	if end := regexp.MustCompile(`\n##+ `).FindStringIndex(section[3:]); end != nil {
		section = section[:end[0]+3]
	}
	var shell []string
	blocks := map[string][]string{}
	for _, m := range regexp.MustCompile("(?s)```(\\w+)\n(.*?)```").FindAllStringSubmatch(section, -1) {
		blocks[m[1]] = append(blocks[m[1]], m[2])
		if m[1] == "sh" {
			for _, line := range strings.Split(strings.TrimSpace(m[2]), "\n") {
				shell = append(shell, strings.TrimSpace(line))
			}
		}
	}
	var routed []string
	for _, cmds := range readmeRoutes {
		routed = append(routed, cmds...)
	}
	for _, cmd := range shell {
		if !slices.Contains(routed, cmd) {
			t.Errorf("README set-up shows %q, which no script runs", cmd)
		}
	}
	for _, cmd := range routed {
		if !slices.Contains(shell, cmd) {
			t.Errorf("a script runs %q, which the README set-up does not show", cmd)
		}
	}

	var toolMain string
	for _, name := range []string{"readme_setup_tool.txtar", "readme_setup_go_run.txtar"} {
		ar, err := txtar.ParseFile("testdata/script/" + name)
		if err != nil {
			t.Fatal(err)
		}
		var execs []string
		for _, line := range strings.Split(string(ar.Comment), "\n") {
			if cmd, ok := strings.CutPrefix(strings.TrimSpace(line), "exec "); ok {
				execs = append(execs, cmd)
			}
		}
		want := readmeRoutes[name]
		i := 0
		for _, cmd := range execs {
			if i < len(want) && cmd == want[i] {
				i++
			}
		}
		if i < len(want) {
			t.Errorf("%s: does not run %q (after %q) as the README says", name, want[i], want[:i])
		}
		files := map[string]string{}
		for _, f := range ar.Files {
			files[f.Name] = string(f.Data)
		}
		if !slices.Contains(blocks["sql"], files["schema.sql"]) {
			t.Errorf("%s: schema.sql is not the README's:\n%s", name, files["schema.sql"])
		}
		main := files["main.go"]
		if name == "readme_setup_tool.txtar" {
			toolMain = main
			if !slices.Contains(blocks["go"], main) {
				t.Errorf("%s: main.go is not the README's:\n%s", name, main)
			}
			continue
		}
		first, rest, _ := strings.Cut(main, "\n")
		_, toolRest, _ := strings.Cut(toolMain, "\n")
		if !slices.Contains(blocks["go"], first+"\n") || rest != toolRest {
			t.Errorf("%s: main.go is not the README's with the README's go run line:\n%s", name, main)
		}
	}
}
