package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dbgen-dev/dbgen/gen"
	dbrt "github.com/dbgen-dev/dbgen/runtime"
)

// TestServeProcess builds dbgen, serves a data folder from a real process
// on a free loopback port, uses the API as a client would, and stops the
// process with SIGINT.
func TestServeProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds dbgen and starts it")
	}
	data := t.TempDir()
	seedDataDir(t, data)
	bin := filepath.Join(t.TempDir(), "dbgen")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	const token = "e2e-token"
	cmd := exec.Command(bin, "serve", "--dir", data, "--addr", "127.0.0.1:0", "--token-env", "E2E_TOKEN")
	cmd.Env = append(os.Environ(), "E2E_TOKEN="+token)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
		}
	})

	// Port 0: the process tells where it listens.
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			line <- sc.Text()
		}
		io.Copy(io.Discard, stdout)
	}()
	var base string
	select {
	case l := <-line:
		m := regexp.MustCompile(`^serving 2 databases on (http://127\.0\.0\.1:\d+) \(token required for writes\)$`).FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("first line %q", l)
		}
		base = m[1]
	case err := <-exited:
		t.Fatalf("dbgen serve exited: %v\n%s", err, stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatal("dbgen serve printed nothing within 30s")
	}

	c := &client{t: t, base: base + "/api/v1/db", token: token, http: &http.Client{Timeout: 10 * time.Second}}
	deadline := time.Now().Add(10 * time.Second)
	for c.do("GET", "/is-ready", nil, nil) != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("not ready within 10s")
		}
		time.Sleep(50 * time.Millisecond)
	}

	// Create, read, list (the new user among them), update, delete.
	var rec struct {
		Key    string         `json:"key"`
		Record map[string]any `json:"record"`
	}
	user := map[string]any{"organization_id": 1, "email": "new@example.com", "display_name": "New", "status": "active"}
	if s := c.do("POST", "/accounts/tables/users/records", user, &rec); s != http.StatusCreated || rec.Key == "" {
		t.Fatalf("create: %d %+v", s, rec)
	}
	key := rec.Key
	if s := c.do("GET", "/accounts/tables/users/records/"+key, nil, &rec); s != http.StatusOK || rec.Record["email"] != "new@example.com" {
		t.Fatalf("read: %d %+v", s, rec)
	}
	var ids []float64
	next := "/accounts/tables/users?status=active&sort=-id&page_size=4&cursor="
	for next != "" {
		var page struct {
			Records []map[string]any `json:"records"`
		}
		res := c.get(next, &page)
		for _, r := range page.Records {
			ids = append(ids, r["id"].(float64))
		}
		next = ""
		if m := regexp.MustCompile(`<([^>]+)>; rel="next"`).FindStringSubmatch(res.Header.Get("Link")); m != nil {
			next = strings.TrimPrefix(m[1], "/api/v1/db")
		}
	}
	if want := []float64{13, 11, 9, 7, 5, 3, 1}; fmt.Sprint(ids) != fmt.Sprint(want) {
		t.Errorf("active users by id, descending, over cursor pages: %v, want %v", ids, want)
	}
	if s := c.do("PATCH", "/accounts/tables/users/records/"+key, map[string]any{"display_name": "Renamed"}, &rec); s != http.StatusOK || rec.Record["display_name"] != "Renamed" {
		t.Fatalf("update: %d %+v", s, rec)
	}
	if s := c.do("DELETE", "/accounts/tables/users/records/"+key, nil, nil); s != http.StatusNoContent {
		t.Fatalf("delete: %d", s)
	}
	if s := c.do("GET", "/accounts/tables/users/records/"+key, nil, nil); s != http.StatusNotFound {
		t.Fatalf("read after delete: %d", s)
	}

	// A file dbgen made: its migration history shows, read-only.
	var mig struct {
		Migrations bool             `json:"migrations"`
		Current    string           `json:"current"`
		Applied    []map[string]any `json:"applied"`
	}
	if s := c.do("GET", "/accounts/migrations/status", nil, &mig); s != http.StatusOK || mig.Migrations || mig.Current == "" || len(mig.Applied) != 1 {
		t.Fatalf("migrations status: %d %+v", s, mig)
	}
	// A plain SQLite file is served too.
	if s := c.do("GET", "/plain/tables/events?what__startswith=boot", nil, nil); s != http.StatusOK {
		t.Fatalf("plain file: %d", s)
	}
	c.token = ""
	if s := c.do("DELETE", "/accounts/tables/users/records/1", nil, nil); s != http.StatusUnauthorized {
		t.Fatalf("delete without token: %d", s)
	}

	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("dbgen serve exited with %v after SIGINT\n%s", err, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("dbgen serve still running 15s after SIGINT")
	}
	if stderr.Len() > 0 {
		t.Errorf("stderr:\n%s", stderr.String())
	}
}

// seedDataDir writes accounts.db as the example application makes it
// (migrations applied) and plain.db as any other program would.
func seedDataDir(t *testing.T, dir string) {
	ctx := context.Background()
	var accounts *dbrt.Definition
	for _, d := range gen.Registry() {
		if d.Name == "accounts" {
			accounts = d
		}
	}
	db, err := dbrt.Open(ctx, dir, accounts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Create(ctx, "organizations", map[string]any{"id": 1, "slug": "acme", "name": "Acme"}); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 12; i++ {
		status := "suspended"
		if i%2 == 1 {
			status = "active"
		}
		_, err := db.Create(ctx, "users", map[string]any{
			"id": i, "organization_id": 1, "email": fmt.Sprintf("u%d@example.com", i), "display_name": fmt.Sprint("U", i), "status": status,
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	plain, err := dbrt.Open(ctx, dir, &dbrt.Definition{Name: "plain", DDL: `CREATE TABLE events (at TEXT, what TEXT)`,
		Tables: []dbrt.Table{{Name: "events", Columns: []dbrt.Column{{Name: "at"}, {Name: "what"}}, PrimaryKey: []string{"rowid"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plain.Create(ctx, "events", map[string]any{"at": "now", "what": "boot"}); err != nil {
		t.Fatal(err)
	}
	if err := plain.Close(); err != nil {
		t.Fatal(err)
	}
}

// client is the smallest API client: JSON in, JSON out, bearer token.
type client struct {
	t     *testing.T
	base  string
	token string
	http  *http.Client
}

func (c *client) do(method, path string, body, out any) int {
	c.t.Helper()
	res := c.send(method, path, body)
	defer res.Body.Close()
	if out != nil {
		if err := json.NewDecoder(res.Body).Decode(out); err != nil && res.StatusCode < 300 {
			c.t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return res.StatusCode
}

func (c *client) get(path string, out any) *http.Response {
	c.t.Helper()
	res := c.send("GET", path, nil)
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		c.t.Fatalf("GET %s: %s", path, res.Status)
	}
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		c.t.Fatal(err)
	}
	return res
}

func (c *client) send(method, path string, body any) *http.Response {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, c.base+path, r)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	return res
}
