package apptest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/dbgen-dev/dbgen/gen/store"
	dbrt "github.com/dbgen-dev/dbgen/runtime"
)

// TestDefaultsFilterAndSort mixes rows whose created_at and launch_on Go
// wrote, in several zones and to the nanosecond, with rows SQLite filled
// from CURRENT_TIMESTAMP and CURRENT_DATE, written through every path that
// can leave them unset. Filters and sorts of every kind (typed, module
// query, generic CRUD, admin API, the engine's own functions) must see one
// timeline: what Go computes from the values read back. On PostgreSQL the
// DEFAULTs are its own CURRENT_TIMESTAMP and CURRENT_DATE (in UTC, the
// session's zone), and times keep microseconds.
func TestDefaultsFilterAndSort(t *testing.T) { onEngines(t, testDefaultsFilterAndSort) }

func testDefaultsFilterAndSort(t *testing.T, eng engine) {
	e := openStore(t, eng)
	ctx := e.ctx
	g := newValueGen(t)
	tokyo, newYork, kathmandu := g.zone("Asia/Tokyo"), g.zone("America/New_York"), g.zone("UTC+05:45")
	start := time.Now()
	today := start.UTC()
	// Today's date, constructed where it is still or already today's date
	// in UTC: 23:00 in New York is tomorrow in UTC; as a DATE it is today.
	todayNY := time.Date(today.Year(), today.Month(), today.Day(), 23, 0, 0, 0, newYork)
	yesterday := today.AddDate(0, 0, -1)

	defaulted := map[int64]bool{}
	n := 0
	sku := func() string { n++; return fmt.Sprintf("defaults %02d", n) }
	must := func(id int64, err error) int64 {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	product := func(p store.Product, err error) (int64, error) { return p.ID, err }
	// Rows SQLite fills, through each path that leaves the columns unset.
	writeDefaults := func() {
		defaulted[must(product(e.db.CreateProduct(ctx, store.CreateProductParams{Sku: sku(), Name: "CreateProduct"})))] = true
		defaulted[must(product(e.db.UpsertProduct(ctx, store.CreateProductParams{Sku: sku(), Name: "UpsertProduct"})))] = true
		rec, err := e.rt.Create(ctx, "products", map[string]any{"sku": sku(), "name": "Runtime.Create"})
		defaulted[must(productFromRecord(rec).p.ID, err)] = true
		id, _, err := e.adminWrite(http.MethodPost, productsPath+"/records", http.StatusCreated, map[string]any{"sku": sku(), "name": "admin POST"})
		defaulted[must(id, err)] = true
	}
	goWritten := func(at time.Time, launch time.Time) int64 {
		return must(product(e.db.CreateProduct(ctx, store.CreateProductParams{Sku: sku(), Name: "Go " + at.Format(time.RFC3339Nano),
			CreatedAt: dbrt.Set(at), LaunchOn: dbrt.Set(launch)})))
	}

	goWritten(start.Add(-2*time.Hour).UTC(), yesterday)
	goWritten(start.Add(-90*time.Minute).In(tokyo), todayNY)
	writeDefaults()
	goWritten(start.Add(-30*time.Minute).In(newYork), today.In(tokyo))
	goWritten(start.Add(-1500*time.Millisecond).In(kathmandu), yesterday.In(kathmandu))
	goWritten(start.Truncate(time.Second).In(tokyo), todayNY) // a whole second: ties with a DEFAULT row of that second
	// Bulk: rows that set the columns and rows that leave them to SQLite.
	bulk := []store.CreateProductParams{
		{Sku: sku(), Name: "bulk default"},
		{Sku: sku(), Name: "bulk Go", CreatedAt: dbrt.Set(start.Add(-10 * time.Minute).In(newYork)), LaunchOn: dbrt.Set(todayNY)},
		{Sku: sku(), Name: "bulk default"},
		{Sku: sku(), Name: "bulk Go", CreatedAt: dbrt.Set(start.Add(123456789 * time.Nanosecond)), LaunchOn: dbrt.Set(yesterday)},
	}
	keys, err := e.db.CreateProducts(ctx, bulk)
	if err != nil {
		t.Fatal(err)
	}
	defaulted[keys[0]], defaulted[keys[2]] = true, true
	// The next second: DEFAULT rows on both sides of Go-written ones.
	time.Sleep(time.Until(start.Truncate(time.Second).Add(1100 * time.Millisecond)))
	goWritten(time.Now().Add(-300*time.Millisecond).In(tokyo), todayNY)
	writeDefaults()
	goWritten(time.Now().Add(200*time.Millisecond).In(kathmandu), today)
	goWritten(start.Add(time.Hour).In(newYork), yesterday)
	if time.Now().UTC().Format(time.DateOnly) != today.Format(time.DateOnly) {
		t.Skip("the UTC date changed while the rows were written; CURRENT_DATE is not one day")
	}

	// What Go computes, from the rows read back.
	page, err := e.db.ListProducts(ctx, store.ProductQuery().First(dbrt.MaxPageSize))
	if err != nil {
		t.Fatal(err)
	}
	rows := page.Items
	if len(rows) != n || len(defaulted) != 10 {
		t.Fatalf("%d rows, %d of them defaulted; wrote %d", len(rows), len(defaulted), n)
	}
	byTime := slices.Clone(rows)
	slices.SortStableFunc(byTime, func(a, b store.Product) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	ascending := idsOf(byTime)
	descending := slices.Clone(ascending)
	slices.Reverse(descending) // the tiebreak runs the way the last key does
	since := func(at time.Time) []int64 {
		var out []int64
		for _, p := range byTime {
			if !p.CreatedAt.Before(at) {
				out = append(out, p.ID)
			}
		}
		return out
	}
	launchedToday := func() []int64 {
		var out []int64
		for _, p := range rows {
			if p.LaunchOn.Format(time.DateOnly) == today.Format(time.DateOnly) {
				out = append(out, p.ID)
			}
		}
		return out
	}()
	for _, p := range rows {
		if !defaulted[p.ID] {
			continue
		}
		if p.CreatedAt.Before(start.Add(-time.Second).Truncate(time.Second)) || p.CreatedAt.After(time.Now()) {
			t.Errorf("row %d (%s): CURRENT_TIMESTAMP read back as %v, not between %v and now", p.ID, p.Name, p.CreatedAt, start)
		}
		if !p.LaunchOn.Equal(time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)) {
			t.Errorf("row %d (%s): CURRENT_DATE read back as %v, want %s", p.ID, p.Name, p.LaunchOn, today.Format(time.DateOnly))
		}
	}
	threshold := time.Now().Add(-time.Hour)
	recent := since(threshold)
	for id := range defaulted {
		if !slices.Contains(recent, id) {
			t.Errorf("row %d, created a second ago by CURRENT_TIMESTAMP, is not among those created in the last hour", id)
		}
	}

	check := func(what string, want, got []int64, sorted bool) {
		t.Helper()
		if !sorted {
			want, got = slices.Sorted(slices.Values(want)), slices.Sorted(slices.Values(got))
		}
		if diff := gocmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", what, diff)
		}
	}
	list := func(q *dbrt.Query[store.Product]) []int64 {
		t.Helper()
		page, err := e.db.ListProducts(ctx, q.First(dbrt.MaxPageSize))
		if err != nil {
			t.Fatal(err)
		}
		return idsOf(page.Items)
	}

	// Typed lists.
	check("ProductCreatedAt.Gte(now - 1h)", recent, list(store.ProductQuery().Where(store.ProductCreatedAt.Gte(threshold))), false)
	check("ProductCreatedAt.Gte(now - 1h in Tokyo)", recent, list(store.ProductQuery().Where(store.ProductCreatedAt.Gte(threshold.In(tokyo)))), false)
	check("ProductCreatedAt.Lt(now - 1h)", diffIDs(ascending, recent), list(store.ProductQuery().Where(store.ProductCreatedAt.Lt(threshold))), false)
	check("OrderBy(ProductCreatedAt.Asc())", ascending, list(store.ProductQuery().OrderBy(store.ProductCreatedAt.Asc())), true)
	check("OrderBy(ProductCreatedAt.Desc())", descending, list(store.ProductQuery().OrderBy(store.ProductCreatedAt.Desc())), true)
	var walked []int64
	q := store.ProductQuery().OrderBy(store.ProductCreatedAt.Asc()).First(4)
	for {
		page, err := e.db.ListProducts(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		walked = append(walked, idsOf(page.Items)...)
		if !page.HasMore {
			break
		}
		q = q.After(page.NextCursor)
	}
	check("keyset pages by created_at", ascending, walked, true)
	check("ProductLaunchOn.Eq(today in UTC)", launchedToday, list(store.ProductQuery().Where(store.ProductLaunchOn.Eq(today))), false)
	check("ProductLaunchOn.Eq(today, constructed in New York)", launchedToday, list(store.ProductQuery().Where(store.ProductLaunchOn.Eq(todayNY))), false)
	for id := range defaulted {
		if !slices.Contains(launchedToday, id) {
			t.Errorf("row %d, launched today by CURRENT_DATE, is not among those launched today", id)
		}
	}
	launching, err := e.db.LaunchingOn(ctx, today)
	if err != nil {
		t.Fatal(err)
	}
	check("LaunchingOn(today)", launchedToday, idsOf(launching), false)

	// Generic CRUD and the admin API, with the threshold in each text form
	// a client may send.
	whole := threshold.Truncate(time.Second)
	forms := []struct {
		name, text string
		at         time.Time
	}{
		{"time.Time", "", threshold},
		{"RFC 3339", whole.UTC().Format(time.RFC3339), whole},
		{"RFC 3339, +09:00", whole.In(tokyo).Format(time.RFC3339), whole},
		{"RFC 3339 with nanoseconds", threshold.UTC().Format(time.RFC3339Nano), threshold},
		{"SQLite's form", whole.UTC().Format(time.DateTime), whole},
		{"SQLite's form with a fraction", threshold.UTC().Format(dbrt.DateTimeLayout), threshold},
	}
	for _, f := range forms {
		var v any = f.text
		if f.text == "" {
			v = f.at
		}
		check("ListRecords created_at gte "+f.name, since(f.at), e.listRecords(t, dbrt.ListRequest{
			Filters: []dbrt.Filter{{Column: "created_at", Op: "gte", Value: v}}}), false)
		if f.text != "" {
			check("admin created_at__gte="+f.text, since(f.at), e.adminRows(t, url.Values{"created_at__gte": {f.text}}), false)
		}
	}
	check("ListRecords sort created_at", ascending, e.listRecords(t, dbrt.ListRequest{Sort: "created_at"}), true)
	check("ListRecords sort -created_at", descending, e.listRecords(t, dbrt.ListRequest{Sort: "-created_at"}), true)
	check("admin sort=created_at", ascending, e.adminRows(t, url.Values{"sort": {"created_at"}}), true)
	check("admin sort=-created_at", descending, e.adminRows(t, url.Values{"sort": {"-created_at"}}), true)
	check("ListRecords launch_on = today", launchedToday, e.listRecords(t, dbrt.ListRequest{
		Filters: []dbrt.Filter{{Column: "launch_on", Value: today.Format(time.DateOnly)}}}), false)
	check("admin launch_on=today", launchedToday, e.adminRows(t, url.Values{"launch_on": {today.Format(time.DateOnly)}}), false)

	// The engine's own functions read every stored form and agree.
	raw := e.rt.Reader()
	sqlIDs := func(query string, args ...any) []int64 {
		t.Helper()
		rs, err := raw.QueryContext(ctx, query, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rs.Close()
		var out []int64
		for rs.Next() {
			var id int64
			if err := rs.Scan(&id); err != nil {
				t.Fatal(err)
			}
			out = append(out, id)
		}
		if err := rs.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	check("SQL ORDER BY created_at, id", ascending, sqlIDs(`SELECT id FROM products ORDER BY created_at, id`), true)
	// Both engines' text of a time: UTC, the fraction only when there is one.
	storedSecond := regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d*[1-9])?$`)
	storedForms := `SELECT created_at || '', launch_on || '' FROM products WHERE id = ?`
	if eng.pg() {
		check("SQL ORDER BY extract(epoch FROM created_at), id", ascending, sqlIDs(`SELECT id FROM products ORDER BY extract(epoch FROM created_at), id`), true)
		check("SQL created_at >= $1", since(whole), sqlIDs(`SELECT id FROM products WHERE created_at >= $1`, whole.UTC().Format(time.DateTime)), false)
		check("SQL launch_on = current_date", launchedToday, sqlIDs(`SELECT id FROM products WHERE launch_on = current_date`), false)
		storedForms = `SELECT (created_at AT TIME ZONE 'UTC')::text, launch_on::text FROM products WHERE id = $1`
	} else {
		check("SQL ORDER BY julianday(created_at), id", ascending, sqlIDs(`SELECT id FROM products ORDER BY julianday(created_at), id`), true)
		check("SQL created_at >= ?", since(whole), sqlIDs(`SELECT id FROM products WHERE created_at >= ?`, whole.UTC().Format(time.DateTime)), false)
		check("SQL launch_on = date('now')", launchedToday, sqlIDs(`SELECT id FROM products WHERE launch_on = date('now')`), false)
	}
	for _, p := range rows {
		var created, launch string
		if err := raw.QueryRowContext(ctx, storedForms, p.ID).Scan(&created, &launch); err != nil {
			t.Fatal(err)
		}
		if !storedSecond.MatchString(created) || created != p.CreatedAt.UTC().Format(dbrt.DateTimeLayout) {
			t.Errorf("row %d (%s): created_at stored as %q, want %q", p.ID, p.Name, created, p.CreatedAt.UTC().Format(dbrt.DateTimeLayout))
		}
		if launch != p.LaunchOn.Format(time.DateOnly) {
			t.Errorf("row %d (%s): launch_on stored as %q, want %q", p.ID, p.Name, launch, p.LaunchOn.Format(time.DateOnly))
		}
		if eng.pg() {
			continue
		}
		// SQLite's date functions work in milliseconds, rounded.
		var normal string
		if err := raw.QueryRowContext(ctx, `SELECT datetime(created_at, 'subsec') FROM products WHERE id = ?`, p.ID).Scan(&normal); err != nil {
			t.Fatal(err)
		}
		if got, err := time.Parse(dbrt.DateTimeLayout, normal); err != nil || got.Sub(p.CreatedAt).Abs() > 500*time.Microsecond {
			t.Errorf("row %d (%s): datetime(created_at, 'subsec') = %q, want %v", p.ID, p.Name, normal, p.CreatedAt.UTC())
		}
	}
}

// TestTimeTextKeepsItsDate writes DATE and DATETIME columns as text with a
// zone, as generic CRUD and the admin API take them: a DATETIME is the
// instant the text names, a DATE the calendar date the text names (the
// rule of the Go path: 2024-03-10T00:00+09:00 is 2024-03-10, whatever date
// it is in UTC), and filters given the same text find the row. On both
// engines, each stored as its text says.
func TestTimeTextKeepsItsDate(t *testing.T) { onEngines(t, testTimeTextKeepsItsDate) }

func testTimeTextKeepsItsDate(t *testing.T, eng engine) {
	e := openStore(t, eng)
	const (
		launch       = "2024-03-10T00:00:00+09:00"      // 2024-03-09 in UTC
		discontinued = "2024-03-10T23:30:00-05:00"      // 2024-03-11 in UTC
		created      = "2024-03-10T00:00:00.5+09:00"    // 2024-03-09 15:00:00.5 UTC
		updated      = "2024-03-10 07:08:09.123 +05:45" // SQLite's zone spelling
	)
	wantLaunch, wantDiscontinued := "2024-03-10", "2024-03-10"
	wantCreated, wantUpdated := "2024-03-09 15:00:00.5", "2024-03-10 01:23:09.123"
	rec := map[string]any{"name": "zoned text", "launch_on": launch, "discontinued_on": discontinued, "created_at": created, "updated_at": updated}

	var ids []int64
	r := map[string]any{"sku": "Runtime.Create"}
	for k, v := range rec {
		r[k] = v
	}
	got, err := e.rt.Create(e.ctx, "products", r)
	if err != nil {
		t.Fatalf("Runtime.Create: %v", err)
	}
	ids = append(ids, productFromRecord(got).p.ID)
	r["sku"] = "admin POST"
	id, _, err := e.adminWrite(http.MethodPost, productsPath+"/records", http.StatusCreated, r)
	if err != nil {
		t.Fatal(err)
	}
	ids = append(ids, id)
	ph, err := e.placeholder()
	if err != nil {
		t.Fatal(err)
	}
	delete(r, "sku")
	if _, err := e.rt.Update(e.ctx, "products", map[string]any{"id": ph.ID}, r); err != nil {
		t.Fatalf("Runtime.Update: %v", err)
	}
	ids = append(ids, ph.ID)

	paths := []string{"Runtime.Create", "admin POST", "Runtime.Update"}
	stored := `SELECT launch_on || '', discontinued_on || '', created_at || '', updated_at || '' FROM products WHERE id = ?`
	if eng.pg() {
		stored = `SELECT launch_on::text, discontinued_on::text, (created_at AT TIME ZONE 'UTC')::text, (updated_at AT TIME ZONE 'UTC')::text FROM products WHERE id = $1`
	}
	for i, id := range ids {
		var l, d, c, u string
		if err := e.rt.Reader().QueryRowContext(e.ctx, stored, id).
			Scan(&l, &d, &c, &u); err != nil {
			t.Fatal(err)
		}
		got := [4]string{l, d, c, u}
		want := [4]string{wantLaunch, wantDiscontinued, wantCreated, wantUpdated}
		for j, col := range []string{"launch_on", "discontinued_on", "created_at", "updated_at"} {
			if got[j] != want[j] {
				t.Errorf("%s: %s %q stored as %q, want %q", paths[i], col, rec[col], got[j], want[j])
			}
		}
	}

	for _, f := range []struct{ col, text string }{{"launch_on", launch}, {"launch_on", wantLaunch}, {"created_at", created}} {
		got := e.listRecords(t, dbrt.ListRequest{Filters: []dbrt.Filter{{Column: f.col, Value: f.text}}})
		if !slices.Equal(slices.Sorted(slices.Values(got)), ids) {
			t.Errorf("ListRecords %s = %q finds rows %v, want %v", f.col, f.text, got, ids)
		}
		got = e.adminRows(t, url.Values{f.col: {f.text}})
		if !slices.Equal(slices.Sorted(slices.Values(got)), ids) {
			t.Errorf("admin %s=%s finds rows %v, want %v", f.col, f.text, got, ids)
		}
	}
}

func idsOf(ps []store.Product) []int64 {
	out := make([]int64, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

// diffIDs is every id of all not in some, in the order of all.
func diffIDs(all, some []int64) []int64 {
	var out []int64
	for _, id := range all {
		if !slices.Contains(some, id) {
			out = append(out, id)
		}
	}
	return out
}

func (e *env) listRecords(t *testing.T, req dbrt.ListRequest) []int64 {
	t.Helper()
	req.PageSize = dbrt.MaxPageSize
	page, err := e.rt.ListRecords(e.ctx, "products", req)
	if err != nil {
		t.Fatalf("ListRecords %+v: %v", req, err)
	}
	var out []int64
	for _, rec := range page.Records {
		out = append(out, productFromRecord(rec).p.ID)
	}
	return out
}

func (e *env) adminRows(t *testing.T, q url.Values) []int64 {
	t.Helper()
	q.Set("page_size", strconv.Itoa(dbrt.MaxPageSize))
	code, data, _ := e.call(http.MethodGet, productsPath+"?"+q.Encode(), nil)
	var resp struct {
		Records []struct {
			ID int64 `json:"id"`
		} `json:"records"`
	}
	if code != http.StatusOK || json.Unmarshal(data, &resp) != nil {
		t.Fatalf("admin GET rows ?%s: %d %s", q.Encode(), code, data)
	}
	var out []int64
	for _, r := range resp.Records {
		out = append(out, r.ID)
	}
	return out
}
