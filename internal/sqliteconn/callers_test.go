package sqliteconn

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEveryConnectionOpensHere: code of dbgen (not its tests) that opens
// SQLite another way gets neither the limits nor the crash recovery.
func TestEveryConnectionOpensHere(t *testing.T) {
	root := filepath.Join("..", "..")
	opener := regexp.MustCompile(`\bdriver\.Open\(|\bsql\.Open\("sqlite3"|\bsqlite3\.Open(Flags|Context)?\(|\.OpenConnector\(`)
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "testdata", "gen", ".git", "sqliteconn":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(src), "\n") {
			if opener.MatchString(line) {
				t.Errorf("%s:%d: opens SQLite without sqliteconn.Open: %s", path, i+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
