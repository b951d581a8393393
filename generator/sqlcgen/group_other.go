//go:build !unix

package sqlcgen

import "os/exec"

// ownGroup keeps exec's default: a cancelled context kills the child.
func ownGroup(*exec.Cmd) {}

// processAlive cannot tell here; true keeps every folder.
func processAlive(int) bool { return true }
