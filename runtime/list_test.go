package runtime

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Typed columns of users, as a generated package declares them.
var (
	usersTable = shopDef().Table("users")
	uID        = NewCol[user, int64](usersTable, "id")
	uEmail     = NewCol[user, string](usersTable, "email")
	uName      = NewCol[user, string](usersTable, "name")
	uAge       = NewCol[user, sql.NullInt64](usersTable, "age")
	uStatus    = NewCol[user, sql.NullString](usersTable, "status")
	uScore     = NewCol[user, sql.NullFloat64](usersTable, "score")
	usersTT    = NewTypedTable(usersTable, scanUser)
)

var (
	names    = []string{"ann", "Bob", "bob", "carl", "dora", "Émile", "zed"}
	statuses = []string{"active", "blocked", "new"}
)

func randomUser(r *rand.Rand, n int) map[string]any {
	rec := map[string]any{"email": fmt.Sprintf("u%05d-%d@x", n, r.IntN(1e6)), "name": names[r.IntN(len(names))]}
	if r.IntN(5) > 0 {
		rec["age"] = r.IntN(30) // few values: many ties
	}
	if r.IntN(4) > 0 {
		rec["status"] = statuses[r.IntN(len(statuses))]
	}
	if r.IntN(3) > 0 {
		rec["score"] = float64(r.IntN(8)) / 4
	}
	return rec
}

func seedUsers(t testing.TB, db *DB, r *rand.Rand, from, n int) {
	t.Helper()
	rows := make([]map[string]any, n)
	for i := range rows {
		rows[i] = randomUser(r, from+i)
	}
	// Rows add only the columns they have, as generated code does with
	// Opt fields: the batch mixes sets of columns.
	cols := []string{"email", "name", "age", "status", "score"}
	_, err := InsertMany[struct{}](context.Background(), db, usersTable, n, func(i int, v *Values) {
		for j, c := range cols {
			if val, ok := rows[i][c]; ok {
				v.Add(1+j, val)
			}
		}
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
}

// The reference: SQLite's order for the values of this fixture (NULL first,
// numbers, then text compared bytewise), with the id as final tiebreak.
type refKey struct {
	get  func(user) any
	desc bool
}

var refGetters = map[string]func(user) any{
	"id":    func(u user) any { return u.ID },
	"email": func(u user) any { return u.Email },
	"name":  func(u user) any { return u.Name },
	"age": func(u user) any {
		if !u.Age.Valid {
			return nil
		}
		return u.Age.Int64
	},
	"status": func(u user) any {
		if !u.Status.Valid {
			return nil
		}
		return u.Status.String
	},
	"score": func(u user) any {
		if !u.Score.Valid {
			return nil
		}
		return u.Score.Float64
	},
}

func compareSQL(a, b any) int {
	rank := func(v any) int {
		switch v.(type) {
		case nil:
			return 0
		case int64, float64:
			return 1
		case string:
			return 2
		}
		return 3
	}
	if ra, rb := rank(a), rank(b); ra != rb || ra == 0 {
		return cmp.Compare(ra, rb)
	}
	switch a := a.(type) {
	case int64:
		return cmp.Compare(float64(a), toFloat(b))
	case float64:
		return cmp.Compare(a, toFloat(b))
	case string:
		return strings.Compare(a, b.(string))
	}
	return bytes.Compare(a.([]byte), b.([]byte))
}

func toFloat(v any) float64 {
	if i, ok := v.(int64); ok {
		return float64(i)
	}
	return v.(float64)
}

func refCompare(keys []refKey) func(a, b user) int {
	// The key breaks ties in the direction of the last sort key.
	keys = append(keys, refKey{get: refGetters["id"], desc: len(keys) > 0 && keys[len(keys)-1].desc})
	return func(a, b user) int {
		for _, k := range keys {
			c := compareSQL(k.get(a), k.get(b))
			if k.desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return 0
	}
}

// A filter both as a condition and as its reference predicate.
type refFilter struct {
	name string
	cond Cond[user]
	keep func(user) bool
}

func refFilters() []refFilter {
	active := sql.NullString{String: "active", Valid: true}
	return []refFilter{
		{"age>10", uAge.Gt(sql.NullInt64{Int64: 10, Valid: true}), func(u user) bool { return u.Age.Valid && u.Age.Int64 > 10 }},
		{"age<=5", uAge.Lte(sql.NullInt64{Int64: 5, Valid: true}), func(u user) bool { return u.Age.Valid && u.Age.Int64 <= 5 }},
		{"status=active", uStatus.Eq(active), func(u user) bool { return u.Status == active }},
		{"status is null", uStatus.Eq(sql.NullString{}), func(u user) bool { return !u.Status.Valid }},
		{"status<>active", uStatus.NotEq(active), func(u user) bool { return u.Status.Valid && u.Status != active }},
		{"status in", uStatus.In(active, sql.NullString{String: "new", Valid: true}), func(u user) bool {
			return u.Status.Valid && (u.Status.String == "active" || u.Status.String == "new")
		}},
		{"name like b%", uName.Like("b%"), func(u user) bool { return strings.HasPrefix(strings.ToLower(u.Name), "b") }},
		{"score not null", uScore.NotNull(), func(u user) bool { return u.Score.Valid }},
		{"score null", uScore.IsNull(), func(u user) bool { return !u.Score.Valid }},
		{"score>=1", uScore.Gte(sql.NullFloat64{Float64: 1, Valid: true}), func(u user) bool { return u.Score.Valid && u.Score.Float64 >= 1 }},
		{"name=bob", uName.Eq("bob"), func(u user) bool { return u.Name == "bob" }},
		{"id<100", uID.Lt(100), func(u user) bool { return u.ID < 100 }},
		{"email>=u001", uEmail.Gte("u001"), func(u user) bool { return u.Email >= "u001" }},
		{"age<3 or status=blocked", Or(uAge.Lt(sql.NullInt64{Int64: 3, Valid: true}), uStatus.Eq(sql.NullString{String: "blocked", Valid: true})),
			func(u user) bool { return u.Age.Valid && u.Age.Int64 < 3 || u.Status.String == "blocked" }},
		{"in nothing", uName.In(), func(user) bool { return false }},
		{"empty or", Or[user](), func(user) bool { return false }},
		{"empty and", And[user](), func(user) bool { return true }},
	}
}

var sortable = []string{"name", "age", "status", "score", "email", "id"}

// randomOrder picks 0-3 sort columns with random directions.
func randomOrder(r *rand.Rand) ([]Order[user], []refKey, string) {
	var orders []Order[user]
	var keys []refKey
	var desc []string
	for _, i := range r.Perm(len(sortable))[:r.IntN(4)] {
		name := sortable[i]
		d := r.IntN(2) == 1
		o := Order[user]{col: name, desc: d}
		orders = append(orders, o)
		keys = append(keys, refKey{get: refGetters[name], desc: d})
		desc = append(desc, map[bool]string{true: "-", false: ""}[d]+name)
	}
	return orders, keys, strings.Join(desc, ",")
}

func allUsers(t testing.TB, db *DB) []user {
	t.Helper()
	rows, err := db.Reader().Query("SELECT id, email, name, age, status, score, avatar, name_upper FROM users")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []user
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, u)
	}
	return out
}

func TestListAgainstReference(t *testing.T) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	db := openShop(t)
	seedUsers(t, db, r, 0, 400)
	all := allUsers(t, db)
	filters := refFilters()

	for round := range 120 {
		orders, keys, orderName := randomOrder(r)
		var conds []Cond[user]
		var keeps []func(user) bool
		var fnames []string
		for _, i := range r.Perm(len(filters))[:r.IntN(3)] {
			conds = append(conds, filters[i].cond)
			keeps = append(keeps, filters[i].keep)
			fnames = append(fnames, filters[i].name)
		}
		want := slices.DeleteFunc(slices.Clone(all), func(u user) bool {
			for _, keep := range keeps {
				if !keep(u) {
					return true
				}
			}
			return false
		})
		slices.SortFunc(want, refCompare(keys))
		size := 1 + r.IntN(60)
		name := fmt.Sprintf("%d sort=%q where=%q size=%d", round, orderName, fnames, size)

		// Keyset pages.
		q := NewQuery[user](usersTable).Where(conds...).OrderBy(orders...).First(size)
		var got []user
		for pages := 0; ; pages++ {
			page, err := usersTT.List(ctx, db, q)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if page.Total != -1 || len(page.Items) > size || page.HasMore != (page.NextCursor != "") {
				t.Fatalf("%s: page %d: total %d, %d items, more %v", name, pages, page.Total, len(page.Items), page.HasMore)
			}
			got = append(got, page.Items...)
			if !page.HasMore {
				break
			}
			q = q.After(page.NextCursor)
		}
		if diff := gocmp.Diff(want, got, cmpEmpty); diff != "" {
			t.Fatalf("%s: keyset pages (-want +got):\n%s", name, diff)
		}

		// One offset page, with the total.
		offset := r.IntN(len(want) + 1)
		page, err := usersTT.List(ctx, db, NewQuery[user](usersTable).Where(conds...).OrderBy(orders...).
			First(size).Offset(offset).WithTotal())
		if err != nil {
			t.Fatalf("%s: offset %d: %v", name, offset, err)
		}
		end := min(offset+size, len(want))
		if diff := gocmp.Diff(want[offset:end], page.Items, cmpEmpty); diff != "" || page.Total != int64(len(want)) || page.HasMore != (end < len(want)) {
			t.Fatalf("%s: offset %d: total %d more %v (-want +got):\n%s", name, offset, page.Total, page.HasMore, diff)
		}
	}
}

var cmpEmpty = cmpopts.EquateEmpty()

// TestKeysetWhileInserting inserts rows between pages, some of which sort
// before the cursor and some after: no row that existed at the start may be
// skipped, and no row may come twice or out of order.
func TestKeysetWhileInserting(t *testing.T) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(3, 4))
	db := openShop(t)
	seedUsers(t, db, r, 0, 300)
	next := 300
	for round := range 40 {
		orders, keys, orderName := randomOrder(r)
		before := allUsers(t, db)
		q := NewQuery[user](usersTable).OrderBy(orders...).First(1 + r.IntN(25))
		var got []user
		for pages := 0; ; pages++ {
			page, err := usersTT.List(ctx, db, q)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, page.Items...)
			if !page.HasMore {
				break
			}
			// Inserting on every page could outrun the reader forever.
			if pages < 8 {
				seedUsers(t, db, r, next, 1+r.IntN(5))
				next += 5
			}
			q = q.After(page.NextCursor)
		}
		less := refCompare(keys)
		for i := 1; i < len(got); i++ {
			if less(got[i-1], got[i]) >= 0 {
				t.Fatalf("round %d sort %q: rows %d and %d out of order or repeated: %+v, %+v", round, orderName, i-1, i, got[i-1], got[i])
			}
		}
		seen := map[int64]bool{}
		for _, u := range got {
			seen[u.ID] = true
		}
		for _, u := range before {
			if !seen[u.ID] {
				t.Fatalf("round %d sort %q: row %d skipped", round, orderName, u.ID)
			}
		}
	}
}

func TestListRowIDTableAndView(t *testing.T) {
	ctx := context.Background()
	db := openShop(t)
	// A table keyed by its rowid is read with the rowid first.
	type note struct {
		RowID int64
		Body  sql.NullString
	}
	scanNote := func(s Scanner) (note, error) { var n note; return n, s.Scan(&n.RowID, &n.Body) }
	for i := range 25 {
		body := any(fmt.Sprintf("n%d", i%3))
		if i%4 == 0 {
			body = nil
		}
		if _, err := db.Create(ctx, "notes", map[string]any{"body": body}); err != nil {
			t.Fatal(err)
		}
	}
	notes := shopDef().Table("notes")
	notesTT := NewTypedTable(notes, scanNote)
	bodyCol := NewCol[note, sql.NullString](notes, "body")
	var got []note
	q := NewQuery[note](notes).OrderBy(bodyCol.Desc()).First(4)
	for {
		page, err := notesTT.List(ctx, db, q)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, page.Items...)
		if !page.HasMore {
			break
		}
		q = q.After(page.NextCursor)
	}
	if len(got) != 25 || got[0].Body.String != "n2" || got[24].Body.Valid {
		t.Errorf("notes by body desc: %d rows, first %v last %v", len(got), got[0], got[24])
	}

	// A view has no key: the tiebreak is all of its columns.
	for i := range 7 {
		if _, err := db.Create(ctx, "users", map[string]any{"email": fmt.Sprintf("v%d@x", i), "name": "v", "status": "active"}); err != nil {
			t.Fatal(err)
		}
	}
	view := shopDef().Table("active_users")
	type active struct {
		ID          int64
		Email, Name string
	}
	scanActive := func(s Scanner) (active, error) { var a active; return a, s.Scan(&a.ID, &a.Email, &a.Name) }
	activeTT := NewTypedTable(view, scanActive)
	// A view's rows may repeat, and keyset pages would skip the copies of
	// a row that a page boundary falls between: views page by offset.
	var ids []int64
	vq := NewQuery[active](view).First(3)
	for offset := 0; ; offset += 3 {
		page, err := activeTT.List(ctx, db, vq.Offset(offset))
		if err != nil {
			t.Fatal(err)
		}
		if page.NextCursor != "" {
			t.Errorf("a page of a view has a cursor: %q", page.NextCursor)
		}
		for _, a := range page.Items {
			ids = append(ids, a.ID)
		}
		if !page.HasMore {
			break
		}
	}
	if diff := gocmp.Diff([]int64{1, 2, 3, 4, 5, 6, 7}, ids); diff != "" {
		t.Errorf("view pages (-want +got):\n%s", diff)
	}
	cursor, err := encodeCursor(orderSignature(view.Name, []sortKey{{col: "id"}, {col: "email"}, {col: "name"}}),
		[]any{int64(3), "v2@x", "v"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = activeTT.List(ctx, db, NewQuery[active](view).After(cursor))
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeValidationFailed || !strings.Contains(e.Message, "offset") {
		t.Errorf("keyset page of a view: %v, want VALIDATION_FAILED that points to offset pages", err)
	}
}

func TestListRejects(t *testing.T) {
	ctx := context.Background()
	db := openShop(t)
	seedUsers(t, db, rand.New(rand.NewPCG(5, 6)), 0, 20)
	first, err := usersTT.List(ctx, db, NewQuery[user](usersTable).OrderBy(uName.Asc()).First(5))
	if err != nil || first.NextCursor == "" {
		t.Fatal(err)
	}
	ghost := NewCol[user, string](usersTable, "nope")
	tests := []struct {
		name string
		q    *Query[user]
		code Code
	}{
		{"cursor of another order", NewQuery[user](usersTable).OrderBy(uName.Desc()).After(first.NextCursor), CodeValidationFailed},
		{"cursor of no order", NewQuery[user](usersTable).After(first.NextCursor), CodeValidationFailed},
		{"garbage cursor", NewQuery[user](usersTable).After("!!not base64"), CodeValidationFailed},
		{"base64 but not a cursor", NewQuery[user](usersTable).After("e30"), CodeValidationFailed},
		{"cursor and offset", NewQuery[user](usersTable).OrderBy(uName.Asc()).After(first.NextCursor).Offset(3), CodeValidationFailed},
		{"negative offset", NewQuery[user](usersTable).Offset(-1), CodeValidationFailed},
		{"unknown filter column", NewQuery[user](usersTable).Where(ghost.Eq("x")), CodeColumnNotFound},
		{"unknown sort column", NewQuery[user](usersTable).OrderBy(ghost.Asc()), CodeColumnNotFound},
		{"unknown column deep in Or", NewQuery[user](usersTable).Where(Or(uName.Eq("a"), And(ghost.IsNull()))), CodeColumnNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := usersTT.List(ctx, db, tt.q)
			var e *Error
			if !errors.As(err, &e) || e.Code != tt.code {
				t.Errorf("err = %v, want %s", err, tt.code)
			}
		})
	}
	// A nil query is the first page of every row; a query over another
	// table is refused.
	if page, err := usersTT.List(ctx, db, (*Query[user])(nil)); err != nil || len(page.Items) != 20 {
		t.Errorf("nil query: %d items, %v; want all 20", len(page.Items), err)
	}
	if _, err := usersTT.List(ctx, db, NewQuery[user](shopDef().Table("users"))); !errors.Is(err, ErrValidation) {
		t.Errorf("query over another table: %v, want VALIDATION_FAILED", err)
	}
}

// TestListPageSize: First(n) gives n rows, DefaultPageSize for 0, and a
// size beyond MaxPageSize (or below 0) is refused with ErrValidation naming
// the limit, as the admin API's page_size is, rather than cut to
// MaxPageSize (First(5000) used to return 1000 rows and no error).
// ListRecords refuses such a PageSize alike.
func TestListPageSize(t *testing.T) {
	ctx := context.Background()
	db := openShop(t)
	seedUsers(t, db, rand.New(rand.NewPCG(7, 8)), 0, MaxPageSize+20)
	for _, tt := range []struct{ first, want int }{{0, DefaultPageSize}, {7, 7}, {MaxPageSize, MaxPageSize}} {
		page, err := usersTT.List(ctx, db, NewQuery[user](usersTable).First(tt.first))
		if err != nil || len(page.Items) != tt.want || !page.HasMore {
			t.Errorf("First(%d): %d items, more %v, %v; want %d", tt.first, len(page.Items), page.HasMore, err, tt.want)
		}
	}
	limit := strconv.Itoa(MaxPageSize)
	for _, n := range []int{MaxPageSize + 1, 5000, 100000, -3} {
		page, err := usersTT.List(ctx, db, NewQuery[user](usersTable).First(n))
		if !errors.Is(err, ErrValidation) || !strings.Contains(err.Error(), limit) || len(page.Items) != 0 {
			t.Errorf("First(%d): %d items, %v; want ErrValidation naming %s", n, len(page.Items), err, limit)
		}
	}
	for _, n := range []int{MaxPageSize + 1, 100000} {
		_, err := db.ListRecords(ctx, "users", ListRequest{PageSize: n})
		if !errors.Is(err, ErrValidation) || !strings.Contains(err.Error(), limit) {
			t.Errorf("ListRecords PageSize %d: %v; want ErrValidation naming %s", n, err, limit)
		}
	}
	if page, err := db.ListRecords(ctx, "users", ListRequest{PageSize: MaxPageSize}); err != nil || len(page.Records) != MaxPageSize {
		t.Errorf("ListRecords PageSize MaxPageSize: %d records, %v", len(page.Records), err)
	}
}

// The query builder returns copies: refining a shared base leaves it alone.
func TestQueryIsImmutable(t *testing.T) {
	base := NewQuery[user](usersTable).Where(uName.Eq("a"))
	_ = base.Where(uAge.IsNull()).OrderBy(uName.Desc()).First(3)
	if len(base.spec.where) != 1 || len(base.spec.order) != 0 || base.spec.limit != 0 {
		t.Errorf("base changed: %+v", base.spec)
	}
}

// eventsKeysDef is a table whose values the driver changes on the way out
// (TIMESTAMP text and numbers come back as time.Time, BOOLEAN 0 and 1 as
// bool) or that holds every storage class (val has no declared type).
var eventsKeysDef = &Definition{
	Name: "events",
	DDL:  `CREATE TABLE events (id INTEGER PRIMARY KEY, at TIMESTAMP, flag BOOLEAN, val, n INTEGER NOT NULL, name TEXT NOT NULL);`,
	Tables: []Table{{
		Name: "events",
		Columns: []Column{
			{Name: "id", SQLType: "INTEGER", GoType: "int64", PrimaryKey: true, RowID: true},
			{Name: "at", SQLType: "TIMESTAMP", GoType: "sql.NullTime", Nullable: true},
			{Name: "flag", SQLType: "BOOLEAN", GoType: "sql.NullBool", Nullable: true},
			{Name: "val", GoType: "any", Nullable: true},
			{Name: "n", SQLType: "INTEGER", GoType: "int64"},
			{Name: "name", SQLType: "TEXT", GoType: "string"},
		},
		PrimaryKey: []string{"id"},
	}},
}

type event struct {
	ID   int64
	At   any
	Flag sql.NullBool
	Val  any
	N    int // not the driver's int64: database/sql converts it
	Name upperName
}

// upperName is a custom sql.Scanner.
type upperName string

func (u *upperName) Scan(src any) error {
	s, ok := src.(string)
	if !ok {
		return fmt.Errorf("name: %T", src)
	}
	*u = upperName(strings.ToUpper(s))
	return nil
}

func scanEvent(s Scanner) (event, error) {
	var e event
	return e, s.Scan(&e.ID, &e.At, &e.Flag, &e.Val, &e.N, &e.Name)
}

// TestKeysetExactValues pages through every order of those columns: the
// cursor must bind back each stored value exactly, or pages would skip or
// repeat rows where SQLite's order puts them.
func TestKeysetExactValues(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, t.TempDir(), eventsKeysDef)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ats := []any{nil, "2024-01-02T03:04:05Z", "2024-01-02 03:04:05", "2024-01-02T03:04:05.5+02:00", int64(1700000000), 2460000.5}
	vals := []any{nil, int64(3), 3.5, int64(9007199254740993), "3", "abc", "2024-05-06T07:08:09Z", []byte("3"), []byte{0, 255}, ""}
	flags := []any{nil, int64(0), int64(1)}
	r := rand.New(rand.NewPCG(9, 10))
	for i := range 90 {
		if _, err := db.Writer().ExecContext(ctx, "INSERT INTO events (at, flag, val, n, name) VALUES (?, ?, ?, ?, ?)",
			ats[r.IntN(len(ats))], flags[r.IntN(len(flags))], vals[r.IntN(len(vals))], r.IntN(4), fmt.Sprintf("e%d", i%7)); err != nil {
			t.Fatal(err)
		}
	}
	// What database/sql itself writes into the caller's destinations.
	byID := map[int64]event{}
	rows, err := db.Reader().QueryContext(ctx, "SELECT id, at, flag, val, n, name FROM events")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			t.Fatal(err)
		}
		byID[e.ID] = e
	}
	rows.Close()
	table := &eventsKeysDef.Tables[0]
	eventsTT := NewTypedTable(table, scanEvent)
	col := func(name string) Col[event, any] { return NewCol[event, any](table, name) }
	orders := [][]Order[event]{
		{col("at").Asc()}, {col("at").Desc()},
		{col("flag").Asc()}, {col("flag").Desc()},
		{col("val").Asc()}, {col("val").Desc()},
		{col("n").Desc()}, {col("name").Asc()},
		{col("flag").Asc(), col("at").Desc()},
		{col("val").Desc(), col("n").Asc()},
		{col("at").Asc(), col("val").Asc(), col("name").Desc()},
	}
	for _, order := range orders {
		var terms []string
		for _, o := range order {
			terms = append(terms, o.col+map[bool]string{true: " DESC"}[o.desc])
		}
		terms = append(terms, "id"+map[bool]string{true: " DESC"}[order[len(order)-1].desc])
		var want []int64
		rows, err = db.Reader().QueryContext(ctx, "SELECT id FROM events ORDER BY "+strings.Join(terms, ", "))
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			want = append(want, id)
		}
		rows.Close()
		for _, size := range []int{1, 4, 11} {
			var got []int64
			q := NewQuery[event](table).OrderBy(order...).First(size)
			for {
				page, err := eventsTT.List(ctx, db, q)
				if err != nil {
					t.Fatalf("%q size %d: %v", terms, size, err)
				}
				for _, e := range page.Items {
					if diff := gocmp.Diff(byID[e.ID], e); diff != "" {
						t.Fatalf("%q: row %d not scanned as database/sql does (-want +got):\n%s", terms, e.ID, diff)
					}
					got = append(got, e.ID)
				}
				if !page.HasMore {
					break
				}
				q = q.After(page.NextCursor)
			}
			if diff := gocmp.Diff(want, got); diff != "" {
				t.Fatalf("%q size %d: keyset pages (-want +got):\n%s", terms, size, diff)
			}
		}
	}
}

// Only keys the caller does not read, or that the driver reads as a
// time.Time, are selected a second time.
func TestKeySources(t *testing.T) {
	table := &eventsKeysDef.Tables[0]
	keys := []sortKey{{col: "at"}, {col: "flag"}, {col: "val"}, {col: "n"}, {col: "name"}, {col: "rowid"}, {col: "id"}}
	got := keySources(table, table.RecordColumns(), keys)
	if diff := gocmp.Diff([]int{-1, 2, 3, 4, 5, -1, 0}, got); diff != "" {
		t.Errorf("keySources (-want +got):\n%s", diff)
	}
}
