package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ncruces/go-sqlite3/driver"

	"github.com/dbgen-dev/dbgen/gen"
	dbrt "github.com/dbgen-dev/dbgen/runtime"
)

// TestServeReadOnly runs dbgen serve without a token over a copy of real
// files: the example application's, with rows (accounts.db copied with its
// WAL, as a crash or a hot copy leaves it), and a plain SQLite file in
// rollback-journal mode. It drives every GET route of the OpenAPI document
// with ordinary requests and with the injection corpus, stops the process,
// and checks that every file is byte for byte what it was. SQLite may add
// the -shm index beside a WAL file, and an empty -wal where there was
// none; nothing else may appear.
func TestServeReadOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("builds dbgen and starts it")
	}
	data := t.TempDir()
	walFiles := seedReadOnlyData(t, data)
	before := hashDir(t, data)

	bin := filepath.Join(t.TempDir(), "dbgen")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	srv := startServe(t, bin, "serve", "--dir", data, "--addr", "127.0.0.1:0")
	if !strings.HasSuffix(srv.banner, "(read-only)") {
		t.Fatalf("first line %q, want a read-only server", srv.banner)
	}
	d := &prober{t: t, base: srv.base, http: &http.Client{Timeout: 20 * time.Second}}

	// Every GET route, from the document that lists them.
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if s := d.get("/api/v1/db/openapi.json", &doc); s != http.StatusOK {
		t.Fatalf("openapi.json: %d", s)
	}
	var gets []string
	for path, ops := range doc.Paths {
		if _, ok := ops["get"]; ok {
			gets = append(gets, path)
		}
	}
	slices.Sort(gets)
	if len(gets) < 9 {
		t.Fatalf("GET routes %v: want at least 9", gets)
	}

	// The names there are, and a key of each table's first rows.
	var dbs struct {
		Databases []struct{ Name string } `json:"databases"`
	}
	d.get("/api/v1/db/databases", &dbs)
	type table struct{ db, name, key string }
	var tables []table
	for _, db := range dbs.Databases {
		var ts struct {
			Tables []struct{ Name string } `json:"tables"`
		}
		d.get("/api/v1/db/"+db.Name+"/tables", &ts)
		for _, tb := range ts.Tables {
			var page struct {
				Columns []string `json:"columns"`
				Keys    []string `json:"keys"`
			}
			path := "/api/v1/db/" + db.Name + "/tables/" + url.PathEscape(tb.Name)
			d.get(path, &page)
			key := "1"
			if len(page.Keys) > 0 && page.Keys[0] != "" {
				key = page.Keys[0]
			}
			tables = append(tables, table{db.Name, tb.Name, key})
			// Sorted and filtered reads on every column: what makes SQLite
			// want to analyse (PRAGMA optimize) a file it may write.
			for _, c := range page.Columns {
				d.get(path+"?"+url.Values{"sort": {"-" + c}, c + "__notnull": {"1"}}.Encode(), nil)
				d.get(path+"?"+url.Values{"sort": {c}, "cursor": {""}}.Encode(), nil)
			}
		}
	}
	if len(tables) < 15 {
		t.Fatalf("only %d tables served", len(tables))
	}

	fill := func(route string, tb table, param, value string) string {
		r := strings.NewReplacer("{db}", url.PathEscape(tb.db), "{table}", url.PathEscape(tb.name), "{key}", tb.key)
		if param != "" {
			route = strings.ReplaceAll(route, "{"+param+"}", "\x00")
			return strings.ReplaceAll(r.Replace(route), "\x00", value)
		}
		return r.Replace(route)
	}
	payloads := injectionCorpus(t)
	targets := []table{tables[0]}
	for _, tb := range tables {
		if tb.name == "users" || tb.name == "api_tokens" || tb.name == "active_users" || tb.name == "events" {
			targets = append(targets, tb)
		}
	}
	for _, route := range gets {
		for _, tb := range tables {
			d.get(fill(route, tb, "", ""), nil)
		}
		for _, tb := range targets {
			for _, p := range payloads {
				for _, param := range []string{"db", "table", "key"} {
					if strings.Contains(route, "{"+param+"}") {
						d.get(fill(route, tb, param, url.PathEscape(p)), nil)
					}
				}
				path := fill(route, tb, "", "")
				for _, q := range []url.Values{
					{p: {"1"}}, {"email": {p}}, {"id__in": {"1," + p}}, {"email__" + p: {"x"}},
					{"sort": {p}}, {"sort": {"-" + p}}, {"cursor": {p}}, {"page": {p}}, {"page_size": {p}},
				} {
					d.get(path+"?"+q.Encode(), nil)
				}
				// As the query string itself: ';' and '%' unescaped, which
				// url.ParseQuery refuses.
				if !strings.ContainsFunc(p, func(r rune) bool { return r <= ' ' || r == '#' || r > '~' }) {
					d.get(path+"?"+p, nil)
				}
			}
		}
	}
	t.Logf("%d requests to %d GET routes over %d tables", d.n, len(gets), len(tables))

	srv.stop(t)
	after := hashDir(t, data)
	for name, sum := range before {
		if after[name] != sum {
			t.Errorf("%s changed: the read-only server wrote it", name)
		}
	}
	var created []string
	for name, sum := range after {
		if _, had := before[name]; had {
			continue
		}
		created = append(created, name)
		db, ext, _ := strings.Cut(name, ".db-")
		switch {
		case walFiles[db+".db"] && ext == "shm":
		case walFiles[db+".db"] && ext == "wal" && sum == fmt.Sprintf("%x", sha256.Sum256(nil)):
		default:
			t.Errorf("%s was created", name)
		}
	}
	slices.Sort(created)
	t.Logf("every file as it was; SQLite added %v", created)
}

// seedReadOnlyData writes the example application's files with rows into
// dir, as the application makes them, and plain.db as another program
// would. accounts.db is copied while still open, with its WAL; the others
// after a clean close. It reports which files are in WAL mode.
func seedReadOnlyData(t *testing.T, dir string) map[string]bool {
	ctx := context.Background()
	app := t.TempDir()
	m, err := dbrt.OpenManager(ctx, app, gen.Registry())
	if err != nil {
		t.Fatal(err)
	}
	rows := []struct {
		db, table string
		rec       map[string]any
	}{
		{"accounts", "organizations", map[string]any{"id": 1, "slug": "acme", "name": "Acme"}},
		{"framework", "modules", map[string]any{"name": "billing", "version": "1.0.0"}},
		{"framework", "settings", map[string]any{"module": "billing", "key": "tax rate", "value": `{"rate":0.2}`}},
		{"billing", "plans", map[string]any{"code": "pro", "name": "Pro", "price_cents": 900, "interval": "month"}},
		{"billing", "subscriptions", map[string]any{"account_id": 1, "plan_code": "pro"}},
		{"billing", "invoices", map[string]any{"subscription_id": 1, "number": "INV-1", "amount_cents": 900}},
		{"content", "articles", map[string]any{"slug": "hello", "title": "Hello", "body": "a few words here", "author_id": 1, "published": true}},
		{"content", "tags", map[string]any{"name": "news"}},
		{"content", "article_tags", map[string]any{"article_id": 1, "tag_id": 1}},
		{"store", "products", map[string]any{"sku": "A1", "name": "Apple", "image": []byte{0, 0xff}, "attributes": `{"colour":"red"}`}},
		{"store", "price_points", map[string]any{"product_id": 1, "currency": "EUR", "amount": 1.5}},
		{"store", "stock_movements", map[string]any{"product_id": 1, "delta": 5}},
	}
	for i := 1; i <= 40; i++ {
		rows = append(rows,
			struct {
				db, table string
				rec       map[string]any
			}{"accounts", "users", map[string]any{"organization_id": 1, "email": fmt.Sprintf("u%d@example.com", i),
				"display_name": fmt.Sprint("U", i), "status": []string{"active", "suspended"}[i%2], "avatar": []byte{byte(i), 0}}},
			struct {
				db, table string
				rec       map[string]any
			}{"framework", "logs", map[string]any{"level": "info", "module": "billing", "message": fmt.Sprint("message ", i)}},
		)
	}
	rows = append(rows, struct {
		db, table string
		rec       map[string]any
	}{"accounts", "api_tokens", map[string]any{"user_id": 7, "name": "ci/deploy", "hash": []byte{1, 2, 3}}})
	for _, r := range rows {
		db, err := m.DB(r.db)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Create(ctx, r.table, r.rec); err != nil {
			t.Fatalf("seed %s.%s: %v", r.db, r.table, err)
		}
	}
	copyFile(t, filepath.Join(app, "accounts.db"), filepath.Join(dir, "accounts.db"))
	copyFile(t, filepath.Join(app, "accounts.db-wal"), filepath.Join(dir, "accounts.db-wal"))
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	wal := map[string]bool{"accounts.db": true}
	for _, name := range []string{"billing.db", "content.db", "framework.db", "store.db"} {
		copyFile(t, filepath.Join(app, name), filepath.Join(dir, name))
		wal[name] = true
	}

	plain, err := driver.Open("file:" + filepath.ToSlash(filepath.Join(dir, "plain.db")) + "?_pragma=journal_mode(DELETE)")
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if _, err := plain.Exec(`CREATE TABLE events (at TEXT, what TEXT, payload BLOB);
		CREATE INDEX events_by_what ON events (what);
		INSERT INTO events VALUES ('now', 'boot', x'00FF'), ('later', 'stop', NULL)`); err != nil {
		t.Fatal(err)
	}
	return wal
}

// injectionCorpus is runtime/admin's, in its testdata.
func injectionCorpus(t *testing.T) []string {
	data, err := os.ReadFile(filepath.Join("..", "..", "runtime", "admin", "testdata", "injection.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Payloads []json.RawMessage `json:"payloads"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, raw := range doc.Payloads {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			var rep struct {
				Repeat string `json:"repeat"`
				Times  int    `json:"times"`
			}
			if err := json.Unmarshal(raw, &rep); err != nil {
				t.Fatal(err)
			}
			s = strings.Repeat(rep.Repeat, rep.Times)
		}
		out = append(out, s)
	}
	if len(out) < 10 {
		t.Fatalf("injection corpus has %d payloads", len(out))
	}
	return out
}

func hashDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = fmt.Sprintf("%x", sha256.Sum256(data))
	}
	return out
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// served is a running dbgen serve process.
type served struct {
	cmd    *exec.Cmd
	base   string // http://127.0.0.1:port
	banner string // its first line
	exited chan error
	stderr *bytes.Buffer
}

// startServe starts bin with args (which listen on port 0) and waits for
// the line that tells where it listens.
func startServe(t *testing.T, bin string, args ...string) *served {
	t.Helper()
	s := &served{cmd: exec.Command(bin, args...), exited: make(chan error, 1), stderr: &bytes.Buffer{}}
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s.cmd.Stderr = s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.exited <- s.cmd.Wait() }()
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			_ = s.cmd.Process.Kill()
		}
	})
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			line <- sc.Text()
		}
		io.Copy(io.Discard, stdout)
	}()
	select {
	case s.banner = <-line:
	case err := <-s.exited:
		t.Fatalf("dbgen serve exited: %v\n%s", err, s.stderr)
	case <-time.After(30 * time.Second):
		t.Fatal("dbgen serve printed nothing within 30s")
	}
	m := regexp.MustCompile(`on (http://127\.0\.0\.1:\d+) `).FindStringSubmatch(s.banner)
	if m == nil {
		t.Fatalf("first line %q", s.banner)
	}
	s.base = m[1]
	return s
}

// stop ends the process with SIGINT, as a person at the terminal would,
// and expects a clean exit with nothing on stderr.
func (s *served) stop(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-s.exited:
		if err != nil {
			t.Fatalf("dbgen serve exited with %v after SIGINT\n%s", err, s.stderr)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("dbgen serve still running 15s after SIGINT")
	}
	if s.stderr.Len() > 0 {
		t.Errorf("stderr:\n%s", s.stderr)
	}
}

// prober sends GET requests and checks each answer: never a 5xx, and any
// error in the envelope.
type prober struct {
	t    *testing.T
	base string
	http *http.Client
	n    int
	bad  int
}

func (d *prober) get(path string, out any) int {
	d.t.Helper()
	d.n++
	res, err := d.http.Get(d.base + path)
	if err != nil {
		d.t.Fatalf("GET %.200s: %v", path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		d.t.Fatal(err)
	}
	var env struct {
		Error *struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	switch {
	case res.StatusCode >= 500:
		d.fail("GET %.200s: %d %.300s", path, res.StatusCode, body)
	case res.StatusCode >= 400 && (json.Unmarshal(body, &env) != nil || env.Error == nil || env.Error.Code == ""):
		d.fail("GET %.200s: %d without the error envelope: %.300s", path, res.StatusCode, body)
	case res.StatusCode == http.StatusOK && out != nil:
		if err := json.Unmarshal(body, out); err != nil {
			d.t.Fatalf("GET %.200s: %v", path, err)
		}
	}
	return res.StatusCode
}

// fail reports the first failures and counts the rest.
func (d *prober) fail(format string, args ...any) {
	d.t.Helper()
	if d.bad++; d.bad <= 20 {
		d.t.Errorf(format, args...)
	}
}
