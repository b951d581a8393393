package admin

import (
	"context"
	"encoding/base64"
	"io/fs"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestBrowserEdit drives the page's editing in headless Chromium as a
// person would: the page is read-only until the token is entered; then a
// row is edited, a constraint error shows at its field, a row with every
// kind of column is created (NULL, DEFAULT, a checkbox, a date, JSON that
// is checked as it is typed, an uploaded BLOB, downloaded again), a row is
// deleted, and a database's pending migrations are read, planned and run.
func TestBrowserEdit(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("no %s: install Debian's chromium package (.ci/run does) to run the browser test", chromiumPath)
	}
	// journal has five migrations applied; the project has a sixth, and
	// plans a seventh when asked.
	folder := migrationsFolder(t, 6)
	m := openManagerIn(t, journalFile(t), servedAsFile())
	var planned []PlanRequest
	h := NewHandler(m, Options{
		Token: testToken,
		Migrations: func(db string) fs.FS {
			if db == "journal" {
				return os.DirFS(folder)
			}
			return nil
		},
		Planner: func(_ context.Context, req PlanRequest) (PlanResult, error) {
			planned = append(planned, req)
			addMigration(t, folder, "20260107000000_add_weather.sql", "ALTER TABLE entries ADD COLUMN weather TEXT;\n")
			return PlanResult{Migrations: []PlannedMigration{{Database: "journal", Version: "20260107000000",
				Files: []string{"gen/journal/migrations/20260107000000_add_weather.sql"}}}}, nil
		},
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	page := startBrowser(t)
	artifacts := artifactDir(t)
	record := func(path string) map[string]any {
		t.Helper()
		r := do(t, h, request{path: "/api/v1/db/" + path})
		rec, _ := r.body["record"].(map[string]any)
		if rec == nil {
			t.Fatalf("GET %s: %d %s", path, r.status, r.raw)
		}
		return rec
	}

	// Read-only until the token is entered.
	page.navigate(srv.URL + "/admin/#db=accounts&table=users&sort=id")
	page.waitFor(`document.querySelectorAll("#rows tbody tr").length === 50`, "the users")
	page.expectText("#mode", "read-only")
	page.waitFor(`document.querySelector("#read-only-note")?.textContent.startsWith("Read-only until you enter the server's token")`, "the note")
	page.expectCount("#rows button.edit", 0)
	page.set("#token", testToken)
	page.click("#unlock")
	page.waitFor(`document.querySelectorAll("#rows button.edit").length === 50`, "an Edit button on each row")
	page.expectText("#mode", "editing")

	// Edit a row.
	page.click(`#rows tr[data-key="5"] button.edit`)
	page.waitFor(`document.querySelector("#editor")?.dataset.mode === "edit"`, "the form of row 5")
	var locked struct {
		ID, Domain bool
		LastLogin  string
		Avatar     string
	}
	page.eval(`({ID: document.querySelector('[data-col="id"] input').disabled,
		Domain: document.querySelector('[data-col="email_domain"] input').disabled,
		LastLogin: document.querySelector('[data-col="last_login_at"] input').type,
		Avatar: document.querySelector('[data-col="avatar"] input').type})`, &locked)
	if !locked.ID || !locked.Domain || locked.LastLogin != "datetime-local" || locked.Avatar != "file" {
		t.Errorf("form of users: %+v: want the key and the generated column read-only, a datetime input, a file input", locked)
	}
	page.set(`[data-col="display_name"] input`, "Five, renamed")
	page.click("#save")
	page.waitFor(`document.querySelector("#notice")?.textContent === "Saved row 5."`, "the saved notice")
	page.waitFor(`document.querySelector('#rows tr[data-key="5"]')?.children[3].textContent === "Five, renamed"`, "the new name in the table")
	if rec := record("accounts/tables/users/records/5"); rec["display_name"] != "Five, renamed" || rec["email"] != "user005@example.com" {
		t.Errorf("row 5 after the edit: %v", rec)
	}

	// A constraint error is shown at its field.
	page.click(`#rows tr[data-key="6"] button.edit`)
	page.waitFor(`document.querySelector("#editor h3")?.textContent === "Row 6 of users"`, "the form of row 6")
	page.set(`[data-col="email"] input`, "user001@example.com")
	page.click("#save")
	page.waitFor(`document.querySelector('[data-error-for="email"]')?.textContent === "already taken: it must be unique"`, "the unique error at email")
	page.screenshot(filepath.Join(artifacts, "admin-edit-error.png"))
	page.set(`[data-col="email"] input`, "user006@example.com")
	page.set(`[data-col="status"] input`, "zombie")
	page.click("#save")
	page.waitFor(`document.querySelector('[data-error-for="status"]')?.textContent.startsWith("fails the CHECK status IN")`, "the CHECK error at status")
	page.expectText(`[data-error-for="email"]`, "")
	page.click("#cancel")
	page.waitFor(`!document.querySelector("#editor")`, "the form closed")
	if rec := record("accounts/tables/users/records/6"); rec["status"] != "active" && rec["status"] != "suspended" && rec["status"] != "deleted" {
		t.Errorf("row 6 after refused edits: %v", rec)
	}

	// Delete a row: the first click asks.
	page.click(`#rows tr[data-key="7"] button.delete`)
	page.expectText(`#rows tr[data-key="7"] button.delete`, "Delete?")
	page.click(`#rows tr[data-key="7"] button.delete`)
	page.waitFor(`document.querySelector("#notice")?.textContent === "Deleted row 7."`, "the deleted notice")
	if r := do(t, h, request{path: "/api/v1/db/accounts/tables/users/records/7"}); r.status != 404 {
		t.Errorf("row 7 after delete: %d", r.status)
	}

	// A new row, with every kind of column.
	page.navigate(srv.URL + "/admin/#db=store&table=products&edit=new")
	page.waitFor(`document.querySelector("#editor")?.dataset.mode === "create"`, "the new product form")
	var kinds map[string]string
	page.eval(`Object.fromEntries([...document.querySelectorAll("#editor .field")].map(f => [f.dataset.col, f.dataset.kind]))`, &kinds)
	for col, want := range map[string]string{"id": "integer", "price": "number", "featured": "bool", "gift_wrap": "bool",
		"launch_on": "date", "created_at": "datetime", "attributes": "json", "image": "blob", "name": "text"} {
		if kinds[col] != want {
			t.Errorf("%s is edited as %q, want %q", col, kinds[col], want)
		}
	}
	var toggles map[string]bool
	page.eval(`({descNull: document.querySelector('[data-col="description"] .null-toggle').checked,
		idNext: document.querySelector('[data-col="id"] .default-toggle').checked,
		statusDefault: document.querySelector('[data-col="status"] .default-toggle').checked,
		nameNull: !!document.querySelector('[data-col="name"] .null-toggle')})`, &toggles)
	if !toggles["descNull"] || !toggles["idNext"] || !toggles["statusDefault"] || toggles["nameNull"] {
		t.Errorf("toggles of a new product: %v", toggles)
	}
	page.set(`[data-col="sku"] input`, "B-7")
	page.set(`[data-col="name"] input`, "Blueberry")
	page.click(`[data-col="featured"] input`)
	page.set(`[data-col="launch_on"] input`, "2026-03-01")
	page.set(`[data-col="weight_kg"] input`, "1.5")
	page.set(`[data-col="attributes"] textarea`, `{"color": "blue"`)
	page.waitFor(`document.querySelector('[data-error-for="attributes"]')?.textContent.startsWith("Want not valid JSON")`, "the JSON checked as typed")
	page.set(`[data-col="attributes"] textarea`, `{"color": "blue", "sizes": [1, 2]}`)
	page.expectText(`[data-error-for="attributes"]`, "")
	page.eval(`(() => { const dt = new DataTransfer(); dt.items.add(new File([new Uint8Array([0, 1, 2, 255])], "b.bin"));
		const i = document.querySelector('[data-col="image"] input'); i.files = dt.files; i.dispatchEvent(new Event("change")); })()`, nil)
	page.waitFor(`document.querySelector('[data-col="image"] .blob')?.textContent === "BLOB, 4 bytes: 00 01 02 FF"`, "the uploaded image")
	page.screenshot(filepath.Join(artifacts, "admin-edit-form.png"))
	page.click("#save")
	page.waitFor(`document.querySelector("#notice")?.textContent === "Created row 1."`, "the created notice")
	rec := record("store/tables/products/records/1")
	want := map[string]any{"sku": "B-7", "name": "Blueberry", "featured": true, "gift_wrap": nil, "description": nil,
		"status": "draft", "weight_kg": 1.5, "image": base64.StdEncoding.EncodeToString([]byte{0, 1, 2, 255}),
		"thumbnail": "", "stock": 0.0}
	for k, v := range want {
		if rec[k] != v {
			t.Errorf("new product %s = %#v, want %#v", k, rec[k], v)
		}
	}
	if rec["launch_on"] != "2026-03-01T00:00:00Z" {
		t.Errorf("launch_on = %v", rec["launch_on"])
	}
	if attrs, _ := rec["attributes"].(map[string]any); attrs["color"] != "blue" {
		t.Errorf("attributes = %v", rec["attributes"])
	}

	// Its BLOB downloads as the bytes uploaded; unchanged fields are not sent.
	page.navigate(srv.URL + "/admin/#db=store&table=products&edit=1")
	page.waitFor(`document.querySelector("#editor")?.dataset.mode === "edit"`, "the product's form")
	downloads := t.TempDir()
	page.allowDownloads(downloads)
	page.click(`[data-col="image"] a.download`)
	if got := waitForFile(t, filepath.Join(downloads, "image.bin")); string(got) != "\x00\x01\x02\xff" {
		t.Errorf("downloaded image.bin holds % x, want 00 01 02 ff", got)
	}
	page.click("#save")
	page.waitFor(`document.querySelector("#form-error")?.textContent === "Nothing changed."`, "nothing to save")
	page.click(`[data-col="image"] .null-toggle`)
	page.click("#save")
	page.waitFor(`document.querySelector("#notice")?.textContent === "Saved row 1."`, "the image set to NULL")
	if rec := record("store/tables/products/records/1"); rec["image"] != nil || rec["sku"] != "B-7" {
		t.Errorf("after NULL: %v", rec)
	}

	// A database's pending migration: what it does, then run it.
	page.navigate(srv.URL + "/admin/#db=journal")
	page.waitFor(`document.querySelectorAll("#pending .pending-migration").length === 1`, "journal's pending migration")
	page.expectText("#pending .pending-migration pre", "ALTER TABLE entries ADD COLUMN mood TEXT;\n")
	page.screenshot(filepath.Join(artifacts, "admin-migrations.png"))
	page.click("#run-migrations")
	page.waitFor(`document.querySelector("#notice")?.textContent.startsWith("Applied 1 migration: journal is at 20260106000000.")`, "the run notice")
	page.waitFor(`document.querySelectorAll("#migrations tbody tr").length === 6 && !document.querySelector("#pending")`, "six applied, none pending")

	// Plan the next one from the schema files, then run it.
	page.set("#plan-message", "add weather")
	page.click("#plan")
	page.waitFor(`document.querySelector("#notice")?.textContent === "Wrote gen/journal/migrations/20260107000000_add_weather.sql"`, "the plan notice")
	page.waitFor(`document.querySelector("#pending .pending-migration")?.dataset.version === "20260107000000"`, "the planned migration pending")
	if len(planned) != 1 || planned[0].Message != "add weather" || planned[0].Database != "journal" {
		t.Errorf("planner got %+v", planned)
	}
	page.click("#run-migrations")
	page.waitFor(`document.querySelectorAll("#migrations tbody tr").length === 7`, "seven applied")
	page.navigate(srv.URL + "/admin/")
	page.waitFor(`[...document.querySelectorAll(".card .migration")].some(e => e.textContent === "at 20260107000000 · 7 applied")`, "the card in step")
	page.screenshot(filepath.Join(artifacts, "admin-home.png"))

	// Lock: read-only again.
	page.navigate(srv.URL + "/admin/#db=accounts&table=users")
	page.waitFor(`document.querySelectorAll("#rows button.edit").length === 50`, "the users, editable")
	page.click("#lock")
	page.waitFor(`document.querySelectorAll("#rows button.edit").length === 0 && !!document.querySelector("#read-only-note")`, "read-only again")
	t.Logf("screenshots in %s", artifacts)
}

// waitForFile returns the contents of path once a download has written
// it, for up to 10s.
func waitForFile(t *testing.T, path string) []byte {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if data, err := os.ReadFile(path); err == nil {
			return data
		}
	}
	t.Fatalf("no %s within 10s", path)
	return nil
}
