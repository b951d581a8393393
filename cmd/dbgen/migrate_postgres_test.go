package main

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMigrateURLNoAnswer: a server that accepts the connection and never
// answers is an error after the URL's connect_timeout, for each migrate
// command that takes --url, never a hang; the password is not shown.
func TestMigrateURLNoAnswer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // held open, silent
		}
	}()
	root := t.TempDir()
	files := map[string]string{
		"go.mod":     "module example.com/app\n\ngo 1.26\n",
		"dbgen.yaml": "targets: [sqlite, postgres]\n",
		"schema.sql": "-- DATABASE_NAME: app\nCREATE TABLE docs (id INTEGER PRIMARY KEY);\n",
		// Not read before the server answers.
		"gen/app/migrations/postgres/atlas.sum": "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",
	}
	for name, data := range files {
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	url := "postgres://u:secret@" + ln.Addr().String() + "/db?connect_timeout=1&sslmode=disable"
	for _, args := range [][]string{
		{"migrate", "up", "--url", url},
		{"migrate", "status", "--url", url},
		{"migrate", "down", "--url", url, "--db", "app", "--to", "base"},
		{"migrate", "baseline", "--dir", url, "--db", "app", "--to", "20260101000000"},
	} {
		var stdout, stderr bytes.Buffer
		start := time.Now()
		code := run(append([]string{"--root", root}, args...), &stdout, &stderr)
		took := time.Since(start)
		if code != exitInput {
			t.Errorf("%s: exit %d, want %d", args[1], code, exitInput)
		}
		msg := stderr.String()
		if !strings.Contains(msg, "no answer from 127.0.0.1:") || !strings.Contains(msg, "within 1s") || strings.Contains(msg, "secret") {
			t.Errorf("%s: stderr %q", args[1], msg)
		}
		if took > 8*time.Second {
			t.Errorf("%s took %v, want about the connect timeout of 1s", args[1], took)
		}
	}
}
