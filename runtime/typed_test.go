package runtime

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// catalogDDL has what users' tables have: DEFAULTs of every kind
// (CURRENT_TIMESTAMP, CURRENT_DATE, '{}', x”), NULLs, JSON, dates and
// times, BLOBs, a generated column, a composite key, a table keyed by its
// rowid, one whose column takes the name rowid, and a view.
const catalogDDL = `
CREATE TABLE products (
	id         INTEGER PRIMARY KEY,
	sku        TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL,
	status     TEXT NOT NULL DEFAULT 'draft',
	stock      INTEGER NOT NULL DEFAULT 0,
	price      REAL,
	weight     NUMERIC,
	live       BOOLEAN NOT NULL DEFAULT 0,
	born       DATE,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	launch_on  DATE NOT NULL DEFAULT CURRENT_DATE,
	attrs      JSON NOT NULL DEFAULT '{}',
	extra      JSONB,
	image      BLOB,
	thumb      BLOB NOT NULL DEFAULT x'',
	note       TEXT,
	upper_name TEXT GENERATED ALWAYS AS (upper(name)) VIRTUAL
);
CREATE TABLE price_points (
	product_id INTEGER NOT NULL REFERENCES products(id),
	currency   TEXT NOT NULL,
	amount     INTEGER NOT NULL,
	PRIMARY KEY (product_id, currency)
) WITHOUT ROWID;
CREATE TABLE events (kind TEXT NOT NULL, at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, body JSON);
CREATE TABLE odd (rowid TEXT, v INTEGER);
CREATE TABLE tags (name TEXT PRIMARY KEY, uses INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE VIEW live_products AS SELECT id, sku, name FROM products WHERE live;
`

// Column positions in products.
const (
	pID = iota
	pSku
	pName
	pStatus
	pStock
	pPrice
	pWeight
	pLive
	pBorn
	pCreatedAt
	pLaunchOn
	pAttrs
	pExtra
	pImage
	pThumb
	pNote
	pUpperName
)

func catalogDef() *Definition {
	return &Definition{
		Name:     "catalog",
		DDL:      catalogDDL,
		Postgres: &PostgresSchema{Schema: "catalog", DDL: catalogPostgresDDL},
		Tables: []Table{
			{
				Name: "products",
				Columns: []Column{
					{Name: "id", SQLType: "INTEGER", GoType: "int64", PrimaryKey: true, RowID: true},
					{Name: "sku", SQLType: "TEXT", GoType: "string"},
					{Name: "name", SQLType: "TEXT", GoType: "string"},
					{Name: "status", SQLType: "TEXT", GoType: "string", Default: "'draft'"},
					{Name: "stock", SQLType: "INTEGER", GoType: "int64", Default: "0"},
					{Name: "price", SQLType: "REAL", GoType: "sql.NullFloat64", Nullable: true},
					{Name: "weight", SQLType: "NUMERIC", GoType: "sql.NullFloat64", Nullable: true},
					{Name: "live", SQLType: "BOOLEAN", GoType: "bool", Default: "0"},
					{Name: "born", SQLType: "DATE", GoType: "sql.NullTime", Nullable: true},
					{Name: "created_at", SQLType: "DATETIME", GoType: "time.Time", Default: "CURRENT_TIMESTAMP"},
					{Name: "launch_on", SQLType: "DATE", GoType: "time.Time", Default: "CURRENT_DATE"},
					{Name: "attrs", SQLType: "JSON", GoType: "dbrt.JSON", Default: "'{}'"},
					{Name: "extra", SQLType: "JSONB", GoType: "dbrt.JSON", Nullable: true},
					{Name: "image", SQLType: "BLOB", GoType: "[]byte", Nullable: true},
					{Name: "thumb", SQLType: "BLOB", GoType: "[]byte", Default: "x''"},
					{Name: "note", SQLType: "TEXT", GoType: "sql.NullString", Nullable: true},
					{Name: "upper_name", SQLType: "TEXT", GoType: "sql.NullString", Nullable: true, Generated: true},
				},
				PrimaryKey: []string{"id"},
				Unique:     [][]string{{"sku"}},
			},
			{
				Name:         "price_points",
				WithoutRowID: true,
				Columns: []Column{
					{Name: "product_id", SQLType: "INTEGER", GoType: "int64", PrimaryKey: true},
					{Name: "currency", SQLType: "TEXT", GoType: "string", PrimaryKey: true},
					{Name: "amount", SQLType: "INTEGER", GoType: "int64"},
				},
				PrimaryKey:  []string{"product_id", "currency"},
				ForeignKeys: []ForeignKey{{Columns: []string{"product_id"}, RefTable: "products", RefColumns: []string{"id"}}},
			},
			{
				Name: "events",
				Columns: []Column{
					{Name: "kind", SQLType: "TEXT", GoType: "string"},
					{Name: "at", SQLType: "DATETIME", GoType: "time.Time", Default: "CURRENT_TIMESTAMP"},
					{Name: "body", SQLType: "JSON", GoType: "dbrt.JSON", Nullable: true},
				},
				PrimaryKey: []string{"rowid"},
			},
			{
				Name: "odd",
				Columns: []Column{
					{Name: "rowid", SQLType: "TEXT", GoType: "sql.NullString", Nullable: true},
					{Name: "v", SQLType: "INTEGER", GoType: "sql.NullInt64", Nullable: true},
				},
				PrimaryKey: []string{"_rowid_"},
			},
			{
				Name:         "tags",
				WithoutRowID: true,
				Columns: []Column{
					{Name: "name", SQLType: "TEXT", GoType: "string", PrimaryKey: true},
					{Name: "uses", SQLType: "INTEGER", GoType: "int64", Default: "0"},
				},
				PrimaryKey: []string{"name"},
			},
			{
				Name: "live_products",
				View: true,
				Columns: []Column{
					{Name: "id", SQLType: "INTEGER", GoType: "int64"},
					{Name: "sku", SQLType: "TEXT", GoType: "string"},
					{Name: "name", SQLType: "TEXT", GoType: "string"},
				},
			},
		},
	}
}

// The model, parameters and setter of products, as dbgen generates them.
type product struct {
	ID        int64
	Sku       string
	Name      string
	Status    string
	Stock     int64
	Price     sql.NullFloat64
	Weight    sql.NullFloat64
	Live      bool
	Born      sql.NullTime
	CreatedAt time.Time
	LaunchOn  time.Time
	Attrs     JSON
	Extra     JSON
	Image     []byte
	Thumb     []byte
	Note      sql.NullString
	UpperName sql.NullString
}

func scanProduct(s Scanner) (product, error) {
	var p product
	err := s.Scan(&p.ID, &p.Sku, &p.Name, &p.Status, &p.Stock, &p.Price, &p.Weight, &p.Live, &p.Born,
		&p.CreatedAt, &p.LaunchOn, &p.Attrs, &p.Extra, &p.Image, &p.Thumb, &p.Note, &p.UpperName)
	return p, err
}

type createProduct struct {
	ID        Opt[int64]
	Sku       string
	Name      string
	Status    Opt[string]
	Stock     Opt[int64]
	Price     sql.NullFloat64
	Weight    sql.NullFloat64
	Live      Opt[bool]
	Born      sql.NullTime
	CreatedAt Opt[time.Time]
	LaunchOn  Opt[time.Time]
	Attrs     Opt[JSON]
	Extra     JSON
	Image     []byte
	Thumb     Opt[[]byte]
	Note      sql.NullString
}

func (p *createProduct) addTo(v *Values) {
	AddOpt(v, pID, p.ID)
	v.Add(pSku, p.Sku)
	v.Add(pName, p.Name)
	AddOpt(v, pStatus, p.Status)
	AddOpt(v, pStock, p.Stock)
	v.Add(pPrice, p.Price)
	v.Add(pWeight, p.Weight)
	AddOpt(v, pLive, p.Live)
	v.Add(pBorn, p.Born)
	AddOpt(v, pCreatedAt, p.CreatedAt)
	AddOpt(v, pLaunchOn, p.LaunchOn)
	AddOpt(v, pAttrs, p.Attrs)
	v.Add(pExtra, p.Extra)
	v.Add(pImage, p.Image)
	AddOpt(v, pThumb, p.Thumb)
	v.Add(pNote, p.Note)
}

func (p createProduct) values() Values {
	v := NewValues(16)
	p.addTo(&v)
	return v
}

type productSet struct {
	ID        Opt[int64]
	Sku       Opt[string]
	Name      Opt[string]
	Status    Opt[string]
	Stock     Opt[int64]
	Price     Opt[sql.NullFloat64]
	Weight    Opt[sql.NullFloat64]
	Live      Opt[bool]
	Born      Opt[sql.NullTime]
	CreatedAt Opt[time.Time]
	LaunchOn  Opt[time.Time]
	Attrs     Opt[JSON]
	Extra     Opt[JSON]
	Image     Opt[[]byte]
	Thumb     Opt[[]byte]
	Note      Opt[sql.NullString]
}

func (s productSet) values() Values {
	v := NewValues(16)
	AddOpt(&v, pID, s.ID)
	AddOpt(&v, pSku, s.Sku)
	AddOpt(&v, pName, s.Name)
	AddOpt(&v, pStatus, s.Status)
	AddOpt(&v, pStock, s.Stock)
	AddOpt(&v, pPrice, s.Price)
	AddOpt(&v, pWeight, s.Weight)
	AddOpt(&v, pLive, s.Live)
	AddOpt(&v, pBorn, s.Born)
	AddOpt(&v, pCreatedAt, s.CreatedAt)
	AddOpt(&v, pLaunchOn, s.LaunchOn)
	AddOpt(&v, pAttrs, s.Attrs)
	AddOpt(&v, pExtra, s.Extra)
	AddOpt(&v, pImage, s.Image)
	AddOpt(&v, pThumb, s.Thumb)
	AddOpt(&v, pNote, s.Note)
	return v
}

// setAll is the setter that writes every column of p.
func setAll(p createProduct) productSet {
	s := productSet{Sku: Set(p.Sku), Name: Set(p.Name), Status: p.Status, Stock: p.Stock, Price: Set(p.Price),
		Weight: Set(p.Weight), Live: p.Live, Born: Set(p.Born), CreatedAt: p.CreatedAt, LaunchOn: p.LaunchOn,
		Attrs: p.Attrs, Extra: Set(p.Extra), Image: Set(p.Image), Thumb: p.Thumb, Note: Set(p.Note)}
	return s
}

type pricePoint struct {
	ProductID int64
	Currency  string
	Amount    int64
}

type catalogEvent struct {
	RowID int64
	Kind  string
	At    time.Time
	Body  JSON
}

type oddRow struct {
	RowID int64
	Name  sql.NullString // the column called rowid
	V     sql.NullInt64
}

type liveProduct struct {
	ID   int64
	Sku  string
	Name string
}

// catalog is an open catalog database with its typed tables and columns.
type catalog struct {
	eng      engine
	db       *DB
	def      *Definition
	products *TypedTable[product]
	points   *TypedTable[pricePoint]
	events   *TypedTable[catalogEvent]
	odd      *TypedTable[oddRow]
	live     *TypedTable[liveProduct]

	sku       Col[product, string]
	status    Col[product, string]
	stock     Col[product, int64]
	createdAt Col[product, time.Time]
	launchOn  Col[product, time.Time]
	eventAt   Col[catalogEvent, time.Time]
	oddRowID  Col[oddRow, int64]
}

func openCatalog(t testing.TB) *catalog {
	t.Helper()
	return openCatalogOn(t, sqliteEngine)
}

// openCatalogOn opens a fresh catalog database on e.
func openCatalogOn(t testing.TB, e engine) *catalog {
	t.Helper()
	def := catalogDef()
	db := e.open(t, def)
	products, points, events, odd, live := &def.Tables[0], &def.Tables[1], &def.Tables[2], &def.Tables[3], &def.Tables[5]
	return &catalog{
		eng: e, db: db, def: def,
		products: NewTypedTable(products, scanProduct),
		points: NewTypedTable(points, func(s Scanner) (pricePoint, error) {
			var p pricePoint
			return p, s.Scan(&p.ProductID, &p.Currency, &p.Amount)
		}),
		events: NewTypedTable(events, func(s Scanner) (catalogEvent, error) {
			var e catalogEvent
			return e, s.Scan(&e.RowID, &e.Kind, &e.At, &e.Body)
		}),
		odd: NewTypedTable(odd, func(s Scanner) (oddRow, error) {
			var o oddRow
			return o, s.Scan(&o.RowID, &o.Name, &o.V)
		}),
		live: NewTypedTable(live, func(s Scanner) (liveProduct, error) {
			var l liveProduct
			return l, s.Scan(&l.ID, &l.Sku, &l.Name)
		}),
		sku:       NewCol[product, string](products, "sku"),
		status:    NewCol[product, string](products, "status"),
		stock:     NewCol[product, int64](products, "stock"),
		createdAt: NewCol[product, time.Time](products, "created_at"),
		launchOn:  NewCol[product, time.Time](products, "launch_on"),
		eventAt:   NewCol[catalogEvent, time.Time](events, "at"),
		oddRowID:  NewCol[oddRow, int64](odd, "_rowid_"),
	}
}

// equalTimes compares instants, whatever their zone.
var equalTimes = cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })

// stored reads a column of a product row as SQLite holds it: the unary
// plus drops the declared type, by which the driver would read a DATETIME
// as a time.Time.
func (c *catalog) stored(t testing.TB, id int64, expr string) (typ string, val any) {
	t.Helper()
	if err := c.db.Reader().QueryRow("SELECT typeof("+expr+"), +("+expr+") FROM products WHERE id = ?", id).Scan(&typ, &val); err != nil {
		t.Fatal(err)
	}
	return typ, val
}

// storedPG reads expr of a product row on PostgreSQL, as text.
func (c *catalog) storedPG(t testing.TB, id int64, expr string) string {
	t.Helper()
	var v sql.NullString
	if err := c.db.Reader().QueryRow("SELECT ("+expr+")::text FROM products WHERE id = $1", id).Scan(&v); err != nil {
		t.Fatal(err)
	}
	if !v.Valid {
		return "NULL"
	}
	return v.String
}

func (c *catalog) count(t testing.TB, table string) int {
	t.Helper()
	var n int
	if err := c.db.Reader().QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// An unset Opt gets the column's DEFAULT, whatever kind it is; a set one
// overrides it, with values DEFAULTs never give.
func TestTypedCreateDefaults(t *testing.T) {
	forEngines(t, func(t *testing.T, eng engine) {
		ctx := context.Background()
		c := openCatalogOn(t, eng)
		before := time.Now().Add(-time.Second).Truncate(time.Second)
		p, err := c.products.Create(ctx, c.db, createProduct{Sku: "A1", Name: "Apple"}.values())
		if err != nil {
			t.Fatal(err)
		}
		after := time.Now().Add(time.Second)
		today := time.Now().UTC()
		want := product{ID: 1, Sku: "A1", Name: "Apple", Status: "draft", Stock: 0, Live: false, CreatedAt: p.CreatedAt,
			LaunchOn: time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC),
			Attrs:    JSON(`{}`), Thumb: []byte{}, UpperName: sql.NullString{String: "APPLE", Valid: true}}
		if diff := cmp.Diff(want, p, eng.cmp()); diff != "" {
			t.Errorf("Create with every Opt unset (-want +got):\n%s", diff)
		}
		if p.CreatedAt.Before(before) || p.CreatedAt.After(after) {
			t.Errorf("created_at %v is not CURRENT_TIMESTAMP (%v .. %v)", p.CreatedAt, before, after)
		}
		if eng.pg() {
			if typ := c.storedPG(t, p.ID, "pg_typeof(created_at)"); typ != "timestamp with time zone" {
				t.Errorf("created_at stored as %s", typ)
			}
		} else if typ, v := c.stored(t, p.ID, "created_at"); typ != "text" || len(v.(string)) != len("2006-01-02 15:04:05") {
			t.Errorf("created_at stored as %s %v", typ, v)
		}

		at := time.Date(2026, 12, 1, 23, 41, 55, 123_000_000, time.FixedZone("IST", 5*3600+1800))
		p, err = c.products.Create(ctx, c.db, createProduct{Sku: "A2", Name: "Apple 2", Status: Set("live"), Stock: Set[int64](5),
			Live: Set(true), CreatedAt: Set(at), LaunchOn: Set(time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC)),
			Attrs: Set(JSON(`{"colour":"red"}`)), Thumb: Set([]byte{0xff, 0})}.values())
		if err != nil {
			t.Fatal(err)
		}
		want = product{ID: 2, Sku: "A2", Name: "Apple 2", Status: "live", Stock: 5, Live: true, CreatedAt: at,
			LaunchOn: time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC), Attrs: JSON(`{"colour":"red"}`), Thumb: []byte{0xff, 0},
			UpperName: sql.NullString{String: "APPLE 2", Valid: true}}
		if diff := cmp.Diff(want, p, eng.cmp()); diff != "" {
			t.Errorf("Create with every Opt set (-want +got):\n%s", diff)
		}
		if eng.pg() {
			// Native types: a time in UTC, a date, jsonb, a boolean, bytea.
			for expr, want := range map[string]string{
				"created_at":            "2026-12-01 18:11:55.123+00",
				"launch_on":             "1999-12-31",
				"attrs->>'colour'":      "red",
				"pg_typeof(attrs)":      "jsonb",
				"live":                  "true",
				"encode(thumb, 'hex')":  "ff00",
				"pg_typeof(launch_on)":  "date",
				"pg_typeof(live)":       "boolean",
				"octet_length(thumb)":   "2",
				"pg_typeof(upper_name)": "text",
				"upper_name":            "APPLE 2",
				"created_at = '2026-12-01T23:41:55.123+05:30'": "true",
			} {
				if got := c.storedPG(t, 2, expr); got != want {
					t.Errorf("%s = %#v, want %#v", expr, got, want)
				}
			}
		}
		for expr, want := range map[string]any{
			"created_at":                      "2026-12-01 18:11:55.123",
			"launch_on":                       "1999-12-31",
			"json_extract(attrs, '$.colour')": "red",
			"typeof(attrs)":                   "text",
			"live":                            int64(1),
			"hex(thumb)":                      "FF00",
		} {
			if eng.pg() {
				break
			}
			if _, got := c.stored(t, 2, expr); got != want {
				t.Errorf("%s = %#v, want %#v", expr, got, want)
			}
		}
		// Set to the zero value is set: it overrides the DEFAULT.
		p, err = c.products.Create(ctx, c.db, createProduct{Sku: "A3", Name: "", Status: Set(""), Stock: Set[int64](0),
			CreatedAt: Set(time.Time{}), Thumb: Set([]byte(nil))}.values())
		if err != nil {
			t.Fatal(err)
		}
		if p.Status != "" || !p.CreatedAt.Equal(time.Time{}) || p.Thumb == nil || len(p.Thumb) != 0 {
			t.Errorf("zero values set: status %q, created_at %v, thumb %#v", p.Status, p.CreatedAt, p.Thumb)
		}
		if eng.pg() {
			if v := c.storedPG(t, p.ID, "created_at"); v != "0001-01-01 00:00:00+00" {
				t.Errorf("zero time stored as %s", v)
			}
		} else if typ, v := c.stored(t, p.ID, "created_at"); typ != "text" || v != "0001-01-01 00:00:00" {
			t.Errorf("zero time stored as %s %v", typ, v)
		}
	})
}

// roundTripRows are products with the values users have: int64 limits,
// unicode, empty and binary BLOBs, times in other zones, zero and
// sub-second, NULLs and JSON of every shape.
func roundTripRows() []createProduct {
	kiribati := time.FixedZone("LINT", 14*3600)
	binary := make([]byte, 256)
	for i := range binary {
		binary[i] = byte(i)
	}
	return []createProduct{
		{Sku: "min", Name: "Ünïcödé ✓ 日本語 😀 עברית \u202e", Stock: Set[int64](math.MinInt64),
			Price: sql.NullFloat64{Float64: -0.1, Valid: true}, Weight: sql.NullFloat64{Float64: 2.5, Valid: true},
			Born: sql.NullTime{Time: time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), Valid: true}, CreatedAt: Set(time.Time{}),
			Attrs: Set(JSON(`{"a":[1,2.5,"é",null,true],"b":{"c":"\u00e9\ud83d\ude00"}}`)), Extra: JSON(`[]`),
			Image: []byte{}, Thumb: Set(binary), Note: sql.NullString{String: "a\x00b", Valid: true}},
		{Sku: "max", Name: "max", Status: Set("live"), Stock: Set[int64](math.MaxInt64),
			Price: sql.NullFloat64{Float64: math.MaxFloat64, Valid: true}, Weight: sql.NullFloat64{Float64: 3, Valid: true},
			Live: Set(true), Born: sql.NullTime{Time: time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), Valid: true},
			CreatedAt: Set(time.Date(2026, 12, 2, 4, 5, 6, 999_999_999, kiribati)),
			LaunchOn:  Set(time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)), Attrs: Set(JSON(`"just a string"`)),
			Extra: JSON(`{"nested":{"deep":[{}]}}`), Image: binary, Thumb: Set([]byte{}), Note: sql.NullString{String: "", Valid: true}},
		{Sku: "nulls", Name: " ", Price: sql.NullFloat64{}, Weight: sql.NullFloat64{}, Born: sql.NullTime{},
			CreatedAt: Set(time.Date(2026, 6, 1, 12, 0, 0, 1, time.Local)), Attrs: Set(JSON(`null`)), Extra: nil, Image: nil},
		{Sku: "tiny", Name: "'; DROP TABLE products; --", Stock: Set[int64](-1),
			Price:     sql.NullFloat64{Float64: math.SmallestNonzeroFloat64, Valid: true},
			CreatedAt: Set(time.Date(2026, 12, 1, 18, 11, 55, 600_000_000, time.FixedZone("", -9*3600-1800))),
			Attrs:     Set(JSON(`{"ключ":"значение"}`)), Extra: JSON(`true`), Image: []byte("\x00\x00"), Thumb: Set([]byte(nil))},
	}
}

// roundTripRowsOn are roundTripRows as e takes them: PostgreSQL's text
// cannot hold a NUL byte (see TestPostgresRefusesNUL).
func roundTripRowsOn(e engine) []createProduct {
	rows := roundTripRows()
	if e.pg() {
		for i := range rows {
			rows[i].Note.String = strings.ReplaceAll(rows[i].Note.String, "\x00", "\x01")
		}
	}
	return rows
}

// want is the row a createProduct writes, read back: times in UTC, DATE
// columns at midnight UTC of their date, a nil BLOB of a NOT NULL column
// the empty BLOB.
func (p createProduct) want(id int64) product {
	w := product{ID: id, Sku: p.Sku, Name: p.Name, Status: p.Status.Or("draft"), Stock: p.Stock.Or(0), Price: p.Price,
		Weight: p.Weight, Live: p.Live.Or(false), Born: p.Born, CreatedAt: p.CreatedAt.Or(time.Time{}),
		LaunchOn: p.LaunchOn.Or(time.Time{}), Attrs: p.Attrs.Or(JSON(`{}`)), Extra: p.Extra, Image: p.Image,
		Thumb: p.Thumb.Or([]byte{}), Note: p.Note, UpperName: sql.NullString{String: asciiUpper(p.Name), Valid: true}}
	if w.Thumb == nil {
		w.Thumb = []byte{}
	}
	return w
}

// asciiUpper is SQLite's upper(), which without ICU folds ASCII only.
func asciiUpper(s string) string {
	return strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, s)
}

// TestTypedRoundTrip writes the same rows through every write path and
// reads them back through every read path: each value comes back equal.
func TestTypedRoundTrip(t *testing.T) {
	forEngines(t, func(t *testing.T, eng engine) {
		ctx := context.Background()
		rows := roundTripRowsOn(eng)
		writes := map[string]func(c *catalog, rows []createProduct) ([]int64, error){
			"Create": func(c *catalog, rows []createProduct) ([]int64, error) {
				var ids []int64
				for _, r := range rows {
					p, err := c.products.Create(ctx, c.db, r.values())
					if err != nil {
						return nil, err
					}
					ids = append(ids, p.ID)
				}
				return ids, nil
			},
			"Update": func(c *catalog, rows []createProduct) ([]int64, error) {
				var ids []int64
				for _, r := range rows {
					p, err := c.products.Create(ctx, c.db, createProduct{Sku: r.Sku, Name: "placeholder",
						LaunchOn: Set(time.Now()), Image: []byte("old"), Note: sql.NullString{String: "old", Valid: true}}.values())
					if err != nil {
						return nil, err
					}
					set := setAll(r)
					set.Status, set.Stock, set.Live = Set(r.Status.Or("draft")), Set(r.Stock.Or(0)), Set(r.Live.Or(false))
					set.Attrs, set.Thumb = Set(r.Attrs.Or(JSON(`{}`))), Set(r.Thumb.Or(nil))
					set.CreatedAt, set.LaunchOn = Set(r.CreatedAt.Or(time.Time{})), Set(r.LaunchOn.Or(time.Time{}))
					if _, err := c.products.Update(ctx, c.db, set.values(), p.ID); err != nil {
						return nil, err
					}
					ids = append(ids, p.ID)
				}
				return ids, nil
			},
			"Upsert": func(c *catalog, rows []createProduct) ([]int64, error) {
				var ids []int64
				for i, r := range rows {
					if _, err := c.products.Create(ctx, c.db, createProduct{Sku: r.Sku, Name: "placeholder"}.values()); err != nil {
						return nil, err
					}
					// By the primary key on even rows, by the UNIQUE sku on odd ones.
					target := i%2 - 1
					r.ID = Set(int64(i + 1))
					r.Status, r.Stock, r.Live = Set(r.Status.Or("draft")), Set(r.Stock.Or(0)), Set(r.Live.Or(false))
					r.Attrs, r.Thumb = Set(r.Attrs.Or(JSON(`{}`))), Set(r.Thumb.Or(nil))
					r.CreatedAt, r.LaunchOn = Set(r.CreatedAt.Or(time.Time{})), Set(r.LaunchOn.Or(time.Time{}))
					p, err := c.products.Upsert(ctx, c.db, target, r.values())
					if err != nil {
						return nil, err
					}
					ids = append(ids, p.ID)
				}
				return ids, nil
			},
			"InsertMany": func(c *catalog, rows []createProduct) ([]int64, error) {
				return InsertMany(ctx, c.db, c.products.Table(), len(rows), func(i int, v *Values) { rows[i].addTo(v) }, scanID)
			},
			"generic Create": func(c *catalog, rows []createProduct) ([]int64, error) {
				var ids []int64
				for _, r := range rows {
					rec := map[string]any{}
					v := r.values()
					for i, col := range v.columns() {
						rec[c.def.Tables[0].Columns[col].Name] = v.args[i]
					}
					got, err := c.db.Create(ctx, "products", rec)
					if err != nil {
						return nil, err
					}
					ids = append(ids, got["id"].(int64))
				}
				return ids, nil
			},
		}
		for name, write := range writes {
			t.Run(name, func(t *testing.T) {
				c := openCatalogOn(t, eng)
				ids, err := write(c, roundTripRowsOn(eng))
				if err != nil {
					t.Fatal(err)
				}
				for i, r := range rows {
					want := r.want(ids[i])
					if eng.pg() {
						// timestamptz keeps microseconds.
						want.CreatedAt = want.CreatedAt.Truncate(time.Microsecond)
					}
					if !r.LaunchOn.IsSet() && name != "Update" && name != "Upsert" {
						now := time.Now().UTC()
						want.LaunchOn = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
					}
					if born := want.Born; born.Valid {
						want.Born.Time = time.Date(born.Time.Year(), born.Time.Month(), born.Time.Day(), 0, 0, 0, 0, time.UTC)
					}
					got, err := c.products.Get(ctx, c.db, ids[i])
					if err != nil {
						t.Fatal(err)
					}
					if diff := cmp.Diff(want, got, eng.cmp()); diff != "" {
						t.Errorf("%s: Get (-want +got):\n%s", r.Sku, diff)
					}
					byKey, err := c.products.GetBy(ctx, c.db, 0, r.Sku)
					if err != nil || !cmp.Equal(got, byKey, eng.cmp()) {
						t.Errorf("%s: GetBy differs from Get: %v\n%s", r.Sku, err, cmp.Diff(got, byKey, eng.cmp()))
					}
					page, err := c.products.List(ctx, c.db, NewQuery[product](c.products.Table()).Where(c.sku.Eq(r.Sku)))
					if err != nil || len(page.Items) != 1 || !cmp.Equal(got, page.Items[0], eng.cmp()) {
						t.Errorf("%s: List differs from Get: %v %v", r.Sku, err, page.Items)
					}
					rec, err := c.db.Read(ctx, "products", map[string]any{"id": ids[i]})
					if err != nil {
						t.Fatal(err)
					}
					if rec["image"] == nil {
						rec["image"] = []byte(nil)
					}
					if diff := cmp.Diff(map[string]any{
						"sku": got.Sku, "name": got.Name, "stock": got.Stock, "attrs": got.Attrs, "image": got.Image,
						"thumb": got.Thumb, "created_at": got.CreatedAt,
					}, map[string]any{
						"sku": rec["sku"], "name": rec["name"], "stock": rec["stock"], "attrs": rec["attrs"], "image": rec["image"],
						"thumb": rec["thumb"], "created_at": rec["created_at"],
					}, eng.cmp()); diff != "" {
						t.Errorf("%s: generic Read differs from Get (-typed +generic):\n%s", r.Sku, diff)
					}
				}
				if eng.pg() {
					return // the columns have the types of their values
				}
				// JSON is stored as TEXT, BLOBs as BLOBs, NULL as NULL.
				var wrong int
				if err := c.db.Reader().QueryRow(`SELECT count(*) FROM products WHERE typeof(attrs) <> 'text'
				OR (extra IS NOT NULL AND typeof(extra) <> 'text') OR typeof(thumb) <> 'blob'
				OR (image IS NOT NULL AND typeof(image) <> 'blob') OR typeof(created_at) <> 'text'`).Scan(&wrong); err != nil {
					t.Fatal(err)
				}
				if wrong != 0 {
					t.Errorf("%d rows store a JSON, BLOB or time value in another storage class", wrong)
				}
			})
		}
	})
}

// Update writes what the setter sets and nothing else: the other columns
// keep their stored values, never a zero value.
func TestTypedUpdatePartial(t *testing.T) {
	forEngines(t, func(t *testing.T, eng engine) {
		ctx := context.Background()
		c := openCatalogOn(t, eng)
		created, err := c.products.Create(ctx, c.db, createProduct{Sku: "A1", Name: "Apple", Status: Set("live"), Stock: Set[int64](5),
			Price: sql.NullFloat64{Float64: 1.5, Valid: true}, Attrs: Set(JSON(`{"a":1}`)), Image: []byte{1},
			Note: sql.NullString{String: "n", Valid: true}}.values())
		if err != nil {
			t.Fatal(err)
		}
		storedAt := func() any {
			if eng.pg() {
				return c.storedPG(t, created.ID, "created_at")
			}
			_, v := c.stored(t, created.ID, "created_at")
			return v
		}
		at := storedAt()
		updated, err := c.products.Update(ctx, c.db, productSet{Name: Set("Apple 2")}.values(), created.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := created
		want.Name, want.UpperName.String = "Apple 2", "APPLE 2"
		if diff := cmp.Diff(want, updated, eng.cmp()); diff != "" {
			t.Errorf("Update of the name (-want +got):\n%s", diff)
		}
		if got := storedAt(); got != at {
			t.Errorf("created_at went from %v to %v", at, got)
		}
		// Setting NULL is setting: the column becomes NULL.
		updated, err = c.products.Update(ctx, c.db, productSet{Price: Set(sql.NullFloat64{}), Image: Set([]byte(nil)),
			Extra: Set(JSON(nil)), Stock: Set[int64](0)}.values(), created.ID)
		if err != nil {
			t.Fatal(err)
		}
		want.Price, want.Image, want.Extra, want.Stock = sql.NullFloat64{}, nil, nil, 0
		if diff := cmp.Diff(want, updated, eng.cmp()); diff != "" {
			t.Errorf("Update to NULL and zero (-want +got):\n%s", diff)
		}
		if got, err := c.products.Get(ctx, c.db, created.ID); err != nil || !cmp.Equal(updated, got, eng.cmp()) {
			t.Errorf("Update returned %+v, stored %+v (%v)", updated, got, err)
		}
		// Nothing set: the row as it is.
		same, err := c.products.Update(ctx, c.db, productSet{}.values(), created.ID)
		if err != nil || !cmp.Equal(updated, same, eng.cmp()) {
			t.Errorf("empty Update: %v\n%s", err, cmp.Diff(updated, same, eng.cmp()))
		}
		// A generated column is never written.
		v := productSet{}.values()
		v.Add(pUpperName, "X")
		if _, err := c.products.Update(ctx, c.db, v, created.ID); !errors.Is(err, ErrValidation) {
			t.Errorf("Update of a generated column: %v, want VALIDATION_FAILED", err)
		}
	})
}

func isNotFound(err error) bool {
	var e *Error
	return errors.Is(err, ErrNotFound) && errors.Is(err, sql.ErrNoRows) && errors.As(err, &e) && e.Code == CodeRecordNotFound
}

// A missing row is ErrNotFound and sql.ErrNoRows both, from every method,
// on the database and in either kind of transaction.
func TestTypedNotFound(t *testing.T) {
	forEngines(t, func(t *testing.T, eng engine) {
		ctx := context.Background()
		c := openCatalogOn(t, eng)
		if _, err := c.products.Create(ctx, c.db, createProduct{Sku: "A1", Name: "Apple"}.values()); err != nil {
			t.Fatal(err)
		}
		check := func(t *testing.T, x Executor, write bool) {
			if _, err := c.products.Get(ctx, x, int64(42)); !isNotFound(err) {
				t.Errorf("Get: %v", err)
			}
			if _, err := c.products.GetBy(ctx, x, 0, "nope"); !isNotFound(err) {
				t.Errorf("GetBy: %v", err)
			}
			if _, err := c.points.Get(ctx, x, int64(1), "EUR"); !isNotFound(err) {
				t.Errorf("Get by a composite key: %v", err)
			}
			if _, err := c.events.Get(ctx, x, int64(9)); !isNotFound(err) {
				t.Errorf("Get by rowid: %v", err)
			}
			if _, err := c.products.Update(ctx, x, productSet{}.values(), int64(42)); !isNotFound(err) {
				t.Errorf("empty Update: %v", err)
			}
			if !write {
				return
			}
			if _, err := c.products.Update(ctx, x, productSet{Name: Set("x")}.values(), int64(42)); !isNotFound(err) {
				t.Errorf("Update: %v", err)
			}
			if _, err := c.events.Update(ctx, x, (&Values{}).with(0, "k"), int64(9)); !isNotFound(err) {
				t.Errorf("Update by rowid: %v", err)
			}
			if n, err := c.products.Delete(ctx, x, int64(42)); n != 0 || err != nil {
				t.Errorf("Delete of a missing row = %d, %v; want 0, nil", n, err)
			}
		}
		t.Run("DB", func(t *testing.T) { check(t, c.db, true) })
		t.Run("WriteTx", func(t *testing.T) {
			if err := c.db.WriteTx(ctx, func(tx *Tx) error { check(t, tx, true); return nil }); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("ReadTx", func(t *testing.T) {
			if err := c.db.ReadTx(ctx, func(tx *Tx) error { check(t, tx, false); return nil }); err != nil {
				t.Fatal(err)
			}
		})
		var e *Error
		_, err := c.products.Update(ctx, c.db, productSet{Name: Set("x")}.values(), int64(42))
		if errors.As(err, &e); e == nil || e.Details["table"] != "products" ||
			!cmp.Equal(e.Details["key"], map[string]any{"id": int64(42)}) {
			t.Errorf("Update's not found error %#v", e)
		}
		e = nil
		_, err = c.products.Get(ctx, c.db, int64(42))
		if errors.As(err, &e); e == nil || e.Module != "catalog" || e.Details["table"] != "products" ||
			!cmp.Equal(e.Details["key"], map[string]any{"id": int64(42)}) {
			t.Errorf("not found error %#v", e)
		}
	})
}

// with adds a value and returns v, for one-line Values in tests.
func (v *Values) with(col int, val any) Values {
	v.Add(col, val)
	return *v
}

// Upsert returns the row as stored, and never overwrites the key it
// conflicts on nor the primary key.
func TestTypedUpsert(t *testing.T) {
	forEngines(t, func(t *testing.T, eng engine) {
		ctx := context.Background()
		c := openCatalogOn(t, eng)
		at := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
		first, err := c.products.Upsert(ctx, c.db, -1, createProduct{ID: Set[int64](7), Sku: "A1", Name: "Apple",
			Stock: Set[int64](5), CreatedAt: Set(at)}.values())
		if err != nil {
			t.Fatal(err)
		}
		if first.ID != 7 || first.Name != "Apple" || first.Stock != 5 || first.Status != "draft" {
			t.Errorf("Upsert as insert: %+v", first)
		}
		// On the primary key: the columns set are written, the others kept.
		got, err := c.products.Upsert(ctx, c.db, -1, createProduct{ID: Set[int64](7), Sku: "A1", Name: "Apple 2"}.values())
		if err != nil {
			t.Fatal(err)
		}
		want := first
		want.Name, want.UpperName.String = "Apple 2", "APPLE 2"
		if diff := cmp.Diff(want, got, eng.cmp()); diff != "" {
			t.Errorf("Upsert on the primary key (-want +got):\n%s", diff)
		}
		// On the UNIQUE sku: another id in the parameters does not move the row.
		got, err = c.products.Upsert(ctx, c.db, 0, createProduct{ID: Set[int64](99), Sku: "A1", Name: "Apple 3",
			Status: Set("live")}.values())
		if err != nil {
			t.Fatal(err)
		}
		want.Name, want.UpperName.String, want.Status = "Apple 3", "APPLE 3", "live"
		if diff := cmp.Diff(want, got, eng.cmp()); diff != "" {
			t.Errorf("Upsert on sku (-want +got):\n%s", diff)
		}
		if stored, err := c.products.Get(ctx, c.db, int64(7)); err != nil || !cmp.Equal(got, stored, eng.cmp()) {
			t.Errorf("Upsert returned %+v, stored %+v (%v)", got, stored, err)
		}
		if n := c.count(t, "products"); n != 1 {
			t.Errorf("%d rows after upserts of one", n)
		}
		// Only the conflict key set: the row as it is.
		tags := NewTypedTable(&c.def.Tables[4], func(s Scanner) (pricePoint, error) {
			var p pricePoint
			return p, s.Scan(&p.Currency, &p.Amount)
		})
		if _, err := tags.Create(ctx, c.db, (&Values{}).with(0, "go").with1(1, int64(3))); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			got, err := tags.Upsert(ctx, c.db, -1, (&Values{}).with(0, "go"))
			if err != nil || got != (pricePoint{Currency: "go", Amount: 3}) {
				t.Errorf("Upsert of the key alone: %+v, %v", got, err)
			}
		}
		// A composite key.
		pp, err := c.points.Upsert(ctx, c.db, -1, (&Values{}).with(0, int64(7)).with1(1, "EUR").with1(2, int64(100)))
		if err != nil || pp != (pricePoint{7, "EUR", 100}) {
			t.Errorf("Upsert of a price point: %+v, %v", pp, err)
		}
		pp, err = c.points.Upsert(ctx, c.db, -1, (&Values{}).with(0, int64(7)).with1(1, "EUR").with1(2, int64(120)))
		if err != nil || pp != (pricePoint{7, "EUR", 120}) {
			t.Errorf("Upsert of a price point again: %+v, %v", pp, err)
		}
		// No primary key to upsert on, or no such UNIQUE set.
		if _, err := c.events.Upsert(ctx, c.db, -1, (&Values{}).with(0, "k")); !errors.Is(err, ErrValidation) {
			t.Errorf("Upsert on a rowid table: %v, want VALIDATION_FAILED", err)
		}
		if _, err := c.products.Upsert(ctx, c.db, 1, createProduct{Sku: "B", Name: "B"}.values()); !errors.Is(err, ErrValidation) {
			t.Errorf("Upsert on UNIQUE set 1 of 1: %v, want VALIDATION_FAILED", err)
		}
	})
}

// with1 is with on a Values value, for chains.
func (v Values) with1(col int, val any) Values {
	v.Add(col, val)
	return v
}

// UpdateWhere and DeleteWhere refuse a missing condition; All says "every
// row" on purpose.
func TestTypedWhere(t *testing.T) {
	forEngines(t, func(t *testing.T, eng engine) {
		ctx := context.Background()
		c := openCatalogOn(t, eng)
		for i := range 6 {
			status := []string{"draft", "live", "retired"}[i%3]
			if _, err := c.products.Create(ctx, c.db, createProduct{Sku: fmt.Sprint("s", i), Name: "n", Status: Set(status),
				Stock: Set(int64(i))}.values()); err != nil {
				t.Fatal(err)
			}
		}
		name := productSet{Name: Set("changed")}
		for _, cond := range []struct {
			name string
			c    Cond[product]
		}{
			{"zero", Cond[product]{}},
			{"empty And", And[product]()},
			{"And of empty", And(And[product](), Cond[product]{})},
		} {
			if n, err := c.products.UpdateWhere(ctx, c.db, cond.c, name.values()); !errors.Is(err, ErrValidation) || n != 0 {
				t.Errorf("UpdateWhere(%s) = %d, %v; want VALIDATION_FAILED", cond.name, n, err)
			}
			if n, err := c.products.DeleteWhere(ctx, c.db, cond.c); !errors.Is(err, ErrValidation) || n != 0 {
				t.Errorf("DeleteWhere(%s) = %d, %v; want VALIDATION_FAILED", cond.name, n, err)
			}
		}
		if n, err := c.products.UpdateWhere(ctx, c.db, All[product](), productSet{}.values()); !errors.Is(err, ErrValidation) || n != 0 {
			t.Errorf("UpdateWhere with nothing to set = %d, %v; want VALIDATION_FAILED", n, err)
		}
		if n := c.count(t, "products WHERE name = 'changed'"); n != 0 || c.count(t, "products") != 6 {
			t.Fatalf("refused calls changed %d rows", n)
		}

		if n, err := c.products.UpdateWhere(ctx, c.db, c.status.Eq("live"), productSet{Stock: Set[int64](100)}.values()); err != nil || n != 2 {
			t.Errorf("UpdateWhere(live) = %d, %v", n, err)
		}
		if n, err := c.products.UpdateWhere(ctx, c.db, Or[product](), name.values()); err != nil || n != 0 {
			t.Errorf("UpdateWhere(empty Or) = %d, %v; want 0 rows", n, err)
		}
		if n, err := c.products.UpdateWhere(ctx, c.db, And(c.stock.Gte(100), And[product]()), productSet{Note: Set(sql.NullString{String: "x", Valid: true})}.values()); err != nil || n != 2 {
			t.Errorf("UpdateWhere(And(stock >= 100, And())) = %d, %v", n, err)
		}
		if n, err := c.products.UpdateWhere(ctx, c.db, Or(c.status.Eq("x"), All[product]()), name.values()); err != nil || n != 6 {
			t.Errorf("UpdateWhere(Or(.., All)) = %d, %v", n, err)
		}
		if n, err := c.products.DeleteWhere(ctx, c.db, c.status.In("retired", "draft")); err != nil || n != 4 {
			t.Errorf("DeleteWhere(retired, draft) = %d, %v", n, err)
		}
		if n, err := c.products.DeleteWhere(ctx, c.db, All[product]()); err != nil || n != 2 {
			t.Errorf("DeleteWhere(All) = %d, %v", n, err)
		}
		if n, err := c.products.Count(ctx, c.db); err != nil || n != 0 {
			t.Errorf("Count = %d, %v", n, err)
		}
	})
}

// Every method runs inside WriteTx, sees the transaction's own writes, and
// its writes roll back together when fn fails.
func TestTypedInWriteTx(t *testing.T) {
	forEngines(t, func(t *testing.T, eng engine) {
		ctx := context.Background()
		c := openCatalogOn(t, eng)
		kept, err := c.products.Create(ctx, c.db, createProduct{Sku: "kept", Name: "kept"}.values())
		if err != nil {
			t.Fatal(err)
		}
		errStop := errors.New("stop")
		committed := false
		run := func(tx *Tx) error {
			p, err := c.products.Create(ctx, tx, createProduct{Sku: "A1", Name: "Apple"}.values())
			if err != nil {
				return err
			}
			if got, err := c.products.Get(ctx, tx, p.ID); err != nil || got.Sku != "A1" {
				return fmt.Errorf("Get of the transaction's own row: %+v, %v", got, err)
			}
			if got, err := c.products.GetBy(ctx, tx, 0, "A1"); err != nil || got.ID != p.ID {
				return fmt.Errorf("GetBy: %+v, %v", got, err)
			}
			if got, err := c.products.Update(ctx, tx, productSet{Stock: Set[int64](3)}.values(), p.ID); err != nil || got.Stock != 3 {
				return fmt.Errorf("Update: %+v, %v", got, err)
			}
			if got, err := c.products.Upsert(ctx, tx, 0, createProduct{Sku: "A1", Name: "Apple 2"}.values()); err != nil || got.ID != p.ID || got.Stock != 3 {
				return fmt.Errorf("Upsert: %+v, %v", got, err)
			}
			ids, err := InsertMany(ctx, tx, c.products.Table(), 3, func(i int, v *Values) {
				(&createProduct{Sku: fmt.Sprint("bulk", i), Name: "bulk"}).addTo(v)
			}, scanID)
			if err != nil || len(ids) != 3 {
				return fmt.Errorf("InsertMany: %v, %v", ids, err)
			}
			if n, err := c.products.UpdateWhere(ctx, tx, c.sku.Like("bulk%"), productSet{Live: Set(true)}.values()); err != nil || n != 3 {
				return fmt.Errorf("UpdateWhere: %d, %v", n, err)
			}
			if n, err := c.products.Count(ctx, tx); err != nil || n != 5 {
				return fmt.Errorf("Count: %d, %v", n, err)
			}
			page, err := c.products.List(ctx, tx, NewQuery[product](c.products.Table()).Where(c.status.Eq("draft")).
				OrderBy(c.sku.Desc()).First(2).WithTotal())
			if err != nil || page.Total != 5 || len(page.Items) != 2 || page.Items[0].Sku != "kept" || !page.HasMore {
				return fmt.Errorf("List: %+v, %v", page, err)
			}
			next, err := c.products.List(ctx, tx, NewQuery[product](c.products.Table()).Where(c.status.Eq("draft")).
				OrderBy(c.sku.Desc()).First(2).After(page.NextCursor))
			if err != nil || len(next.Items) != 2 || next.Items[0].Sku != "bulk1" {
				return fmt.Errorf("List after the cursor: %+v, %v", next, err)
			}
			if live, err := c.live.List(ctx, tx, nil); err != nil || len(live.Items) != 3 {
				return fmt.Errorf("List of the view: %+v, %v", live, err)
			}
			if _, err := c.points.Create(ctx, tx, (&Values{}).with(0, p.ID).with1(1, "EUR").with1(2, int64(1))); err != nil {
				return err
			}
			if n, err := c.points.Delete(ctx, tx, p.ID, "EUR"); err != nil || n != 1 {
				return fmt.Errorf("Delete by a composite key: %d, %v", n, err)
			}
			if n, err := c.products.Delete(ctx, tx, kept.ID); err != nil || n != 1 {
				return fmt.Errorf("Delete: %d, %v", n, err)
			}
			if n, err := c.products.DeleteWhere(ctx, tx, c.sku.Eq("bulk2")); err != nil || n != 1 {
				return fmt.Errorf("DeleteWhere: %d, %v", n, err)
			}
			// A failed statement inside the transaction is an error like any.
			// (On PostgreSQL it aborts the transaction, which then cannot
			// commit.)
			if eng.pg() && committed {
				return errStop
			}
			if _, err := c.products.Create(ctx, tx, createProduct{Sku: "A1", Name: "dup"}.values()); !errors.Is(err, ErrConstraint) {
				return fmt.Errorf("duplicate sku: %v, want CONSTRAINT_VIOLATION", err)
			}
			return errStop
		}
		if err := c.db.WriteTx(ctx, run); err != errStop {
			t.Fatalf("WriteTx = %v, want fn's error", err)
		}
		// Nothing of it is left: the deletes are undone too.
		rows, err := c.products.List(ctx, c.db, nil)
		if err != nil || len(rows.Items) != 1 || rows.Items[0].Sku != "kept" || c.count(t, "price_points") != 0 {
			t.Fatalf("after the rolled-back transaction: %+v, %v", rows.Items, err)
		}
		// The same transaction, committed.
		committed = true
		if err := c.db.WriteTx(ctx, func(tx *Tx) error {
			if err := run(tx); err != errStop {
				return err
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		// Committed: A1, bulk0 and bulk1; kept and bulk2 deleted.
		page, err := c.products.List(ctx, c.db, NewQuery[product](c.products.Table()).OrderBy(c.sku.Asc()))
		var skus []string
		for _, p := range page.Items {
			skus = append(skus, p.Sku)
		}
		if diff := cmp.Diff([]string{"A1", "bulk0", "bulk1"}, skus); err != nil || diff != "" {
			t.Errorf("after the committed transaction: %v (-want +got):\n%s", err, diff)
		}
	})
}

// The read methods run in ReadTx; a write there is a coded error, not a
// panic, and changes nothing.
func TestTypedInReadTx(t *testing.T) {
	forEngines(t, func(t *testing.T, eng engine) {
		ctx := context.Background()
		c := openCatalogOn(t, eng)
		p, err := c.products.Create(ctx, c.db, createProduct{Sku: "A1", Name: "Apple"}.values())
		if err != nil {
			t.Fatal(err)
		}
		err = c.db.ReadTx(ctx, func(tx *Tx) error {
			if got, err := c.products.Get(ctx, tx, p.ID); err != nil || got.Sku != "A1" {
				return fmt.Errorf("Get: %+v, %v", got, err)
			}
			if _, err := c.products.GetBy(ctx, tx, 0, "A1"); err != nil {
				return err
			}
			if n, err := c.products.Count(ctx, tx); err != nil || n != 1 {
				return fmt.Errorf("Count: %d, %v", n, err)
			}
			if page, err := c.products.List(ctx, tx, NewQuery[product](c.products.Table()).WithTotal()); err != nil || page.Total != 1 {
				return fmt.Errorf("List: %+v, %v", page, err)
			}
			writes := map[string]func() error{
				"Create": func() error {
					_, err := c.products.Create(ctx, tx, createProduct{Sku: "B", Name: "B"}.values())
					return err
				},
				"Update": func() error {
					_, err := c.products.Update(ctx, tx, productSet{Name: Set("x")}.values(), p.ID)
					return err
				},
				"Upsert": func() error {
					_, err := c.products.Upsert(ctx, tx, 0, createProduct{Sku: "A1", Name: "x"}.values())
					return err
				},
				"Delete": func() error { _, err := c.products.Delete(ctx, tx, p.ID); return err },
				"UpdateWhere": func() error {
					_, err := c.products.UpdateWhere(ctx, tx, All[product](), productSet{Name: Set("x")}.values())
					return err
				},
				"DeleteWhere": func() error { _, err := c.products.DeleteWhere(ctx, tx, All[product]()); return err },
				"InsertMany": func() error {
					_, err := InsertMany(ctx, tx, c.products.Table(), 1, func(i int, v *Values) {
						(&createProduct{Sku: "C", Name: "C"}).addTo(v)
					}, scanID)
					return err
				},
			}
			for name, write := range writes {
				if eng.pg() && name != "Update" {
					continue // a failed statement aborts the transaction: see below
				}
				err := write()
				var e *Error
				if !errors.As(err, &e) || e.Code != CodeReadOnly || e.Module != "catalog" {
					t.Errorf("%s in ReadTx: %v, want READ_ONLY", name, err)
				}
			}
			return nil
		})
		if eng.pg() {
			// A write fails with READ_ONLY and aborts the transaction, which
			// ReadTx then reports: one transaction for each.
			if !errors.Is(err, ErrInternal) {
				t.Errorf("ReadTx after a refused write: %v", err)
			}
			for _, name := range []string{"Create", "Upsert", "Delete", "UpdateWhere", "DeleteWhere", "InsertMany"} {
				err := c.db.ReadTx(ctx, func(tx *Tx) error {
					var err error
					switch name {
					case "Create":
						_, err = c.products.Create(ctx, tx, createProduct{Sku: "B", Name: "B"}.values())
					case "Upsert":
						_, err = c.products.Upsert(ctx, tx, 0, createProduct{Sku: "A1", Name: "x"}.values())
					case "Delete":
						_, err = c.products.Delete(ctx, tx, p.ID)
					case "UpdateWhere":
						_, err = c.products.UpdateWhere(ctx, tx, All[product](), productSet{Name: Set("x")}.values())
					case "DeleteWhere":
						_, err = c.products.DeleteWhere(ctx, tx, All[product]())
					case "InsertMany":
						_, err = InsertMany(ctx, tx, c.products.Table(), 1, func(i int, v *Values) {
							(&createProduct{Sku: "C", Name: "C"}).addTo(v)
						}, scanID)
					}
					return err
				})
				var e *Error
				if !errors.As(err, &e) || e.Code != CodeReadOnly || e.Module != "catalog" {
					t.Errorf("%s in ReadTx: %v, want READ_ONLY", name, err)
				}
			}
			err = nil
		}
		if err != nil {
			t.Fatal(err)
		}
		if got, err := c.products.Get(ctx, c.db, p.ID); err != nil || got.Name != "Apple" || c.count(t, "products") != 1 {
			t.Errorf("after ReadTx: %+v, %v", got, err)
		}
	})
}

// Tables without a declared primary key are identified by their rowid,
// under whichever name it can be read.
func TestTypedRowIDTable(t *testing.T) {
	forEngines(t, func(t *testing.T, eng engine) {
		ctx := context.Background()
		c := openCatalogOn(t, eng)
		e, err := c.events.Create(ctx, c.db, (&Values{}).with(0, "signup"))
		if err != nil {
			t.Fatal(err)
		}
		if e.RowID != 1 || e.Kind != "signup" || time.Since(e.At) > time.Minute || e.Body != nil {
			t.Errorf("Create: %+v", e)
		}
		v := NewValues(2)
		v.Add(0, "login")
		v.Add(2, JSON(`{"ip":"::1"}`))
		e2, err := c.events.Create(ctx, c.db, v)
		if err != nil || e2.RowID != 2 {
			t.Fatalf("Create: %+v, %v", e2, err)
		}
		got, err := c.events.Get(ctx, c.db, e2.RowID)
		if err != nil || !cmp.Equal(e2, got, eng.cmp()) {
			t.Errorf("Get by rowid: %+v, %v", got, err)
		}
		up, err := c.events.Update(ctx, c.db, (&Values{}).with(0, "logout"), e2.RowID)
		if err != nil || up.Kind != "logout" || !sameJSON(up.Body, JSON(`{"ip":"::1"}`)) || up.RowID != 2 {
			t.Errorf("Update by rowid: %+v, %v", up, err)
		}
		page, err := c.events.List(ctx, c.db, NewQuery[catalogEvent](c.events.Table()).Where(c.eventAt.Gte(time.Now().Add(-time.Hour))).
			OrderBy(c.eventAt.Desc()).First(1))
		if err != nil || len(page.Items) != 1 || !page.HasMore {
			t.Fatalf("List: %+v, %v", page, err)
		}
		if page, err = c.events.List(ctx, c.db, NewQuery[catalogEvent](c.events.Table()).Where(c.eventAt.Gte(time.Now().Add(-time.Hour))).
			OrderBy(c.eventAt.Desc()).First(1).After(page.NextCursor)); err != nil || len(page.Items) != 1 || page.HasMore {
			t.Fatalf("List after the cursor: %+v, %v", page, err)
		}
		if n, err := c.events.Delete(ctx, c.db, int64(1)); err != nil || n != 1 {
			t.Errorf("Delete by rowid: %d, %v", n, err)
		}
		if _, err := c.events.Get(ctx, c.db, int64(1)); !isNotFound(err) {
			t.Errorf("Get after Delete: %v", err)
		}
		if n, err := c.events.Count(ctx, c.db); err != nil || n != 1 {
			t.Errorf("Count: %d, %v", n, err)
		}

		// A column takes the name rowid: the rowid is read as _rowid_.
		o, err := c.odd.Create(ctx, c.db, (&Values{}).with(0, "not the rowid").with1(1, int64(5)))
		if err != nil || o.RowID != 1 || o.Name.String != "not the rowid" {
			t.Fatalf("Create: %+v, %v", o, err)
		}
		if got, err := c.odd.Get(ctx, c.db, o.RowID); err != nil || got != o {
			t.Errorf("Get by _rowid_: %+v, %v", got, err)
		}
		if page, err := c.odd.List(ctx, c.db, NewQuery[oddRow](c.odd.Table()).Where(c.oddRowID.Eq(1))); err != nil || len(page.Items) != 1 {
			t.Errorf("List where _rowid_ = 1: %+v, %v", page, err)
		}
		if n, err := c.odd.DeleteWhere(ctx, c.db, c.oddRowID.Gt(0)); err != nil || n != 1 {
			t.Errorf("DeleteWhere _rowid_ > 0: %d, %v", n, err)
		}
	})
}

func TestTypedCompositeKey(t *testing.T) {
	forEngines(t, func(t *testing.T, eng engine) {
		ctx := context.Background()
		c := openCatalogOn(t, eng)
		if _, err := c.products.Create(ctx, c.db, createProduct{ID: Set[int64](1), Sku: "A1", Name: "Apple"}.values()); err != nil {
			t.Fatal(err)
		}
		for _, cur := range []string{"EUR", "USD"} {
			if _, err := c.points.Create(ctx, c.db, (&Values{}).with(0, int64(1)).with1(1, cur).with1(2, int64(len(cur)))); err != nil {
				t.Fatal(err)
			}
		}
		got, err := c.points.Update(ctx, c.db, (&Values{}).with(2, int64(250)), int64(1), "USD")
		if err != nil || got != (pricePoint{1, "USD", 250}) {
			t.Errorf("Update: %+v, %v", got, err)
		}
		if got, err := c.points.Get(ctx, c.db, int64(1), "EUR"); err != nil || got.Amount != 3 {
			t.Errorf("Get of the other row: %+v, %v", got, err)
		}
		for _, key := range [][]any{{int64(1)}, {int64(1), "EUR", "x"}, nil} {
			if _, err := c.points.Get(ctx, c.db, key...); !errors.Is(err, ErrValidation) {
				t.Errorf("Get(%v): %v, want VALIDATION_FAILED", key, err)
			}
		}
		if _, err := c.points.Create(ctx, c.db, (&Values{}).with(0, int64(9)).with1(1, "EUR").with1(2, int64(1))); !errors.Is(err, ErrConstraint) {
			t.Errorf("price point of a missing product: %v, want CONSTRAINT_VIOLATION", err)
		}
	})
}

// A view has the read methods only.
func TestTypedView(t *testing.T) {
	forEngines(t, func(t *testing.T, eng engine) {
		ctx := context.Background()
		c := openCatalogOn(t, eng)
		if _, err := c.products.Create(ctx, c.db, createProduct{Sku: "A1", Name: "Apple", Live: Set(true)}.values()); err != nil {
			t.Fatal(err)
		}
		if page, err := c.live.List(ctx, c.db, nil); err != nil || len(page.Items) != 1 || page.Items[0].Sku != "A1" {
			t.Errorf("List: %+v, %v", page, err)
		}
		if n, err := c.live.Count(ctx, c.db); err != nil || n != 1 {
			t.Errorf("Count: %d, %v", n, err)
		}
		if _, err := c.live.Create(ctx, c.db, (&Values{}).with(1, "B")); !errors.Is(err, ErrValidation) {
			t.Errorf("Create on a view: %v", err)
		}
		if _, err := c.live.Get(ctx, c.db, int64(1)); !errors.Is(err, ErrValidation) {
			t.Errorf("Get on a view: %v", err)
		}
		if _, err := c.live.DeleteWhere(ctx, c.db, All[liveProduct]()); !errors.Is(err, ErrValidation) {
			t.Errorf("DeleteWhere on a view: %v", err)
		}
	})
}

// JSON columns refuse what is not JSON before anything is written, keep
// JSON as TEXT for SQLite's JSON functions, and a nullable one's NULL reads
// back as nil.
func TestTypedJSONColumn(t *testing.T) {
	forEngines(t, func(t *testing.T, eng engine) {
		ctx := context.Background()
		c := openCatalogOn(t, eng)
		p, err := c.products.Create(ctx, c.db, createProduct{Sku: "A1", Name: "Apple",
			Attrs: Set(JSON(`{"tags":["red","sweet"],"n":1}`)), Extra: JSON(`{"a":{"b":2}}`)}.values())
		if err != nil {
			t.Fatal(err)
		}
		for expr, want := range map[string]any{
			"typeof(attrs)":                    "text",
			"typeof(extra)":                    "text",
			"json_extract(attrs, '$.tags[1]')": "sweet",
			"json_extract(extra, '$.a.b')":     int64(2),
			"json_valid(attrs)":                int64(1),
		} {
			if eng.pg() {
				break
			}
			if _, got := c.stored(t, p.ID, expr); got != want {
				t.Errorf("%s = %#v, want %#v", expr, got, want)
			}
		}
		if eng.pg() {
			// jsonb, which PostgreSQL's JSON operators work on.
			for expr, want := range map[string]string{
				"pg_typeof(attrs)":    "jsonb",
				"attrs->'tags'->>1":   "sweet",
				"(extra #> '{a,b}')":  "2",
				"jsonb_typeof(attrs)": "object",
			} {
				if got := c.storedPG(t, p.ID, expr); got != want {
					t.Errorf("%s = %#v, want %#v", expr, got, want)
				}
			}
		}
		if p.Extra == nil || !sameJSON(p.Extra, JSON(`{"a":{"b":2}}`)) {
			t.Errorf("extra read back as %q", p.Extra)
		}
		// NULL in a nullable JSON column, written and read.
		p, err = c.products.Update(ctx, c.db, productSet{Extra: Set(JSON(nil))}.values(), p.ID)
		if err != nil || p.Extra != nil {
			t.Fatalf("extra set to NULL reads back as %#v, %v", p.Extra, err)
		}
		if eng.pg() {
			if v := c.storedPG(t, p.ID, "extra"); v != "NULL" {
				t.Errorf("nil JSON stored as %s", v)
			}
		} else if typ, _ := c.stored(t, p.ID, "extra"); typ != "null" {
			t.Errorf("nil JSON stored as %s", typ)
		}
		// The JSON value null is not SQL NULL.
		p, err = c.products.Update(ctx, c.db, productSet{Extra: Set(JSON(`null`))}.values(), p.ID)
		if err != nil || string(p.Extra) != "null" {
			t.Errorf("JSON null reads back as %#v, %v", p.Extra, err)
		}

		bad := JSON(`{"tags": [}`)
		refused := map[string]func() error{
			"Create": func() error {
				_, err := c.products.Create(ctx, c.db, createProduct{Sku: "B", Name: "B", Attrs: Set(bad)}.values())
				return err
			},
			"Create, nullable column": func() error {
				_, err := c.products.Create(ctx, c.db, createProduct{Sku: "B", Name: "B", Extra: bad}.values())
				return err
			},
			"Update": func() error {
				_, err := c.products.Update(ctx, c.db, productSet{Name: Set("changed"), Attrs: Set(bad)}.values(), p.ID)
				return err
			},
			"Upsert": func() error {
				_, err := c.products.Upsert(ctx, c.db, 0, createProduct{Sku: "A1", Name: "changed", Attrs: Set(bad)}.values())
				return err
			},
			"UpdateWhere": func() error {
				_, err := c.products.UpdateWhere(ctx, c.db, All[product](), productSet{Name: Set("changed"), Extra: Set(bad)}.values())
				return err
			},
			"InsertMany": func() error {
				_, err := InsertMany(ctx, c.db, c.products.Table(), 3, func(i int, v *Values) {
					r := createProduct{Sku: fmt.Sprint("bulk", i), Name: "n"}
					if i == 2 {
						r.Extra = bad
					}
					r.addTo(v)
				}, scanID)
				return err
			},
			"empty JSON": func() error {
				_, err := c.products.Create(ctx, c.db, createProduct{Sku: "B", Name: "B", Attrs: Set(JSON{})}.values())
				return err
			},
		}
		for name, write := range refused {
			if err := write(); !errors.Is(err, ErrValidation) {
				t.Errorf("%s with invalid JSON: %v, want VALIDATION_FAILED", name, err)
			}
		}
		if n := c.count(t, "products"); n != 1 || c.count(t, "products WHERE name = 'changed'") != 0 {
			t.Errorf("invalid JSON wrote something: %d rows", n)
		}
	})
}

// Values the codec refuses are VALIDATION_FAILED naming the column, and
// nothing is written.
func TestTypedCodecErrors(t *testing.T) {
	forEngines(t, func(t *testing.T, eng engine) {
		ctx := context.Background()
		c := openCatalogOn(t, eng)
		for name, p := range map[string]createProduct{
			"NaN":        {Sku: "A", Name: "A", Price: sql.NullFloat64{Float64: math.NaN(), Valid: true}},
			"year 10000": {Sku: "A", Name: "A", CreatedAt: Set(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC))},
			"year -1":    {Sku: "A", Name: "A", Born: sql.NullTime{Time: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC), Valid: true}},
		} {
			_, err := c.products.Create(ctx, c.db, p.values())
			var e *Error
			if !errors.Is(err, ErrValidation) || !errors.As(err, &e) || e.Details["table"] != "products" || e.Details["column"] == nil {
				t.Errorf("%s: %v, want VALIDATION_FAILED naming the column", name, err)
			}
		}
		if _, err := c.products.Get(ctx, c.db, math.NaN()); !errors.Is(err, ErrValidation) {
			t.Errorf("Get(NaN): %v", err)
		}
		if _, err := c.products.List(ctx, c.db, NewQuery[product](c.products.Table()).
			Where(c.createdAt.Gt(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)))); !errors.Is(err, ErrValidation) {
			t.Errorf("a filter with a year past 9999: %v", err)
		}
		if n := c.count(t, "products"); n != 0 {
			t.Errorf("%d rows written", n)
		}
	})
}

// List filters and sorts times the codec wrote from Go, in any zone, and
// times SQLite's DEFAULT CURRENT_TIMESTAMP and CURRENT_DATE wrote, as the
// times they are.
func TestTypedTimeFilters(t *testing.T) {
	forEngines(t, func(t *testing.T, eng engine) {
		ctx := context.Background()
		c := openCatalogOn(t, eng)
		// Rows SQLite dates: created a moment ago.
		for i := range 5 {
			if _, err := c.products.Create(ctx, c.db, createProduct{Sku: fmt.Sprint("db", i), Name: "n"}.values()); err != nil {
				t.Fatal(err)
			}
		}
		// Rows dated from Go: two hours ago, in ten minutes, and a fraction of
		// a second from now, in other zones.
		tokyo, hawaii := time.FixedZone("JST", 9*3600), time.FixedZone("HST", -10*3600)
		now := time.Now()
		dated := map[string]time.Time{
			"old":    now.Add(-2 * time.Hour).In(tokyo),
			"future": now.Add(10 * time.Minute).In(hawaii),
			"subsec": now.Add(-300 * time.Millisecond).In(hawaii),
		}
		for sku, at := range dated {
			if _, err := c.products.Create(ctx, c.db, createProduct{Sku: sku, Name: "n", CreatedAt: Set(at),
				LaunchOn: Set(at)}.values()); err != nil {
				t.Fatal(err)
			}
		}
		count := func(conds ...Cond[product]) int {
			t.Helper()
			page, err := c.products.List(ctx, c.db, NewQuery[product](c.products.Table()).Where(conds...).WithTotal())
			if err != nil {
				t.Fatal(err)
			}
			return int(page.Total)
		}
		hourAgo := time.Now().Add(-time.Hour)
		for _, zone := range []*time.Location{time.UTC, time.Local, tokyo, hawaii} {
			if n := count(c.createdAt.Gte(hourAgo.In(zone)), c.createdAt.Lte(time.Now().In(zone))); n != 6 {
				t.Errorf("created in the last hour (%v): %d rows, want the 5 of CURRENT_TIMESTAMP and subsec", zone, n)
			}
		}
		if n := count(c.createdAt.Lt(hourAgo)); n != 1 {
			t.Errorf("created before an hour ago: %d rows, want 1", n)
		}
		if n := count(c.createdAt.Gt(time.Now().Add(time.Minute))); n != 1 {
			t.Errorf("created in the future: %d rows, want 1", n)
		}
		today := time.Now().UTC()
		if n := count(c.launchOn.Eq(time.Date(today.Year(), today.Month(), today.Day(), 12, 0, 0, 0, time.UTC))); n < 5 {
			t.Errorf("launched today by CURRENT_DATE: %d rows, want at least 5", n)
		}
		// Sorted by time, keyset page by page: old, the moment-ago rows (SQLite's
		// whole seconds and Go's fraction in their places), future.
		var got []string
		q := NewQuery[product](c.products.Table()).OrderBy(c.createdAt.Asc()).First(2)
		var prev time.Time
		for {
			page, err := c.products.List(ctx, c.db, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range page.Items {
				if p.CreatedAt.Before(prev) {
					t.Errorf("%s (%v) sorted after %v", p.Sku, p.CreatedAt, prev)
				}
				prev = p.CreatedAt
				got = append(got, p.Sku)
			}
			if !page.HasMore {
				break
			}
			q = q.After(page.NextCursor)
		}
		if len(got) != 8 || got[0] != "old" || got[7] != "future" {
			t.Errorf("sorted by created_at: %v", got)
		}
		// A time given as text in a filter is read first, in any form.
		rows, err := c.db.ListRecords(ctx, "products", ListRequest{Filters: []Filter{
			{Column: "created_at", Op: "gte", Value: hourAgo.UTC().Format(time.RFC3339Nano)},
			{Column: "created_at", Op: "lt", Value: time.Now().Add(time.Minute).Format("2006-01-02T15:04:05-07:00")},
		}})
		if err != nil || rows.Total != 6 {
			t.Errorf("generic list of the last hour, times as text: %d rows, %v", rows.Total, err)
		}
	})
}

// TestTypedWideTable runs the typed methods and InsertMany on a table of
// 70 columns, whose Values do not fit the 64-bit mask that keys the
// statement caches.
func TestTypedWideTable(t *testing.T) {
	forEngines(t, func(t *testing.T, eng engine) {
		ctx := context.Background()
		const ncols = 70
		var ddl strings.Builder
		ddl.WriteString("CREATE TABLE wide (c0 INTEGER PRIMARY KEY")
		table := Table{Name: "wide", PrimaryKey: []string{"c0"},
			Columns: []Column{{Name: "c0", SQLType: "INTEGER", GoType: "int64", PrimaryKey: true, RowID: true}}}
		for i := 1; i < ncols; i++ {
			fmt.Fprintf(&ddl, ", c%d INTEGER NOT NULL DEFAULT %d", i, -i)
			table.Columns = append(table.Columns, Column{Name: fmt.Sprint("c", i), SQLType: "INTEGER", GoType: "int64", Default: fmt.Sprint(-i)})
		}
		ddl.WriteString(");")
		def := &Definition{Name: "wide", DDL: ddl.String(), Tables: []Table{table}}
		db, err := Open(ctx, t.TempDir(), def)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		wide := NewTypedTable(&def.Tables[0], func(s Scanner) ([]int64, error) {
			row := make([]int64, ncols)
			dest := make([]any, ncols)
			for i := range row {
				dest[i] = &row[i]
			}
			return row, s.Scan(dest...)
		})
		// want is the row with the DEFAULTs, id and the columns set.
		want := func(id int64, set map[int]int64) []int64 {
			row := []int64{id}
			for i := 1; i < ncols; i++ {
				row = append(row, int64(-i))
			}
			for c, v := range set {
				row[c] = v
			}
			return row
		}
		values := func(set map[int]int64) Values {
			v := NewValues(len(set))
			for c := range ncols {
				if x, ok := set[c]; ok {
					v.Add(c, x)
				}
			}
			return v
		}
		row, err := wide.Create(ctx, db, values(map[int]int64{1: 10, 66: 660}))
		if err != nil || !cmp.Equal(want(1, map[int]int64{1: 10, 66: 660}), row) {
			t.Fatalf("Create: %v, %v", row, err)
		}
		row, err = wide.Update(ctx, db, values(map[int]int64{67: 670}), int64(1))
		if err != nil || !cmp.Equal(want(1, map[int]int64{1: 10, 66: 660, 67: 670}), row) {
			t.Errorf("Update: %v, %v", row, err)
		}
		row, err = wide.Upsert(ctx, db, -1, values(map[int]int64{0: 1, 69: 690}))
		if err != nil || !cmp.Equal(want(1, map[int]int64{1: 10, 66: 660, 67: 670, 69: 690}), row) {
			t.Errorf("Upsert: %v, %v", row, err)
		}
		if n, err := wide.UpdateWhere(ctx, db, All[[]int64](), values(map[int]int64{2: 20, 65: 650})); err != nil || n != 1 {
			t.Errorf("UpdateWhere: %d, %v", n, err)
		}
		sets := []map[int]int64{{2: 2}, {65: 65}, {2: 2, 65: 65}, {}, {65: 65}, {65: 65}, {1: 1, 68: 68}}
		var rows []map[int]int64
		for i := range 3 * bulkRows {
			rows = append(rows, sets[i%len(sets)*(i/7%2)]) // runs of the first set between the mixed ones
		}
		ids, err := InsertMany(ctx, db, &def.Tables[0], len(rows), func(i int, v *Values) {
			for c := range ncols {
				if x, ok := rows[i][c]; ok {
					v.Add(c, x)
				}
			}
		}, scanID)
		if err != nil || len(ids) != len(rows) {
			t.Fatalf("InsertMany: %d keys, %v", len(ids), err)
		}
		for i, id := range ids {
			got, err := wide.Get(ctx, db, id)
			if err != nil || !cmp.Equal(want(id, rows[i]), got) {
				t.Fatalf("row %d, key %d: %v, %v", i, id, got, err)
			}
		}
	})
}
