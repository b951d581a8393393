package admin

import (
	"bufio"
	"context"
	"encoding/base64"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const chromiumPath = "/usr/bin/chromium"

// TestBrowser drives the admin page in headless Chromium as a person would:
// pick a table, sort by a header, add a filter, change the page size, page
// on, open the schema; and checks what the page shows at each step.
// Screenshots go to $DBGEN_ARTIFACTS, else to the test's artifact directory
// (kept with go test -artifacts).
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("no %s: install Debian's chromium package (.ci/run does) to run the browser test", chromiumPath)
	}
	m := openManager(t)
	h := NewHandler(m, Options{})
	srv := httptest.NewServer(h)
	defer srv.Close()
	page := startBrowser(t)
	artifacts := artifactDir(t)

	tables := int(do(t, h, request{path: "/api/v1/db/tables"}).body["table_count"].(float64))
	page.navigate(srv.URL + "/admin/")
	page.waitFor(fmt.Sprintf(`document.querySelectorAll("#nav a[data-table]").length === %d`, tables), "the tables of every database in the menu")
	page.waitFor(`document.querySelector("#main h1")?.textContent === "Databases"`, "the overview")
	// A card says what the database's migrations page says.
	page.expectText(".card:first-child .migration", "at 20261125183324 · 1 applied")
	page.expectText("#mode", "read-only server")

	// Pick a table.
	page.click(`#nav a[data-table="accounts.users"]`)
	page.waitFor(`document.querySelectorAll("#rows tbody tr").length === 50`, "the first 50 users")
	page.expectText("#page-info", "Page 1 of 3 · rows 1–50 of 120")
	// Without a token the page is read-only, and says so.
	page.waitFor(`document.querySelector("#read-only-note")?.textContent.startsWith("This server is read-only")`, "the read-only note")
	page.expectCount("#rows button.edit, #new-row", 0)

	// Sort: a click sorts ascending, a second one descending.
	page.click(`#rows th[data-col="id"]`)
	page.waitFor(`document.querySelector('#rows th[data-col="id"]').getAttribute("aria-sort") === "ascending"`, "ascending sort")
	page.click(`#rows th[data-col="id"]`)
	page.waitFor(`document.querySelector("#rows tbody tr")?.dataset.key === "120"`, "users sorted by id, descending")

	// Filter.
	page.eval(`(() => {
		document.querySelector("#f-col").value = "status";
		document.querySelector("#f-op").value = "exact";
		document.querySelector("#f-val").value = "active";
		document.querySelector("#f-add").click();
	})()`, nil)
	page.waitFor(`document.querySelector("#page-info")?.textContent.endsWith("of 40")`, "40 active users")
	var statuses []string
	page.eval(`[...document.querySelectorAll("#rows tbody tr")].map(tr => tr.children[4].textContent)`, &statuses)
	for _, s := range statuses {
		if s != "active" {
			t.Fatalf("filtered rows show status %q", s)
		}
	}
	page.expectText(".chip", "status exact active×")

	// Page size, then the next page.
	page.eval(`(() => { const s = document.querySelector("#page-size"); s.value = "25"; s.dispatchEvent(new Event("change")); })()`, nil)
	page.waitFor(`document.querySelectorAll("#rows tbody tr").length === 25`, "25 rows a page")
	page.screenshot(filepath.Join(artifacts, "admin-rows.png"))
	page.click("#next")
	page.waitFor(`document.querySelector("#page-info")?.textContent.startsWith("Page 2 of 2")`, "page 2")
	page.expectText("#page-info", "Page 2 of 2 · rows 26–40 of 40")
	var firstKey string
	page.eval(`document.querySelector("#rows tbody tr").dataset.key`, &firstKey)
	if firstKey != "45" { // active users are the multiples of 3; page 2 starts at the 26th from 120
		t.Errorf("page 2 starts at id %s, want 45", firstKey)
	}
	var hash string
	page.eval(`location.hash`, &hash)
	if want := "#db=accounts&table=users&sort=-id&page=2&size=25&f=status__exact%3Dactive"; hash != want {
		t.Errorf("location.hash = %q, want %q", hash, want)
	}

	// The schema view.
	page.click("#tab-schema")
	page.waitFor(`document.querySelectorAll("#columns tbody tr").length === 9`, "the nine columns of users")
	page.expectText("#foreign-keys tbody tr", "organization_idorganizations (id)CASCADE")
	page.screenshot(filepath.Join(artifacts, "admin-schema.png"))

	// A deep link shows its state at once.
	page.navigate(srv.URL + "/admin/#db=framework&table=logs&sort=-id&page=2&size=25&f=level__exact%3Derror")
	page.waitFor(`document.querySelector("#page-info")?.textContent === "Page 2 of 3 · rows 26–50 of 75"`, "the deep-linked page")
	page.eval(`document.querySelector("#rows tbody tr").dataset.key`, &firstKey)
	if firstKey != "199" {
		t.Errorf("deep link: first row %s, want 199", firstKey)
	}

	// A database: its migrations.
	page.click(`#nav h2 a[href="#db=billing"]`)
	page.waitFor(`document.querySelectorAll("#migrations tbody tr").length === 1`, "billing's migration")
	page.expectText("#migrations tbody tr td:nth-child(3)", "applied")
	page.screenshot(filepath.Join(artifacts, "admin-database.png"))

	// A BLOB shows as binary, not as the base64 of its JSON form.
	page.navigate(srv.URL + "/admin/#db=accounts&table=api_tokens&sort=name")
	page.waitFor(`document.querySelectorAll("#rows tbody tr").length === 5`, "the five API tokens")
	page.expectText("#rows tbody tr td:nth-child(3)", "BLOB, 3 bytes: 61 2C 62")

	// An error is shown, not thrown.
	page.navigate(srv.URL + "/admin/#db=accounts&table=users&sort=nope")
	page.waitFor(`document.querySelector(".error")?.textContent.startsWith("COLUMN_NOT_FOUND")`, "the API's error")
	t.Logf("screenshots in %s", artifacts)
}

// artifactDir is where screenshots go: $DBGEN_ARTIFACTS, else the test's
// artifact directory (kept with go test -artifacts).
func artifactDir(t *testing.T) string {
	if dir := os.Getenv("DBGEN_ARTIFACTS"); dir != "" {
		return dir
	}
	return t.ArtifactDir()
}

// browserPage is one tab of a headless Chromium.
type browserPage struct {
	t *testing.T
	c *cdp
}

func startBrowser(t *testing.T) *browserPage {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, chromiumPath,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "--user-data-dir="+t.TempDir(), "--remote-debugging-port=0",
		"--window-size=1280,800", "about:blank")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		cancel()
		t.Skipf("cannot start chromium: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
	})
	wsURL := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if _, url, ok := strings.Cut(sc.Text(), "DevTools listening on "); ok {
				wsURL <- strings.TrimSpace(url)
			}
		}
	}()
	var url string
	select {
	case url = <-wsURL:
	case <-time.After(30 * time.Second):
		t.Fatal("chromium did not print its DevTools address within 30s")
	}
	ws, err := dialWebSocket(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	c := &cdp{ws: ws}
	var target struct {
		TargetID string `json:"targetId"`
	}
	if err := c.call("Target.createTarget", map[string]any{"url": "about:blank"}, &target); err != nil {
		t.Fatal(err)
	}
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	if err := c.call("Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &attached); err != nil {
		t.Fatal(err)
	}
	c.session = attached.SessionID
	if err := c.call("Emulation.setDeviceMetricsOverride",
		map[string]any{"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": false}, nil); err != nil {
		t.Fatal(err)
	}
	return &browserPage{t: t, c: c}
}

func (p *browserPage) navigate(url string) {
	p.t.Helper()
	if err := p.c.call("Page.navigate", map[string]any{"url": url}, nil); err != nil {
		p.t.Fatal(err)
	}
}

// allowDownloads saves what the page downloads in dir, under the names
// the page gives.
func (p *browserPage) allowDownloads(dir string) {
	p.t.Helper()
	session := p.c.session
	p.c.session = "" // a command of the browser, not of the page
	err := p.c.call("Browser.setDownloadBehavior", map[string]any{"behavior": "allow", "downloadPath": dir}, nil)
	p.c.session = session
	if err != nil {
		p.t.Fatal(err)
	}
}

func (p *browserPage) eval(expr string, out any) {
	p.t.Helper()
	if err := p.c.eval(expr, out); err != nil {
		p.t.Fatal(err)
	}
}

// waitFor polls a JavaScript condition until it holds, for up to 10s.
func (p *browserPage) waitFor(cond, what string) {
	p.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var ok bool
		err := p.c.eval("Boolean("+cond+")", &ok)
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			var main string
			_ = p.c.eval(`document.querySelector("#main")?.innerText.slice(0, 600)`, &main)
			p.t.Fatalf("waiting for %s: %v; the page shows:\n%s", what, err, main)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (p *browserPage) click(selector string) {
	p.t.Helper()
	var found bool
	p.eval(fmt.Sprintf(`(() => { const e = document.querySelector(%q); if (e) e.click(); return !!e; })()`, selector), &found)
	if !found {
		p.t.Fatalf("no element %s to click", selector)
	}
}

func (p *browserPage) expectCount(selector string, want int) {
	p.t.Helper()
	var got int
	p.eval(fmt.Sprintf(`document.querySelectorAll(%q).length`, selector), &got)
	if got != want {
		p.t.Errorf("%d elements match %s, want %d", got, selector, want)
	}
}

// set types value into an input, as a person would: the input events fire.
func (p *browserPage) set(selector, value string) {
	p.t.Helper()
	var found bool
	p.eval(fmt.Sprintf(`(() => { const e = document.querySelector(%q); if (!e) return false;
		e.value = %q; e.dispatchEvent(new Event("input", {bubbles: true})); e.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`,
		selector, value), &found)
	if !found {
		p.t.Fatalf("no input %s", selector)
	}
}

func (p *browserPage) expectText(selector, want string) {
	p.t.Helper()
	var got string
	p.eval(fmt.Sprintf(`document.querySelector(%q)?.textContent ?? ""`, selector), &got)
	if got != want {
		p.t.Errorf("%s shows %q, want %q", selector, got, want)
	}
}

func (p *browserPage) screenshot(path string) {
	p.t.Helper()
	// The whole page, not just the window: the pager sits below the fold.
	var layout struct {
		Content struct {
			Width  float64 `json:"width"`
			Height float64 `json:"height"`
		} `json:"cssContentSize"`
	}
	if err := p.c.call("Page.getLayoutMetrics", map[string]any{}, &layout); err != nil {
		p.t.Fatal(err)
	}
	var shot struct {
		Data string `json:"data"`
	}
	clip := map[string]any{"x": 0, "y": 0, "width": layout.Content.Width, "height": layout.Content.Height, "scale": 1}
	if err := p.c.call("Page.captureScreenshot",
		map[string]any{"format": "png", "clip": clip, "captureBeyondViewport": true}, &shot); err != nil {
		p.t.Fatal(err)
	}
	data, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil {
		p.t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		p.t.Fatal(err)
	}
}
