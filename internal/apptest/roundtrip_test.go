package apptest

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dbgen-dev/dbgen/gen/store"
	dbrt "github.com/dbgen-dev/dbgen/runtime"
	"github.com/dbgen-dev/dbgen/runtime/admin"
)

// The round trip: values of every declared type family of store's products
// table, NOT NULL and nullable, written through every write path of dbgen
// and read back through every read path. Equal means, per family:
//
//   - INTEGER, BOOLEAN, TEXT: the same Go value (text byte for byte).
//   - REAL, NUMERIC: the same float64 (==; ±Inf included for REAL). A NUMERIC
//     column may store an integral value as an INTEGER: read as a float64 it
//     is the same number.
//   - BLOB: the same bytes; in the nullable column nil (NULL) and empty (x'')
//     are different values. In the NOT NULL column nil means the empty BLOB.
//   - DATE: the calendar date the value was constructed with, where it was
//     constructed (2024-03-10 23:30 in New York is 2024-03-10), read back as
//     midnight UTC of that date.
//   - DATETIME/TIMESTAMP: the same instant (time.Time.Equal), to the
//     nanosecond, whatever zone it was written in.
//   - JSON/JSONB: the same JSON value once both texts are unmarshalled
//     (encoding/json into any, numbers as float64); in the nullable column
//     nil (SQL NULL) and the JSON null are different values, except through
//     the admin API, whose JSON form has one null for both: there a null in
//     the nullable column is SQL NULL, and in the NOT NULL one the JSON null.

// families, in the order the matrix shows them; the matrix adds "row" for
// a row a path did not write or did not find.
var families = []string{"INTEGER", "REAL", "NUMERIC", "TEXT", "BLOB", "BOOLEAN", "DATE", "DATETIME/TIMESTAMP", "JSON/JSONB"}

func familyLabel(f dbrt.Family) string {
	switch f {
	case dbrt.FamilyInteger:
		return "INTEGER"
	case dbrt.FamilyReal:
		return "REAL"
	case dbrt.FamilyNumeric:
		return "NUMERIC"
	case dbrt.FamilyText:
		return "TEXT"
	case dbrt.FamilyBlob:
		return "BLOB"
	case dbrt.FamilyBool:
		return "BOOLEAN"
	case dbrt.FamilyDate:
		return "DATE"
	case dbrt.FamilyDateTime:
		return "DATETIME/TIMESTAMP"
	case dbrt.FamilyJSON:
		return "JSON/JSONB"
	}
	return f.String()
}

// column is a column of products with what the test needs to know of it.
type column struct {
	name, field, family string
	fam                 dbrt.Family
	nullable            bool
}

var productTable = &store.Definition.Tables[0]

func productColumns() []column {
	var cols []column
	for _, c := range productTable.Columns {
		cols = append(cols, column{name: c.Name, field: c.GoField, family: familyLabel(c.Family()), fam: c.Family(), nullable: c.Nullable})
	}
	return cols
}

// TestProductsRoundTrip writes generated values through each write path and
// reads every row back through each read path, then checks the stored forms
// with the engine's own types and functions. Each difference is reported
// with the paths, the column, the value in and the value out; the matrices
// of write and read paths by family are logged at the end. It runs on both
// engines; on PostgreSQL a DATETIME is the same instant to the microsecond,
// what timestamptz keeps.
func TestProductsRoundTrip(t *testing.T) { onEngines(t, testProductsRoundTrip) }

func testProductsRoundTrip(t *testing.T, eng engine) {
	e := openStore(t, eng)
	values := newValueGen(t).products(24)

	rep := newReport()
	var rows []written
	for _, w := range writePaths() {
		rows = append(rows, e.writeAll(t, rep, w, values)...)
	}
	if len(rows) == 0 {
		t.Fatal("nothing was written")
	}
	for _, rd := range readPaths() {
		got := rd.read(t, e, rows)
		for _, r := range rows {
			back, ok := got[r.id]
			if !ok {
				rep.fail(r.path, rd.name, "*", "row", fmt.Sprintf("id %d (value set %d)", r.id, r.set), "not found")
				continue
			}
			compareRow(rep, eng, r, rd.name, back)
		}
	}
	for _, r := range rows {
		if r.returned != nil {
			compareRow(rep, eng, r, "returned by the write", *r.returned)
		}
	}
	if eng.pg() {
		checkStoredFormsPostgres(t, e, rep, rows)
	} else {
		checkStoredForms(t, e, rep, rows)
	}
	checkEqFilters(t, e, rep, rows)

	rep.emit(t)
}

// env is the store database under test, reachable every way an
// application reaches it.
type env struct {
	eng   engine
	ctx   context.Context
	db    *store.DB
	rt    *dbrt.DB
	admin http.Handler
	probe int // numbers the rows written while finding a refused value
}

const adminToken = "round-trip-token"

func openStore(t *testing.T, eng engine) *env {
	t.Helper()
	ctx := context.Background()
	m, err := dbrt.OpenManager(ctx, eng.dir(t, &store.Definition), dbrt.Registry{&store.Definition})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	rt, err := m.DB("store")
	if err != nil {
		t.Fatal(err)
	}
	return &env{eng: eng, ctx: ctx, db: store.Wrap(rt), rt: rt, admin: admin.NewHandler(m, admin.Options{Token: adminToken})}
}

// call sends one request to the admin API, as a client on loopback would.
func (e *env) call(method, path string, body any) (int, []byte, error) {
	var r *bytes.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		r = bytes.NewReader(data)
	} else {
		r = bytes.NewReader(nil)
	}
	req := httptest.NewRequest(method, "http://localhost"+path, r)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	e.admin.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes(), nil
}

const productsPath = "/api/v1/db/store/tables/products"

// ---- values ----

type valueGen struct {
	r     *rand.Rand
	zones []*time.Location
}

func newValueGen(t *testing.T) *valueGen {
	g := &valueGen{r: rand.New(rand.NewPCG(8, 2026))}
	g.zones = []*time.Location{
		time.UTC,
		time.FixedZone("UTC+9", 9*3600),
		time.FixedZone("UTC-11", -11*3600),
		time.FixedZone("UTC+05:45", 5*3600+45*60),
		time.FixedZone("UTC+14", 14*3600),
		time.FixedZone("UTC-00:30", -30*60),
	}
	for _, name := range []string{"America/New_York", "Asia/Tokyo", "Europe/Amsterdam", "Australia/Lord_Howe"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Logf("time zone %s not available: %v", name, err)
			continue
		}
		g.zones = append(g.zones, loc)
	}
	return g
}

func (g *valueGen) zone(name string) *time.Location {
	for _, z := range g.zones {
		if z.String() == name {
			return z
		}
	}
	return g.zones[1]
}

func (g *valueGen) pick(n int) int { return g.r.IntN(n) }

// at returns list[i], or a random value from more once i is past the list.
func at[T any](list []T, i int, more func() T) T {
	if i < len(list) {
		return list[i]
	}
	return more()
}

// backwards is list[len-1-i]: the nullable column walks the same values the
// other way, so that the pairs of a row differ.
func backwards[T any](list []T, i int, more func() T) T {
	if i < len(list) {
		return list[len(list)-1-i]
	}
	return more()
}

var texts = []string{
	"",
	"plain ascii",
	"漢字かな交じり文、中文，한국어",
	"emoji 👩‍👩‍👧‍👦 🚀 🇺🇳 e\u0301",
	"שלום עולם",
	"مرحبا بالعالم ١٢٣",
	"mixed \u202eRTL override\u202c and \u200f marks",
	`quotes ' " ` + "`" + ` \ % _ ;-- /*`,
	"line\nbreak\ttab\r\n",
	"2024-01-02 03:04:05",
	"2024-01-02T03:04:05Z",
	"12345",
	`{"json": true}`,
	"\u00a0 leading and trailing spaces ",
}

func (g *valueGen) text() string {
	runes := []rune("aé漢🚀ש م-_ ")
	var b strings.Builder
	for range 1 + g.pick(20) {
		b.WriteRune(runes[g.pick(len(runes))])
	}
	return b.String()
}

var integers = []int64{math.MinInt64, math.MaxInt64, 0, -1, 1, 1<<53 + 1, -(1 << 31)}

func (g *valueGen) integer() int64 { return g.r.Int64() - g.r.Int64() }

var reals = []float64{0, math.Copysign(0, -1), 1.5, -2.25, 0.1, math.MaxFloat64, -math.MaxFloat64,
	math.SmallestNonzeroFloat64, 1e-300, 123456789.123456789, math.Inf(1), math.Inf(-1), 1e18, 2.5e-7}

var numerics = []float64{0, 12.5, -0.01, 19.99, 1e18, 9.007199254740993e15, math.MaxFloat64,
	math.SmallestNonzeroFloat64, -123456.789, 1 << 62}

func (g *valueGen) float() float64 { return g.r.NormFloat64() * math.Pow(10, float64(g.pick(12)-4)) }

func (g *valueGen) dates() []time.Time {
	return []time.Time{
		time.Date(2024, 3, 10, 0, 0, 0, 0, g.zone("Asia/Tokyo")),
		time.Date(2024, 3, 10, 23, 30, 0, 0, g.zone("America/New_York")), // already 03-11 in UTC
		time.Date(1999, 12, 31, 0, 0, 0, 0, g.zone("UTC-11")),
		time.Date(2000, 2, 29, 12, 0, 0, 0, time.UTC),
		{}, // the zero time: 0001-01-01
		time.Date(9999, 12, 31, 23, 59, 0, 0, g.zone("UTC+14")),
		time.Date(1969, 7, 20, 20, 17, 0, 0, time.UTC),
		time.Date(2026, 1, 1, 0, 30, 0, 0, g.zone("UTC+05:45")), // still 2025-12-31 in UTC
		time.Date(1900, 1, 1, 0, 0, 0, 0, g.zone("Europe/Amsterdam")),
	}
}

func (g *valueGen) date() time.Time {
	z := g.zones[g.pick(len(g.zones))]
	return time.Date(1900+g.pick(300), time.Month(1+g.pick(12)), 1+g.pick(28), g.pick(24), g.pick(60), 0, 0, z)
}

func (g *valueGen) times() []time.Time {
	return []time.Time{
		{}, // the zero time
		time.Date(2024, 3, 10, 1, 2, 3, 123456789, g.zone("Asia/Tokyo")),
		time.Date(2024, 3, 10, 2, 30, 0, 0, g.zone("America/New_York")), // in the spring-forward gap
		time.Date(2024, 11, 3, 1, 30, 0, 1, g.zone("America/New_York")), // in the repeated hour
		time.Date(2024, 6, 1, 12, 0, 0, 500_000_000, g.zone("UTC+05:45")),
		time.Date(2024, 6, 1, 12, 0, 0, 100_000_000, g.zone("Australia/Lord_Howe")),
		time.Unix(0, 0).UTC(),
		time.Date(9999, 12, 31, 23, 59, 59, 999_999_999, time.UTC),
		time.Date(1900, 1, 1, 0, 0, 0, 0, g.zone("Europe/Amsterdam")), // offset +00:19:32
		time.Date(1969, 12, 31, 23, 59, 59, 999_999_999, g.zone("UTC-00:30")),
		time.Now(), // with a monotonic reading
	}
}

func (g *valueGen) time() time.Time {
	z := g.zones[g.pick(len(g.zones))]
	return time.Unix(g.r.Int64N(4_000_000_000)-1_000_000_000, g.r.Int64N(1e9)).In(z)
}

var jsons = []string{
	`{}`,
	`{"color":"red","sizes":[1,2,3],"nested":{"ok":true,"none":null}}`,
	`[]`,
	`[1,"two",{"three":3.5},[null]]`,
	`"a string 漢字 🚀"`,
	`0`,
	`-12.5`,
	`1e3`,
	`12345678901234567890`,
	`true`,
	`false`,
	`null`,
	` { "spaced" : [ 1 , 2 ] } `,
	`{"emoji":"👩‍👩‍👧‍👦","rtl":"שלום","esc":"\u00e9\n\"q\"","k漢":1}`,
	`"2024-01-02T03:04:05Z"`,
}

func (g *valueGen) json() string {
	m := map[string]any{}
	for range g.pick(4) {
		switch g.pick(4) {
		case 0:
			m[g.text()] = g.float()
		case 1:
			m[g.text()] = g.text()
		case 2:
			m[g.text()] = []any{g.pick(100) > 50, nil, g.integer() % 1000}
		default:
			m[g.text()] = map[string]any{"n": g.pick(1000)}
		}
	}
	data, _ := json.Marshal(m)
	return string(data)
}

var blobs = [][]byte{
	nil,
	{},
	{0x00},
	{0xFF},
	{0x00, 0xFF, 0x00, 0x80},
	[]byte("looks like text"),
	[]byte("2024-01-02T03:04:05Z"),
	[]byte(`{"a":1}`),
	[]byte("\xc3\x28 invalid utf-8"),
}

func (g *valueGen) blob() []byte {
	b := make([]byte, 1+g.pick(300))
	for i := range b {
		b[i] = byte(g.r.UintN(256))
	}
	return b
}

// products returns n value sets; the special values of each family come
// first, random ones after.
func (g *valueGen) products(n int) []store.Product {
	dates, times := g.dates(), g.times()
	statuses := []string{"draft", "live", "retired"}
	var out []store.Product
	for i := range n {
		var p store.Product
		p.Sku = "sku " + at(texts, i, g.text)
		p.Name = at(texts, i, g.text)
		if d := backwards(append([]*string{nil}, ptrs(texts)...), i, func() *string { s := g.text(); return &s }); d != nil {
			p.Description = sql.NullString{String: *d, Valid: true}
		}
		p.Status = statuses[i%3]
		p.Stock = at(integers, i, g.integer)
		p.ReorderLevel = nullInt(backwards(append([]*int64{nil}, ptrs(integers)...), i, func() *int64 { v := g.integer(); return &v }))
		p.Price = at(numerics, i, g.float)
		p.ListPrice = nullFloat(backwards(append([]*float64{nil}, ptrs(numerics)...), i, func() *float64 { v := g.float(); return &v }))
		p.Rating = at(reals, i, g.float)
		p.WeightKg = nullFloat(backwards(append([]*float64{nil}, ptrs(reals)...), i, func() *float64 { v := g.float(); return &v }))
		p.Featured = i%2 == 0
		switch i % 3 {
		case 1:
			p.GiftWrap = sql.NullBool{Bool: true, Valid: true}
		case 2:
			p.GiftWrap = sql.NullBool{Bool: false, Valid: true}
		}
		p.LaunchOn = at(dates, i, g.date)
		if d := backwards(append([]*time.Time{nil}, ptrs(dates)...), i, func() *time.Time { v := g.date(); return &v }); d != nil {
			p.DiscontinuedOn = sql.NullTime{Time: *d, Valid: true}
		}
		p.Attributes = dbrt.JSON(at(jsons, i, g.json))
		if j := backwards(append([]*string{nil}, ptrs(jsons)...), i, func() *string { s := g.json(); return &s }); j != nil {
			p.Dimensions = dbrt.JSON(*j)
		}
		p.Thumbnail = at(blobs, i, g.blob)
		p.Image = backwards(blobs, i, g.blob)
		p.CreatedAt = at(times, i, g.time)
		if u := backwards(append([]*time.Time{nil}, ptrs(times)...), i, func() *time.Time { v := g.time(); return &v }); u != nil {
			p.UpdatedAt = sql.NullTime{Time: *u, Valid: true}
		}
		out = append(out, p)
	}
	return out
}

func ptrs[T any](list []T) []*T {
	out := make([]*T, len(list))
	for i := range list {
		out[i] = &list[i]
	}
	return out
}

func nullInt(v *int64) sql.NullInt64 {
	if v == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: *v, Valid: true}
}

func nullFloat(v *float64) sql.NullFloat64 {
	if v == nil {
		return sql.NullFloat64{}
	}
	return sql.NullFloat64{Float64: *v, Valid: true}
}

// safeProduct holds a value every path writes, different from the
// generated ones: the placeholder an update overwrites, and what stands in
// for a value a path refuses while the rest of its row is checked.
func safeProduct(sku string) store.Product {
	return store.Product{
		Sku: sku, Name: "safe", Description: sql.NullString{String: "safe", Valid: true}, Status: "draft",
		Stock: 7, ReorderLevel: sql.NullInt64{Int64: 8, Valid: true}, Price: 3.5, ListPrice: sql.NullFloat64{Float64: 4.5, Valid: true},
		Rating: 1.25, WeightKg: sql.NullFloat64{Float64: 0.75, Valid: true}, Featured: true, GiftWrap: sql.NullBool{Bool: true, Valid: true},
		LaunchOn:       time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC),
		DiscontinuedOn: sql.NullTime{Time: time.Date(2021, 2, 3, 0, 0, 0, 0, time.UTC), Valid: true},
		Attributes:     dbrt.JSON(`{"safe":true}`), Dimensions: dbrt.JSON(`{"w":1}`),
		Thumbnail: []byte{1, 2}, Image: []byte{3, 4},
		CreatedAt: time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC),
		UpdatedAt: sql.NullTime{Time: time.Date(2020, 1, 2, 3, 4, 6, 0, time.UTC), Valid: true},
	}
}

func getField(p *store.Product, field string) reflect.Value {
	return reflect.ValueOf(p).Elem().FieldByName(field)
}

// ---- write paths ----

// writePath stores p and returns the row's id and, when the path returns
// the row as stored, that row.
type writePath struct {
	name string
	// admin: written in the admin API's JSON form (see the equality rules).
	admin bool
	// updatedNow: the path sets updated_at to CURRENT_TIMESTAMP itself.
	updatedNow bool
	write      func(e *env, p store.Product) (int64, *readBack, error)
	// many, when set, writes a whole batch in one call (bulk insert).
	many func(e *env, ps []store.Product) ([]int64, error)
}

// readBack is a row as a read path returns it; bad names the columns whose
// value came back in a form that is not its family's, and why.
type readBack struct {
	p   store.Product
	bad map[string]string
}

// written is a row the test wrote and what it expects to read back.
type written struct {
	path       string
	set        int // index of the value set
	id         int64
	want       store.Product
	admin      bool
	updatedNow bool
	window     [2]time.Time // when updatedNow: the row was written between these
	returned   *readBack
}

func typed(p store.Product, err error) (int64, *readBack, error) {
	if err != nil {
		return 0, nil, err
	}
	return p.ID, &readBack{p: p}, nil
}

func writePaths() []writePath {
	return []writePath{
		{name: "CreateProduct", write: func(e *env, p store.Product) (int64, *readBack, error) {
			return typed(e.db.CreateProduct(e.ctx, createParams(p)))
		}},
		{name: "UpdateProduct(Set)", write: func(e *env, p store.Product) (int64, *readBack, error) {
			ph, err := e.placeholder()
			if err != nil {
				return 0, nil, err
			}
			return typed(e.db.UpdateProduct(e.ctx, ph.ID, fullSet(p)))
		}},
		{name: "UpsertProduct(insert)", write: func(e *env, p store.Product) (int64, *readBack, error) {
			return typed(e.db.UpsertProduct(e.ctx, createParams(p)))
		}},
		{name: "UpsertProduct(update)", write: func(e *env, p store.Product) (int64, *readBack, error) {
			ph, err := e.placeholder()
			if err != nil {
				return 0, nil, err
			}
			params := createParams(p)
			params.ID = dbrt.Set(ph.ID)
			return typed(e.db.UpsertProduct(e.ctx, params))
		}},
		{name: "UpsertProductBySku(update)", write: func(e *env, p store.Product) (int64, *readBack, error) {
			ph := safeProduct(p.Sku)
			if _, err := e.db.CreateProduct(e.ctx, createParams(ph)); err != nil {
				return 0, nil, err
			}
			return typed(e.db.UpsertProductBySku(e.ctx, createParams(p)))
		}},
		{name: "CreateProducts(bulk)", many: func(e *env, ps []store.Product) ([]int64, error) {
			rows := make([]store.CreateProductParams, len(ps))
			for i, p := range ps {
				rows[i] = bulkParams(p)
			}
			return e.db.CreateProducts(e.ctx, rows)
		}},
		{name: "AddProduct(module)", write: func(e *env, p store.Product) (int64, *readBack, error) {
			return typed(e.db.AddProduct(e.ctx, addParams(p)))
		}},
		{name: "SetAttributes(module)", updatedNow: true, write: func(e *env, p store.Product) (int64, *readBack, error) {
			base := p
			base.Attributes = dbrt.JSON(`{"before":"SetAttributes"}`)
			row, err := e.db.CreateProduct(e.ctx, createParams(base))
			if err != nil {
				return 0, nil, fmt.Errorf("CreateProduct before SetAttributes: %w", err)
			}
			return typed(e.db.SetAttributes(e.ctx, store.SetAttributesParams{Attributes: p.Attributes, ID: row.ID}))
		}},
		{name: "Runtime.Create", write: func(e *env, p store.Product) (int64, *readBack, error) {
			rec, err := e.rt.Create(e.ctx, "products", goRecord(p))
			if err != nil {
				return 0, nil, err
			}
			back := productFromRecord(rec)
			return back.p.ID, &back, nil
		}},
		{name: "Runtime.Update", write: func(e *env, p store.Product) (int64, *readBack, error) {
			ph, err := e.placeholder()
			if err != nil {
				return 0, nil, err
			}
			rec, err := e.rt.Update(e.ctx, "products", map[string]any{"id": ph.ID}, goRecord(p))
			if err != nil {
				return 0, nil, err
			}
			back := productFromRecord(rec)
			return back.p.ID, &back, nil
		}},
		{name: "admin POST", admin: true, write: func(e *env, p store.Product) (int64, *readBack, error) {
			return e.adminWrite(http.MethodPost, productsPath+"/records", http.StatusCreated, adminBody(p))
		}},
		{name: "admin PATCH", admin: true, write: func(e *env, p store.Product) (int64, *readBack, error) {
			ph, err := e.placeholder()
			if err != nil {
				return 0, nil, err
			}
			return e.adminWrite(http.MethodPatch, productsPath+"/records/"+strconv.FormatInt(ph.ID, 10), http.StatusOK, adminBody(p))
		}},
	}
}

func (e *env) placeholder() (store.Product, error) {
	e.probe++
	return e.db.CreateProduct(e.ctx, createParams(safeProduct(fmt.Sprintf("placeholder %d", e.probe))))
}

// adminWrite sends a record body and reads the record the API answers with.
func (e *env) adminWrite(method, path string, status int, body map[string]any) (int64, *readBack, error) {
	code, data, err := e.call(method, path, body)
	if err != nil {
		return 0, nil, err
	}
	if code != status {
		return 0, nil, fmt.Errorf("%s %s: %d %s", method, path, code, data)
	}
	var resp struct {
		Key    string                     `json:"key"`
		Record map[string]json.RawMessage `json:"record"`
	}
	if err := json.Unmarshal(data, &resp); err != nil {
		return 0, nil, fmt.Errorf("%s %s: %v in %s", method, path, err, data)
	}
	back := productFromAdmin(resp.Record)
	if resp.Key != strconv.FormatInt(back.p.ID, 10) {
		return 0, nil, fmt.Errorf("%s %s: key %q for id %d", method, path, resp.Key, back.p.ID)
	}
	return back.p.ID, &back, nil
}

// writeAll writes every value set through w. Where w refuses a row, it
// finds the columns whose value w refuses on its own, reports each, and
// writes the row again with those columns holding safe values, so that the
// row's other values are still checked.
func (e *env) writeAll(t *testing.T, rep *report, w writePath, values []store.Product) []written {
	t.Helper()
	cols := productColumns()
	sku := func(p store.Product, i int) store.Product {
		p.Sku = fmt.Sprintf("%s %02d %s", w.name, i, p.Sku)
		return p
	}
	row := func(i int, p store.Product, id int64, back *readBack, start time.Time) written {
		return written{path: w.name, set: i, id: id, want: p, admin: w.admin, updatedNow: w.updatedNow,
			window: [2]time.Time{start, time.Now()}, returned: back}
	}
	if w.many != nil {
		batch := make([]store.Product, len(values))
		for i, p := range values {
			batch[i] = sku(p, i)
		}
		ids, err := w.many(e, batch)
		if err == nil {
			if len(ids) != len(batch) {
				t.Fatalf("%s: %d keys for %d rows", w.name, len(ids), len(batch))
			}
			var out []written
			for i, p := range batch {
				out = append(out, row(i, p, ids[i], nil, time.Time{}))
			}
			return out
		}
		rep.note(w.name, "the batch failed (%v); writing its rows one per call", err)
		single := w.many
		w.write = func(e *env, p store.Product) (int64, *readBack, error) {
			ids, err := single(e, []store.Product{p})
			if err != nil {
				return 0, nil, err
			}
			return ids[0], nil, nil
		}
	}
	var out []written
	for i, p := range values {
		p = sku(p, i)
		start := time.Now()
		id, back, err := w.write(e, p)
		if err != nil {
			fixed := p
			var culprits []string
			for _, c := range cols {
				if c.name == "id" {
					continue
				}
				e.probe++
				q := safeProduct(fmt.Sprintf("probe %d", e.probe))
				getField(&q, c.field).Set(getField(&p, c.field))
				if c.name == "sku" {
					q.Sku = fmt.Sprintf("%s probe %d", p.Sku, e.probe)
				}
				if _, _, perr := w.write(e, q); perr != nil {
					culprits = append(culprits, c.name)
					rep.fail(w.name, "(write refused)", c.name, c.family, describe(c, getField(&p, c.field).Interface()), perr.Error())
					safe := safeProduct("")
					getField(&fixed, c.field).Set(getField(&safe, c.field))
				}
			}
			if len(culprits) == 0 {
				rep.fail(w.name, "(write refused)", "*", "row", fmt.Sprintf("value set %d", i), err.Error())
				continue
			}
			if slices.Contains(culprits, "sku") {
				e.probe++
				fixed.Sku = fmt.Sprintf("%s fixed %d", w.name, e.probe)
			}
			p = fixed
			start = time.Now()
			if id, back, err = w.write(e, p); err != nil {
				rep.fail(w.name, "(write refused)", "*", "row", fmt.Sprintf("value set %d without %v", i, culprits), err.Error())
				continue
			}
		}
		out = append(out, row(i, p, id, back, start))
	}
	return out
}

func createParams(p store.Product) store.CreateProductParams {
	return store.CreateProductParams{
		Sku: p.Sku, Name: p.Name, Description: p.Description,
		Status: dbrt.Set(p.Status), Stock: dbrt.Set(p.Stock), ReorderLevel: p.ReorderLevel,
		Price: dbrt.Set(p.Price), ListPrice: p.ListPrice, Rating: dbrt.Set(p.Rating), WeightKg: p.WeightKg,
		Featured: dbrt.Set(p.Featured), GiftWrap: p.GiftWrap, LaunchOn: dbrt.Set(p.LaunchOn),
		DiscontinuedOn: p.DiscontinuedOn, Attributes: dbrt.Set(p.Attributes), Dimensions: p.Dimensions,
		Thumbnail: dbrt.Set(p.Thumbnail), Image: p.Image, CreatedAt: dbrt.Set(p.CreatedAt), UpdatedAt: p.UpdatedAt,
	}
}

// bulkParams leaves unset the dbrt.Opt fields whose value is the column's
// constant DEFAULT, as a caller would: the rows of one batch then write
// different sets of columns.
func bulkParams(p store.Product) store.CreateProductParams {
	c := createParams(p)
	if p.Status == "draft" {
		c.Status = dbrt.Unset[string]()
	}
	if p.Stock == 0 {
		c.Stock = dbrt.Unset[int64]()
	}
	if p.Price == 0 {
		c.Price = dbrt.Unset[float64]()
	}
	if p.Rating == 0 {
		c.Rating = dbrt.Unset[float64]()
	}
	if !p.Featured {
		c.Featured = dbrt.Unset[bool]()
	}
	if string(p.Attributes) == "{}" {
		c.Attributes = dbrt.Unset[dbrt.JSON]()
	}
	if len(p.Thumbnail) == 0 {
		c.Thumbnail = dbrt.Unset[[]byte]()
	}
	return c
}

func fullSet(p store.Product) store.ProductSet {
	return store.ProductSet{
		Sku: dbrt.Set(p.Sku), Name: dbrt.Set(p.Name), Description: dbrt.Set(p.Description),
		Status: dbrt.Set(p.Status), Stock: dbrt.Set(p.Stock), ReorderLevel: dbrt.Set(p.ReorderLevel),
		Price: dbrt.Set(p.Price), ListPrice: dbrt.Set(p.ListPrice), Rating: dbrt.Set(p.Rating), WeightKg: dbrt.Set(p.WeightKg),
		Featured: dbrt.Set(p.Featured), GiftWrap: dbrt.Set(p.GiftWrap), LaunchOn: dbrt.Set(p.LaunchOn),
		DiscontinuedOn: dbrt.Set(p.DiscontinuedOn), Attributes: dbrt.Set(p.Attributes), Dimensions: dbrt.Set(p.Dimensions),
		Thumbnail: dbrt.Set(p.Thumbnail), Image: dbrt.Set(p.Image), CreatedAt: dbrt.Set(p.CreatedAt), UpdatedAt: dbrt.Set(p.UpdatedAt),
	}
}

func addParams(p store.Product) store.AddProductParams {
	return store.AddProductParams{
		Sku: p.Sku, Name: p.Name, Description: p.Description, Status: p.Status, Stock: p.Stock,
		ReorderLevel: p.ReorderLevel, Price: p.Price, ListPrice: p.ListPrice, Rating: p.Rating, WeightKg: p.WeightKg,
		Featured: p.Featured, GiftWrap: p.GiftWrap, LaunchOn: p.LaunchOn, DiscontinuedOn: p.DiscontinuedOn,
		Attributes: p.Attributes, Dimensions: p.Dimensions, Thumbnail: p.Thumbnail, Image: p.Image,
		CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
	}
}

// goRecord is p as Go code hands it to generic CRUD: plain Go values, nil
// for NULL.
func goRecord(p store.Product) map[string]any {
	null := func(valid bool, v any) any {
		if !valid {
			return nil
		}
		return v
	}
	return map[string]any{
		"sku": p.Sku, "name": p.Name, "description": null(p.Description.Valid, p.Description.String),
		"status": p.Status, "stock": p.Stock, "reorder_level": null(p.ReorderLevel.Valid, p.ReorderLevel.Int64),
		"price": p.Price, "list_price": null(p.ListPrice.Valid, p.ListPrice.Float64),
		"rating": p.Rating, "weight_kg": null(p.WeightKg.Valid, p.WeightKg.Float64),
		"featured": p.Featured, "gift_wrap": null(p.GiftWrap.Valid, p.GiftWrap.Bool),
		"launch_on": p.LaunchOn, "discontinued_on": null(p.DiscontinuedOn.Valid, p.DiscontinuedOn.Time),
		"attributes": p.Attributes, "dimensions": null(p.Dimensions != nil, p.Dimensions),
		"thumbnail": p.Thumbnail, "image": null(p.Image != nil, p.Image),
		"created_at": p.CreatedAt, "updated_at": null(p.UpdatedAt.Valid, p.UpdatedAt.Time),
	}
}

// adminBody is p in the form the admin API returns records in: times as
// RFC 3339 in UTC (a DATE as midnight UTC of its date), BLOBs as base64,
// JSON columns as the JSON itself, the infinities as strings, NULL as null.
func adminBody(p store.Product) map[string]any {
	date := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
	float := func(f float64) any {
		switch {
		case math.IsInf(f, 1):
			return "Infinity"
		case math.IsInf(f, -1):
			return "-Infinity"
		}
		return f
	}
	null := func(valid bool, v any) any {
		if !valid {
			return nil
		}
		return v
	}
	rawJSON := func(j dbrt.JSON) any {
		if j == nil {
			return nil
		}
		return json.RawMessage(j)
	}
	// A NUMERIC column stores an integral value as an INTEGER, which the
	// API writes as one.
	numeric := func(f float64) any {
		if f == math.Trunc(f) && f >= math.MinInt64 && f < math.MaxInt64 {
			return int64(f)
		}
		return float(f)
	}
	thumb := p.Thumbnail
	if thumb == nil {
		thumb = []byte{}
	}
	return map[string]any{
		"sku": p.Sku, "name": p.Name, "description": null(p.Description.Valid, p.Description.String),
		"status": p.Status, "stock": p.Stock, "reorder_level": null(p.ReorderLevel.Valid, p.ReorderLevel.Int64),
		"price": numeric(p.Price), "list_price": null(p.ListPrice.Valid, numeric(p.ListPrice.Float64)),
		"rating": float(p.Rating), "weight_kg": null(p.WeightKg.Valid, float(p.WeightKg.Float64)),
		"featured": p.Featured, "gift_wrap": null(p.GiftWrap.Valid, p.GiftWrap.Bool),
		"launch_on": date(p.LaunchOn), "discontinued_on": null(p.DiscontinuedOn.Valid, date(p.DiscontinuedOn.Time)),
		"attributes": rawJSON(p.Attributes), "dimensions": rawJSON(p.Dimensions),
		"thumbnail": thumb, "image": null(p.Image != nil, p.Image),
		"created_at": p.CreatedAt.UTC(), "updated_at": null(p.UpdatedAt.Valid, p.UpdatedAt.Time.UTC()),
	}
}

// ---- read paths ----

type readPath struct {
	name string
	// admin: read in the admin API's JSON form (see the equality rules).
	admin bool
	read  func(t *testing.T, e *env, rows []written) map[int64]readBack
}

func ids(rows []written) []int64 {
	var out []int64
	for _, r := range rows {
		out = append(out, r.id)
	}
	return out
}

func readPaths() []readPath {
	return []readPath{
		{name: "GetProduct", read: func(t *testing.T, e *env, rows []written) map[int64]readBack {
			out := map[int64]readBack{}
			for _, r := range rows {
				p, err := e.db.GetProduct(e.ctx, r.id)
				if err != nil {
					t.Errorf("GetProduct(%d): %v", r.id, err)
					continue
				}
				out[r.id] = readBack{p: p}
			}
			return out
		}},
		{name: "GetProductBySku", read: func(t *testing.T, e *env, rows []written) map[int64]readBack {
			out := map[int64]readBack{}
			for _, r := range rows {
				p, err := e.db.GetProductBySku(e.ctx, r.want.Sku)
				if err != nil {
					t.Errorf("GetProductBySku(%q): %v", r.want.Sku, err)
					continue
				}
				if p.ID == r.id {
					out[r.id] = readBack{p: p}
				}
			}
			return out
		}},
		{name: "ListProducts", read: func(t *testing.T, e *env, rows []written) map[int64]readBack {
			out := map[int64]readBack{}
			for chunk := range slices.Chunk(ids(rows), 500) {
				page, err := e.db.ListProducts(e.ctx, store.ProductQuery().Where(store.ProductID.In(chunk...)).First(dbrt.MaxPageSize))
				if err != nil {
					t.Fatalf("ListProducts: %v", err)
				}
				for _, p := range page.Items {
					out[p.ID] = readBack{p: p}
				}
			}
			return out
		}},
		{name: "LaunchingOn(module)", read: func(t *testing.T, e *env, rows []written) map[int64]readBack {
			out := map[int64]readBack{}
			asked := map[string]bool{}
			for _, r := range rows {
				day := r.want.LaunchOn.Format(time.DateOnly)
				if asked[day] {
					continue
				}
				asked[day] = true
				ps, err := e.db.LaunchingOn(e.ctx, r.want.LaunchOn)
				if err != nil {
					t.Errorf("LaunchingOn(%s): %v", day, err)
					continue
				}
				for _, p := range ps {
					out[p.ID] = readBack{p: p}
				}
			}
			return out
		}},
		{name: "Runtime.Read", read: func(t *testing.T, e *env, rows []written) map[int64]readBack {
			out := map[int64]readBack{}
			for _, r := range rows {
				rec, err := e.rt.Read(e.ctx, "products", map[string]any{"id": r.id})
				if err != nil {
					t.Errorf("Runtime.Read(%d): %v", r.id, err)
					continue
				}
				out[r.id] = productFromRecord(rec)
			}
			return out
		}},
		{name: "Runtime.ListRecords", read: func(t *testing.T, e *env, rows []written) map[int64]readBack {
			out := map[int64]readBack{}
			for chunk := range slices.Chunk(ids(rows), 500) {
				var in []any
				for _, id := range chunk {
					in = append(in, id)
				}
				page, err := e.rt.ListRecords(e.ctx, "products", dbrt.ListRequest{
					Filters: []dbrt.Filter{{Column: "id", Op: "in", Value: in}}, PageSize: dbrt.MaxPageSize})
				if err != nil {
					t.Fatalf("ListRecords: %v", err)
				}
				for _, rec := range page.Records {
					back := productFromRecord(rec)
					out[back.p.ID] = back
				}
			}
			return out
		}},
		{name: "admin GET record", admin: true, read: func(t *testing.T, e *env, rows []written) map[int64]readBack {
			out := map[int64]readBack{}
			for _, r := range rows {
				code, data, _ := e.call(http.MethodGet, productsPath+"/records/"+strconv.FormatInt(r.id, 10), nil)
				var resp struct {
					Record map[string]json.RawMessage `json:"record"`
				}
				if code != http.StatusOK || json.Unmarshal(data, &resp) != nil {
					t.Errorf("admin GET record %d: %d %s", r.id, code, data)
					continue
				}
				out[r.id] = productFromAdmin(resp.Record)
			}
			return out
		}},
		{name: "admin GET rows", admin: true, read: func(t *testing.T, e *env, rows []written) map[int64]readBack {
			out := map[int64]readBack{}
			for chunk := range slices.Chunk(ids(rows), 400) {
				var in []string
				for _, id := range chunk {
					in = append(in, strconv.FormatInt(id, 10))
				}
				q := url.Values{"id__in": {strings.Join(in, ",")}, "page_size": {strconv.Itoa(dbrt.MaxPageSize)}, "sort": {"id"}}
				code, data, _ := e.call(http.MethodGet, productsPath+"?"+q.Encode(), nil)
				var resp struct {
					Records []map[string]json.RawMessage `json:"records"`
				}
				if code != http.StatusOK || json.Unmarshal(data, &resp) != nil {
					t.Fatalf("admin GET rows: %d %s", code, data)
				}
				for _, rec := range resp.Records {
					back := productFromAdmin(rec)
					out[back.p.ID] = back
				}
			}
			return out
		}},
	}
}

// productFromRecord reads a record of generic CRUD, strictly: each value
// must have the Go type its family's values have in records.
func productFromRecord(rec map[string]any) readBack {
	back := readBack{bad: map[string]string{}}
	for _, c := range productColumns() {
		v, ok := rec[c.name]
		if !ok {
			back.bad[c.name] = "missing from the record"
			continue
		}
		f := getField(&back.p, c.field)
		if v == nil {
			if !c.nullable {
				back.bad[c.name] = "NULL in a NOT NULL column"
			}
			continue // the zero value of a sql.Null*, a nil JSON or []byte
		}
		var val any
		switch c.fam {
		case dbrt.FamilyInteger:
			val, ok = v.(int64)
		case dbrt.FamilyReal:
			val, ok = v.(float64)
		case dbrt.FamilyNumeric:
			switch n := v.(type) {
			case int64:
				val, ok = float64(n), true
			case float64:
				val, ok = n, true
			default:
				ok = false
			}
		case dbrt.FamilyText:
			val, ok = v.(string)
		case dbrt.FamilyBlob:
			val, ok = v.([]byte)
		case dbrt.FamilyBool:
			val, ok = v.(bool)
		case dbrt.FamilyDate, dbrt.FamilyDateTime:
			val, ok = v.(time.Time)
		case dbrt.FamilyJSON:
			val, ok = v.(dbrt.JSON)
		}
		if !ok {
			back.bad[c.name] = fmt.Sprintf("%T %#v", v, v)
			continue
		}
		setValue(f, val)
	}
	return back
}

// setValue puts v into a model field, wrapping it in the field's sql.Null*.
func setValue(f reflect.Value, v any) {
	switch f.Interface().(type) {
	case sql.NullString:
		f.Set(reflect.ValueOf(sql.NullString{String: v.(string), Valid: true}))
	case sql.NullInt64:
		f.Set(reflect.ValueOf(sql.NullInt64{Int64: v.(int64), Valid: true}))
	case sql.NullFloat64:
		f.Set(reflect.ValueOf(sql.NullFloat64{Float64: v.(float64), Valid: true}))
	case sql.NullBool:
		f.Set(reflect.ValueOf(sql.NullBool{Bool: v.(bool), Valid: true}))
	case sql.NullTime:
		f.Set(reflect.ValueOf(sql.NullTime{Time: v.(time.Time), Valid: true}))
	default:
		f.Set(reflect.ValueOf(v).Convert(f.Type()))
	}
}

// productFromAdmin reads a record of the admin API's JSON, strictly, as a
// client that knows the column types would.
func productFromAdmin(rec map[string]json.RawMessage) readBack {
	back := readBack{bad: map[string]string{}}
	for _, c := range productColumns() {
		raw, ok := rec[c.name]
		if !ok {
			back.bad[c.name] = "missing from the record"
			continue
		}
		f := getField(&back.p, c.field)
		if string(raw) == "null" {
			switch {
			case c.fam == dbrt.FamilyJSON && !c.nullable:
				f.Set(reflect.ValueOf(dbrt.JSON("null")))
			case !c.nullable:
				back.bad[c.name] = "null in a NOT NULL column"
			}
			continue
		}
		val, err := adminValue(c, raw)
		if err != nil {
			back.bad[c.name] = fmt.Sprintf("%s: %v", raw, err)
			continue
		}
		setValue(f, val)
	}
	return back
}

func adminValue(c column, raw json.RawMessage) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	switch c.fam {
	case dbrt.FamilyInteger:
		if n, ok := v.(json.Number); ok {
			return n.Int64()
		}
	case dbrt.FamilyReal, dbrt.FamilyNumeric:
		switch n := v.(type) {
		case json.Number:
			return strconv.ParseFloat(n.String(), 64)
		case string:
			switch n {
			case "Infinity":
				return math.Inf(1), nil
			case "-Infinity":
				return math.Inf(-1), nil
			}
		}
	case dbrt.FamilyText:
		if s, ok := v.(string); ok {
			return s, nil
		}
	case dbrt.FamilyBool:
		if b, ok := v.(bool); ok {
			return b, nil
		}
	case dbrt.FamilyBlob:
		if s, ok := v.(string); ok {
			b, err := base64.StdEncoding.DecodeString(s)
			if b == nil {
				b = []byte{}
			}
			return b, err
		}
	case dbrt.FamilyDate, dbrt.FamilyDateTime:
		if s, ok := v.(string); ok {
			return time.Parse(time.RFC3339Nano, s)
		}
	case dbrt.FamilyJSON:
		return dbrt.JSON(bytes.Clone(raw)), nil
	}
	return nil, fmt.Errorf("not a %s value", c.family)
}

// ---- comparing ----

// compareRow checks every column of back against what r wrote.
func compareRow(rep *report, eng engine, r written, read string, back readBack) {
	if back.p.ID != r.id {
		rep.fail(r.path, read, "id", "id", strconv.FormatInt(r.id, 10), strconv.FormatInt(back.p.ID, 10))
	}
	want := r.want
	adminRead := strings.HasPrefix(read, "admin ") || (read == "returned by the write" && r.admin)
	if (r.admin || adminRead) && string(want.Dimensions) == "null" {
		want.Dimensions = nil // the admin form's one null: SQL NULL in a nullable column
	}
	for _, c := range productColumns() {
		if c.name == "id" {
			continue // checked above
		}
		if why, ok := back.bad[c.name]; ok {
			rep.fail(r.path, read, c.name, c.family, describe(c, getField(&want, c.field).Interface()), "unreadable: "+why)
			continue
		}
		w, g := getField(&want, c.field).Interface(), getField(&back.p, c.field).Interface()
		if c.name == "updated_at" && r.updatedNow {
			u := back.p.UpdatedAt
			lo, hi := r.window[0].Add(-time.Second).Truncate(time.Second), r.window[1].Add(time.Second)
			if !u.Valid || u.Time.Before(lo) || u.Time.After(hi) {
				rep.fail(r.path, read, c.name, c.family, "CURRENT_TIMESTAMP at "+r.window[0].UTC().Format(time.RFC3339), describe(c, g))
			}
			continue
		}
		if !equalValue(eng, c, w, g) {
			rep.fail(r.path, read, c.name, c.family, describe(c, w), describe(c, g))
		}
	}
}

// equalValue is the equality of the rules at the top of the file.
func equalValue(eng engine, c column, want, got any) bool {
	switch w := want.(type) {
	case float64:
		return w == got.(float64)
	case sql.NullFloat64:
		g := got.(sql.NullFloat64)
		return w.Valid == g.Valid && (!w.Valid || w.Float64 == g.Float64)
	case time.Time:
		return sameTime(eng, c.fam, w, got.(time.Time))
	case sql.NullTime:
		g := got.(sql.NullTime)
		return w.Valid == g.Valid && (!w.Valid || sameTime(eng, c.fam, w.Time, g.Time))
	case dbrt.JSON:
		g := got.(dbrt.JSON)
		if c.nullable && (w == nil) != (g == nil) {
			return false
		}
		return w == nil && g == nil || jsonEqual(w, g)
	case []byte:
		g := got.([]byte)
		if c.nullable && (w == nil) != (g == nil) {
			return false
		}
		return bytes.Equal(w, g)
	}
	return want == got
}

func sameTime(eng engine, f dbrt.Family, want, got time.Time) bool {
	if f == dbrt.FamilyDate {
		return got.Equal(time.Date(want.Year(), want.Month(), want.Day(), 0, 0, 0, 0, time.UTC))
	}
	if eng.pg() {
		// timestamptz keeps microseconds.
		return got.Sub(want).Abs() < time.Microsecond
	}
	return got.Equal(want)
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// describe writes a value of column c for a report.
func describe(c column, v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case sql.NullString:
		if !v.Valid {
			return "NULL"
		}
		return strconv.Quote(v.String)
	case sql.NullInt64:
		if !v.Valid {
			return "NULL"
		}
		return strconv.FormatInt(v.Int64, 10)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case sql.NullFloat64:
		if !v.Valid {
			return "NULL"
		}
		return strconv.FormatFloat(v.Float64, 'g', -1, 64)
	case sql.NullBool:
		if !v.Valid {
			return "NULL"
		}
		return strconv.FormatBool(v.Bool)
	case time.Time:
		if c.fam == dbrt.FamilyDate {
			return v.Format("2006-01-02 (15:04 MST -07:00)")
		}
		return v.Format("2006-01-02 15:04:05.999999999 MST -07:00:00")
	case sql.NullTime:
		if !v.Valid {
			return "NULL"
		}
		return describe(c, v.Time)
	case dbrt.JSON:
		if v == nil {
			return "NULL"
		}
		return "JSON " + string(v)
	case []byte:
		if v == nil {
			return "NULL (nil)"
		}
		if len(v) > 24 {
			return fmt.Sprintf("x'%X…' (%d bytes)", v[:24], len(v))
		}
		return fmt.Sprintf("x'%X'", v)
	}
	return fmt.Sprint(v)
}

// ---- stored forms ----

var (
	storedDateTime = regexp.MustCompile(`^'\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d*[1-9])?'$`)
	storedDate     = regexp.MustCompile(`^'\d{4}-\d\d-\d\d'$`)
)

// checkStoredForms reads every row with SQLite's own functions through the
// raw read pool: times are SQLite's UTC text, dates YYYY-MM-DD, JSON is
// TEXT that json() reads as the same value, BLOBs are BLOBs, booleans 0 or 1.
func checkStoredForms(t *testing.T, e *env, rep *report, rows []written) {
	t.Helper()
	const raw = "raw SQL (stored form)"
	for _, r := range rows {
		var (
			created, updated, launch, discontinued    string
			attrType, dimType, thumbType, imageType   string
			attrJSON, dimJSON                         sql.NullString
			featured, giftWrap, stockType, ratingType string
			priceType, nameType                       string
		)
		err := e.rt.Reader().QueryRowContext(e.ctx, `SELECT quote(created_at), quote(updated_at), quote(launch_on), quote(discontinued_on),
	typeof(attributes), typeof(dimensions), typeof(thumbnail), typeof(image), json(attributes), json(dimensions),
	quote(featured), quote(gift_wrap), typeof(stock), typeof(rating), typeof(price), typeof(name)
FROM products WHERE id = ?`, r.id).Scan(&created, &updated, &launch, &discontinued,
			&attrType, &dimType, &thumbType, &imageType, &attrJSON, &dimJSON,
			&featured, &giftWrap, &stockType, &ratingType, &priceType, &nameType)
		if err != nil {
			rep.fail(r.path, raw, "*", "row", fmt.Sprintf("id %d", r.id), err.Error())
			continue
		}
		cols := map[string]column{}
		for _, c := range productColumns() {
			cols[c.name] = c
		}
		check := func(col string, ok bool, in, out string) {
			if !ok {
				c := cols[col]
				rep.fail(r.path, raw, col, c.family, in, out)
			}
		}
		want := r.want
		sqliteTime := func(t time.Time) string { return "'" + t.UTC().Format(dbrt.DateTimeLayout) + "'" }
		sqliteDate := func(t time.Time) string { return "'" + t.Format(time.DateOnly) + "'" }

		check("created_at", storedDateTime.MatchString(created) && created == sqliteTime(want.CreatedAt), sqliteTime(want.CreatedAt), created)
		switch {
		case r.updatedNow:
			check("updated_at", storedDateTime.MatchString(updated), "CURRENT_TIMESTAMP", updated)
		case want.UpdatedAt.Valid:
			check("updated_at", storedDateTime.MatchString(updated) && updated == sqliteTime(want.UpdatedAt.Time), sqliteTime(want.UpdatedAt.Time), updated)
		default:
			check("updated_at", updated == "NULL", "NULL", updated)
		}
		check("launch_on", storedDate.MatchString(launch) && launch == sqliteDate(want.LaunchOn), sqliteDate(want.LaunchOn), launch)
		if want.DiscontinuedOn.Valid {
			check("discontinued_on", storedDate.MatchString(discontinued) && discontinued == sqliteDate(want.DiscontinuedOn.Time),
				sqliteDate(want.DiscontinuedOn.Time), discontinued)
		} else {
			check("discontinued_on", discontinued == "NULL", "NULL", discontinued)
		}

		// JSON: TEXT, except that a JSON number in a column of NUMERIC
		// affinity (a JSON column's) is stored as the number, which json()
		// and json_extract read the same.
		jsonType := func(j dbrt.JSON) string {
			if isJSONNumber(j) {
				return "integer or real"
			}
			return "text"
		}
		typeOK := func(j dbrt.JSON, typ string) bool {
			if isJSONNumber(j) {
				return typ == "integer" || typ == "real" || typ == "text"
			}
			return typ == "text"
		}
		check("attributes", typeOK(want.Attributes, attrType) && attrJSON.Valid && jsonEqual(want.Attributes, []byte(attrJSON.String)),
			"typeof "+jsonType(want.Attributes)+", "+string(want.Attributes), "typeof "+attrType+", json() "+attrJSON.String)
		dims := want.Dimensions
		if r.admin && string(dims) == "null" {
			dims = nil
		}
		if dims == nil {
			check("dimensions", dimType == "null", "NULL", "typeof "+dimType)
		} else {
			check("dimensions", typeOK(dims, dimType) && dimJSON.Valid && jsonEqual(dims, []byte(dimJSON.String)),
				"typeof "+jsonType(dims)+", "+string(dims), "typeof "+dimType+", json() "+dimJSON.String)
		}

		check("thumbnail", thumbType == "blob", "typeof blob", "typeof "+thumbType)
		if want.Image == nil {
			check("image", imageType == "null", "typeof null", "typeof "+imageType)
		} else {
			check("image", imageType == "blob", "typeof blob", "typeof "+imageType)
		}
		bool01 := func(b bool) string {
			if b {
				return "1"
			}
			return "0"
		}
		check("featured", featured == bool01(want.Featured), bool01(want.Featured), featured)
		if want.GiftWrap.Valid {
			check("gift_wrap", giftWrap == bool01(want.GiftWrap.Bool), bool01(want.GiftWrap.Bool), giftWrap)
		} else {
			check("gift_wrap", giftWrap == "NULL", "NULL", giftWrap)
		}
		check("stock", stockType == "integer", "typeof integer", "typeof "+stockType)
		check("rating", ratingType == "real", "typeof real", "typeof "+ratingType)
		check("price", priceType == "integer" || priceType == "real", "typeof integer or real", "typeof "+priceType)
		check("name", nameType == "text", "typeof text", "typeof "+nameType)
	}

	// json_extract works on what the paths stored.
	var n, total int
	err := e.rt.Reader().QueryRowContext(e.ctx, `SELECT count(*), (SELECT count(*) FROM products)
FROM products WHERE json_extract(attributes, '$.color') = 'red' AND json_extract(attributes, '$.nested.ok') = 1`).Scan(&n, &total)
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, r := range rows {
		if jsonEqual(r.want.Attributes, []byte(jsons[1])) {
			want++
		}
	}
	if n != want || want == 0 {
		t.Errorf("json_extract(attributes, '$.color') = 'red' matches %d rows, want %d", n, want)
	}
}

// checkStoredFormsPostgres reads every row with PostgreSQL's own types
// and functions: times are timestamptz (to the microsecond), dates date,
// JSON jsonb holding the same value, BLOBs bytea, booleans boolean, and
// the number families bigint, double precision and numeric.
func checkStoredFormsPostgres(t *testing.T, e *env, rep *report, rows []written) {
	t.Helper()
	const raw = "raw SQL (stored form)"
	cols := map[string]column{}
	for _, c := range productColumns() {
		cols[c.name] = c
	}
	for _, r := range rows {
		var (
			created, launch, attrType, attrJSON, thumbType, featured string
			stockType, ratingType, priceType, nameType               string
			updated, discontinued, dimJSON, giftWrap                 sql.NullString
			imageNull                                                bool
		)
		err := e.rt.Reader().QueryRowContext(e.ctx, `SELECT (created_at AT TIME ZONE 'UTC')::text, (updated_at AT TIME ZONE 'UTC')::text,
	launch_on::text, discontinued_on::text, pg_typeof(attributes)::text, attributes::text, dimensions::text,
	pg_typeof(thumbnail)::text, image IS NULL, featured::text, gift_wrap::text,
	pg_typeof(stock)::text, pg_typeof(rating)::text, pg_typeof(price)::text, pg_typeof(name)::text
FROM products WHERE id = $1`, r.id).Scan(&created, &updated, &launch, &discontinued, &attrType, &attrJSON, &dimJSON,
			&thumbType, &imageNull, &featured, &giftWrap, &stockType, &ratingType, &priceType, &nameType)
		if err != nil {
			rep.fail(r.path, raw, "*", "row", fmt.Sprintf("id %d", r.id), err.Error())
			continue
		}
		check := func(col string, ok bool, in, out string) {
			if !ok {
				rep.fail(r.path, raw, col, cols[col].family, in, out)
			}
		}
		want := r.want
		// PostgreSQL's text of a timestamp at UTC: SQLite's layout, to the
		// microsecond.
		instant := func(text string, want time.Time) bool {
			got, err := time.Parse(dbrt.DateTimeLayout, text)
			return err == nil && storedDateTime.MatchString("'"+text+"'") && got.Sub(want).Abs() < time.Microsecond
		}
		text := func(s sql.NullString) string {
			if !s.Valid {
				return "NULL"
			}
			return s.String
		}
		utc := func(t time.Time) string { return t.UTC().Format(dbrt.DateTimeLayout) }

		check("created_at", instant(created, want.CreatedAt), utc(want.CreatedAt), created)
		switch {
		case r.updatedNow:
			check("updated_at", updated.Valid && storedDateTime.MatchString("'"+updated.String+"'"), "CURRENT_TIMESTAMP", text(updated))
		case want.UpdatedAt.Valid:
			check("updated_at", updated.Valid && instant(updated.String, want.UpdatedAt.Time), utc(want.UpdatedAt.Time), text(updated))
		default:
			check("updated_at", !updated.Valid, "NULL", text(updated))
		}
		check("launch_on", launch == want.LaunchOn.Format(time.DateOnly), want.LaunchOn.Format(time.DateOnly), launch)
		if want.DiscontinuedOn.Valid {
			d := want.DiscontinuedOn.Time.Format(time.DateOnly)
			check("discontinued_on", discontinued.Valid && discontinued.String == d, d, text(discontinued))
		} else {
			check("discontinued_on", !discontinued.Valid, "NULL", text(discontinued))
		}
		check("attributes", attrType == "jsonb" && jsonEqual(want.Attributes, []byte(attrJSON)),
			"jsonb "+string(want.Attributes), attrType+" "+attrJSON)
		dims := want.Dimensions
		if r.admin && string(dims) == "null" {
			dims = nil
		}
		if dims == nil {
			check("dimensions", !dimJSON.Valid, "NULL", text(dimJSON))
		} else {
			check("dimensions", dimJSON.Valid && jsonEqual(dims, []byte(dimJSON.String)), "jsonb "+string(dims), text(dimJSON))
		}
		check("thumbnail", thumbType == "bytea", "bytea", thumbType)
		check("image", imageNull == (want.Image == nil), fmt.Sprintf("NULL %t", want.Image == nil), fmt.Sprintf("NULL %t", imageNull))
		check("featured", featured == strconv.FormatBool(want.Featured), strconv.FormatBool(want.Featured), featured)
		if want.GiftWrap.Valid {
			check("gift_wrap", giftWrap.String == strconv.FormatBool(want.GiftWrap.Bool), strconv.FormatBool(want.GiftWrap.Bool), text(giftWrap))
		} else {
			check("gift_wrap", !giftWrap.Valid, "NULL", text(giftWrap))
		}
		check("stock", stockType == "bigint", "bigint", stockType)
		check("rating", ratingType == "double precision", "double precision", ratingType)
		check("price", priceType == "numeric", "numeric", priceType)
		check("name", nameType == "text", "text", nameType)
	}

	// PostgreSQL's JSON operators work on what the paths stored.
	var n int
	err := e.rt.Reader().QueryRowContext(e.ctx, `SELECT count(*) FROM products
WHERE attributes ->> 'color' = 'red' AND attributes -> 'nested' -> 'ok' = 'true'::jsonb`).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, r := range rows {
		if jsonEqual(r.want.Attributes, []byte(jsons[1])) {
			want++
		}
	}
	if n != want || want == 0 {
		t.Errorf("attributes ->> 'color' = 'red' matches %d rows, want %d", n, want)
	}
}

func isJSONNumber(j dbrt.JSON) bool {
	var v any
	return json.Unmarshal(j, &v) == nil && reflect.TypeOf(v) == reflect.TypeFor[float64]()
}

// checkEqFilters finds every row again with an Eq condition on each of its
// columns (IsNull for NULL): a filter binds its value through the codec
// exactly as the write did.
func checkEqFilters(t *testing.T, e *env, rep *report, rows []written) {
	t.Helper()
	const read = "ListProducts(Eq each column)"
	for _, r := range rows {
		w := r.want
		conds := map[string]dbrt.Cond[store.Product]{
			"sku": store.ProductSku.Eq(w.Sku), "name": store.ProductName.Eq(w.Name),
			"description": nullCond(store.ProductDescription, w.Description.Valid, w.Description.String),
			"status":      store.ProductStatus.Eq(w.Status), "stock": store.ProductStock.Eq(w.Stock),
			"reorder_level":   nullCond(store.ProductReorderLevel, w.ReorderLevel.Valid, w.ReorderLevel.Int64),
			"price":           store.ProductPrice.Eq(w.Price),
			"list_price":      nullCond(store.ProductListPrice, w.ListPrice.Valid, w.ListPrice.Float64),
			"rating":          store.ProductRating.Eq(w.Rating),
			"weight_kg":       nullCond(store.ProductWeightKg, w.WeightKg.Valid, w.WeightKg.Float64),
			"featured":        store.ProductFeatured.Eq(w.Featured),
			"gift_wrap":       nullCond(store.ProductGiftWrap, w.GiftWrap.Valid, w.GiftWrap.Bool),
			"launch_on":       store.ProductLaunchOn.Eq(w.LaunchOn),
			"discontinued_on": nullCond(store.ProductDiscontinuedOn, w.DiscontinuedOn.Valid, w.DiscontinuedOn.Time),
			"thumbnail":       store.ProductThumbnail.Eq(nonNil(w.Thumbnail)),
			"image":           nullCond(store.ProductImage, w.Image != nil, w.Image),
			"created_at":      store.ProductCreatedAt.Eq(w.CreatedAt),
		}
		if !r.updatedNow {
			conds["updated_at"] = nullCond(store.ProductUpdatedAt, w.UpdatedAt.Valid, w.UpdatedAt.Time)
		}
		attrs, dims := w.Attributes, w.Dimensions
		if r.admin {
			// The API's JSON form holds JSON values compacted, as
			// encoding/json writes them, and one null.
			attrs, dims = compact(attrs), compact(dims)
			if string(dims) == "null" {
				dims = nil
			}
		}
		if !isJSONNumber(attrs) { // a number is stored as one; its text does not compare equal
			conds["attributes"] = store.ProductAttributes.Eq(attrs)
		}
		if !isJSONNumber(dims) {
			conds["dimensions"] = nullCond(store.ProductDimensions, dims != nil, dims)
		}
		cols := map[string]column{}
		for _, c := range productColumns() {
			cols[c.name] = c
		}
		for col, cond := range conds {
			page, err := e.db.ListProducts(e.ctx, store.ProductQuery().Where(store.ProductID.Eq(r.id), cond))
			c := cols[col]
			in := describe(c, getField(&w, c.field).Interface())
			switch {
			case err != nil:
				rep.fail(r.path, read, col, c.family, in, err.Error())
			case len(page.Items) != 1:
				rep.fail(r.path, read, col, c.family, in, "the row does not match")
			}
		}
	}
}

func compact(j dbrt.JSON) dbrt.JSON {
	if j == nil {
		return nil
	}
	var b bytes.Buffer
	if json.Compact(&b, j) != nil {
		return j
	}
	return b.Bytes()
}

func nullCond[V any](col dbrt.Col[store.Product, V], valid bool, v V) dbrt.Cond[store.Product] {
	if !valid {
		return col.IsNull()
	}
	return col.Eq(v)
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// ---- the report ----

type cell struct{ write, read, family string }

type finding struct {
	write, read, column, family, in, out string
	count                                int
}

// report collects differences: one message per read path, column and write
// path (with the first value that differed and how many did), and the
// matrices of paths by family.
type report struct {
	findings map[[3]string]*finding // read, column, write
	order    [][3]string
	cells    map[cell]int
	notes    []string
}

func newReport() *report {
	return &report{findings: map[[3]string]*finding{}, cells: map[cell]int{}}
}

func (rep *report) fail(write, read, col, family, in, out string) {
	k := [3]string{read, col, write}
	f := rep.findings[k]
	if f == nil {
		f = &finding{write: write, read: read, column: col, family: family, in: in, out: out}
		rep.findings[k] = f
		rep.order = append(rep.order, k)
	}
	f.count++
	rep.cells[cell{write, "", family}]++
	rep.cells[cell{"", read, family}]++
}

func (rep *report) note(path, format string, args ...any) {
	rep.notes = append(rep.notes, path+": "+fmt.Sprintf(format, args...))
}

func (rep *report) emit(t *testing.T) {
	t.Helper()
	for _, n := range rep.notes {
		t.Log(n)
	}
	for _, k := range rep.order {
		f := rep.findings[k]
		t.Errorf("write %s, read %s, column %s (%s): in %s, out %s (%d value(s) differ)",
			f.write, f.read, f.column, f.family, f.in, f.out, f.count)
	}
	var writes, reads []string
	for _, w := range writePaths() {
		writes = append(writes, w.name)
	}
	for _, r := range readPaths() {
		reads = append(reads, r.name)
	}
	reads = append(reads, "(write refused)", "returned by the write", "ListProducts(Eq each column)", "raw SQL (stored form)")
	t.Log("write paths × families (failures over every read path):\n" + rep.matrix(writes, func(p, f string) int { return rep.cells[cell{p, "", f}] }))
	t.Log("read paths × families (failures over every write path):\n" + rep.matrix(reads, func(p, f string) int { return rep.cells[cell{"", p, f}] }))
}

func (rep *report) matrix(paths []string, count func(path, family string) int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-30s", "")
	cols := append(slices.Clone(families), "row")
	for _, f := range cols {
		fmt.Fprintf(&b, " %-9.9s", f)
	}
	b.WriteString("\n")
	for _, p := range paths {
		fmt.Fprintf(&b, "%-30s", p)
		for _, f := range cols {
			if n := count(p, f); n > 0 {
				fmt.Fprintf(&b, " %-9s", "FAIL "+strconv.Itoa(n))
			} else {
				fmt.Fprintf(&b, " %-9s", "ok")
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}
