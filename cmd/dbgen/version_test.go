package main

import (
	"runtime/debug"
	"testing"
)

func TestBuildVersion(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	tests := []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"no build info", nil, "(devel)"},
		{"a checkout built without VCS stamping", &debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "(devel)"}}, "(devel)"},
		{"go install at a release", &debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "v1.4.0"}}, "v1.4.0"},
		{"a checkout with VCS stamping", &debug.BuildInfo{
			Main:     debug.Module{Path: modulePath, Version: "v0.0.0-20261201220220-8c077e2c3220+dirty"},
			Settings: vcs("8c077e2c3220cb1cd2094551e72d4b330f658fd6", "true"),
		}, "v0.0.0-20261201220220-8c077e2c3220+dirty (revision 8c077e2c3220, modified)"},
		{"a clean tree", &debug.BuildInfo{
			Main:     debug.Module{Path: modulePath, Version: "v1.4.1-0.20261201220220-8c077e2c3220"},
			Settings: vcs("8c077e2c3220cb1cd2094551e72d4b330f658fd6", "false"),
		}, "v1.4.1-0.20261201220220-8c077e2c3220 (revision 8c077e2c3220)"},
		{"go tool through a replace by a folder", &debug.BuildInfo{
			Main: debug.Module{Path: modulePath, Version: "v0.0.0-00010101000000-000000000000", Replace: &debug.Module{Path: "../dbgen", Version: ""}},
		}, "(devel)"},
		{"a replace by another version", &debug.BuildInfo{
			Main: debug.Module{Path: modulePath, Version: "v1.0.0", Replace: &debug.Module{Path: "example.com/fork/dbgen", Version: "v1.0.1"}},
		}, "v1.0.1"},
		{"linked into another main module", &debug.BuildInfo{
			Main: debug.Module{Path: "example.com/app", Version: "(devel)"},
			Deps: []*debug.Module{{Path: "github.com/spf13/cobra", Version: "v1.10.2"}, {Path: modulePath, Version: "v1.2.3"}},
		}, "v1.2.3"},
	}
	for _, tt := range tests {
		if got := buildVersion(tt.bi); got != tt.want {
			t.Errorf("%s: buildVersion = %q, want %q", tt.name, got, tt.want)
		}
	}
}
