//go:build !(linux && (amd64 || arm64))

package quietinit

// Restore does nothing on this platform: fd 2 was never silenced.
func Restore() {}
