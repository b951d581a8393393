//go:build !unix

package userfile

// openFlags: outside Unix there are no FIFOs in the file system to block on.
const openFlags = 0
