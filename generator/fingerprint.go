package generator

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/dbgen-dev/dbgen/generator/userfile"
	"github.com/dbgen-dev/dbgen/templates"
)

// stampFile is where the fingerprint of the dbgen build that last wrote an
// output folder is kept: in the user's cache, not in the folder, since the
// folder is committed and must not change with the build that writes it.
func stampFile(outDir string) string {
	cache, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	sum := sha256.Sum256([]byte(outDir))
	return filepath.Join(cache, "dbgen", "stamps", hex.EncodeToString(sum[:12]))
}

// readStamp returns the fingerprint recorded for outDir, "" when none: then
// every database is regenerated, which is always correct.
func readStamp(outDir string) string {
	name := stampFile(outDir)
	if name == "" {
		return ""
	}
	data, err := userfile.Read(name) // in the user's cache, which any program may fill
	if err != nil {
		return ""
	}
	return string(data)
}

// writeStamp records the fingerprint; failing to is harmless (the next run
// regenerates everything and writes nothing new).
func writeStamp(outDir, fingerprint string) {
	name := stampFile(outDir)
	if name == "" || os.MkdirAll(filepath.Dir(name), 0o755) != nil {
		return
	}
	os.WriteFile(name, []byte(fingerprint), 0o644)
}

// toolFingerprint identifies this build of dbgen: its module versions, the
// templates, and the executable's Go build ID, which changes whenever the
// code linked into it does (a development build has no version to tell).
func toolFingerprint() (string, error) {
	h := sha256.New()
	if bi, ok := debug.ReadBuildInfo(); ok {
		fmt.Fprintf(h, "%s %s %s\n", bi.Main.Path, bi.Main.Version, bi.GoVersion)
		for _, d := range bi.Deps {
			fmt.Fprintf(h, "%s %s %s\n", d.Path, d.Version, d.Sum)
		}
	}
	fmt.Fprintf(h, "%s\n", buildID())
	err := fs.WalkDir(templates.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(templates.FS(), name)
		h.Write([]byte(name))
		h.Write(data)
		return err
	})
	return hex.EncodeToString(h.Sum(nil)), err
}

// buildID reads the Go build ID the linker stores in every executable (an
// ELF note on Linux; a marked string near the start elsewhere) without
// reading the whole, large file.
func buildID() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	if f, err := elf.Open(exe); err == nil {
		defer f.Close()
		if sec := f.Section(".note.go.buildid"); sec != nil {
			if note, err := sec.Data(); err == nil && len(note) > 16 {
				// namesz, descsz, type, then "Go\x00\x00" and the ID.
				descsz := binary.LittleEndian.Uint32(note[4:8])
				if int(16+descsz) <= len(note) {
					return string(note[16 : 16+descsz])
				}
			}
		}
	}
	f, err := os.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	head := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, head)
	const marker = "Go build ID: \""
	if i := bytes.Index(head[:n], []byte(marker)); i >= 0 {
		id := head[i+len(marker) : n]
		if j := bytes.IndexByte(id, '"'); j >= 0 {
			return string(id[:j])
		}
	}
	return ""
}
