package admin

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestBlobRoundTrip: a BLOB column's JSON form (base64) goes back to the
// same bytes, through GET, PATCH and GET again, and through POST: two
// bytes, no bytes (not NULL), NULL, every byte value, and text that an
// older PATCH left in a BLOB column ('AP8=', the base64 of x'00FF'), whose
// bytes are kept rather than read as base64.
func TestBlobRoundTrip(t *testing.T) {
	ctx := context.Background()
	m := openManager(t)
	h := NewHandler(m, Options{Token: testToken})
	store, err := m.DB("store")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Create(ctx, "products", map[string]any{"id": 1, "sku": "A1", "name": "Apple"}); err != nil {
		t.Fatal(err)
	}
	every := make([]byte, 256)
	for i := range every {
		every[i] = byte(i)
	}
	stored := func(id int) (typ, hexed string) {
		t.Helper()
		err := store.Reader().QueryRowContext(ctx, `SELECT typeof(image), hex(image) FROM products WHERE id = ?`, id).Scan(&typ, &hexed)
		if err != nil {
			t.Fatal(err)
		}
		return typ, hexed
	}
	image := func(r response) any {
		t.Helper()
		rec, _ := r.body["record"].(map[string]any)
		if rec == nil {
			t.Fatalf("%d %s", r.status, r.raw)
		}
		return rec["image"]
	}
	for i, c := range []struct {
		name  string
		value any // as bound by SQL
		typ   string
	}{
		{"two bytes", []byte{0x00, 0xFF}, "blob"},
		{"empty", []byte{}, "blob"},
		{"NULL", nil, "null"},
		{"every byte", every, "blob"},
		{"text in a BLOB column", "AP8=", "blob"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := store.Writer().ExecContext(ctx, `UPDATE products SET image = ? WHERE id = 1`, c.value); err != nil {
				t.Fatal(err)
			}
			_, want := stored(1)
			r := do(t, h, request{path: "/api/v1/db/store/tables/products/records/1"})
			got := image(r)
			r = do(t, h, request{method: "PATCH", path: "/api/v1/db/store/tables/products/records/1", token: testToken,
				body: map[string]any{"image": got}})
			if again := image(r); again != got {
				t.Errorf("PATCH answers %v, want %v", again, got)
			}
			if again := image(do(t, h, request{path: "/api/v1/db/store/tables/products/records/1"})); again != got {
				t.Errorf("GET after PATCH: %v, want %v", again, got)
			}
			if typ, hexed := stored(1); typ != c.typ || hexed != want {
				t.Errorf("after GET, PATCH: %s x'%s', want %s x'%s'", typ, hexed, c.typ, want)
			}

			id := 100 + i
			r = do(t, h, request{method: "POST", path: "/api/v1/db/store/tables/products/records", token: testToken,
				body: map[string]any{"id": id, "sku": fmt.Sprint("B", i), "name": "Banana", "image": got}})
			if r.status != 201 || image(r) != got {
				t.Fatalf("POST: %d %s", r.status, r.raw)
			}
			if typ, hexed := stored(id); typ != c.typ || hexed != want {
				t.Errorf("after POST: %s x'%s', want %s x'%s'", typ, hexed, c.typ, want)
			}
		})
	}

	// The empty BLOB of a NOT NULL column stays one, and a BLOB of a
	// composite-keyed table round-trips too.
	r := do(t, h, request{path: "/api/v1/db/store/tables/products/records/1"})
	thumb := r.body["record"].(map[string]any)["thumbnail"]
	if thumb != "" {
		t.Errorf("thumbnail (x'' by default) reads %v, want \"\"", thumb)
	}
	do(t, h, request{method: "PATCH", path: "/api/v1/db/store/tables/products/records/1", token: testToken, body: map[string]any{"thumbnail": thumb}})
	var typ string
	var n int
	if err := store.Reader().QueryRowContext(ctx, `SELECT typeof(thumbnail), length(thumbnail) FROM products WHERE id = 1`).Scan(&typ, &n); err != nil || typ != "blob" || n != 0 {
		t.Errorf("thumbnail after PATCH: %s of %d bytes, %v; want an empty blob", typ, n, err)
	}
	r = do(t, h, request{path: "/api/v1/db/accounts/tables/api_tokens/records/7,ci~2Fdeploy"})
	hash := r.body["record"].(map[string]any)["hash"]
	r = do(t, h, request{method: "PATCH", path: "/api/v1/db/accounts/tables/api_tokens/records/7,ci~2Fdeploy", token: testToken,
		body: map[string]any{"hash": hash}})
	accounts, _ := m.DB("accounts")
	var hexed string
	if err := accounts.Reader().QueryRowContext(ctx, `SELECT typeof(hash) || ' ' || hex(hash) FROM api_tokens WHERE user_id = 7 AND name = 'ci/deploy'`).Scan(&hexed); err != nil {
		t.Fatal(err)
	}
	if want := "blob " + strings.ToUpper(hex.EncodeToString([]byte("ci/deploy"))); r.status != 200 || hexed != want {
		t.Errorf("api_tokens.hash after GET, PATCH: %d, %s, want %s", r.status, hexed, want)
	}
}

// TestPageShowsBlobs runs the page's value formatting (static/format.js)
// in Node: a BLOB, which the API writes as base64, shows as binary, its
// size and its first bytes in hex, never as the base64 text.
func TestPageShowsBlobs(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("no node on PATH: the browser test covers the page where chromium is installed")
	}
	script := `
const vm = require("vm"), fs = require("fs");
const ctx = { atob };
vm.createContext(ctx);
vm.runInContext(fs.readFileSync(process.argv[1], "utf8"), ctx);
console.log(JSON.stringify(JSON.parse(process.argv[2]).map((v) => ctx.blobText(v))));`
	long := make([]byte, 20)
	for i := range long {
		long[i] = byte(0xA0 + i)
	}
	in := []string{"AP8=", "", "AA==", "3q2+7w==", base64.StdEncoding.EncodeToString(long), "not base64!", "AP8"}
	want := []any{
		"BLOB, 2 bytes: 00 FF",
		"BLOB, 0 bytes",
		"BLOB, 1 byte: 00",
		"BLOB, 4 bytes: DE AD BE EF",
		"BLOB, 20 bytes: A0 A1 A2 A3 A4 A5 A6 A7 A8 A9 AA AB AC AD AE AF …",
		nil, // not base64: shown as it is
		nil,
	}
	args, _ := json.Marshal(in)
	out, err := exec.Command(node, "-e", script, filepath.Join("static", "format.js"), string(args)).CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var got []any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("blobText (-want +got):\n%s", diff)
	}
	page, err := os.ReadFile(filepath.Join("static", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), `<script src="format.js" defer></script>`) {
		t.Error("index.html does not load format.js")
	}
}
