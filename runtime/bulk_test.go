package runtime

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Column positions in users (shopDef), as generated code numbers them.
const (
	colUserID = iota
	colUserEmail
	colUserName
	colUserAge
	colUserStatus
	colUserScore
	colUserAvatar
	colUserNameUpper
)

func TestInsertMany(t *testing.T) {
	ctx := context.Background()
	// Row counts around the chunk size: a single partial chunk, exactly one
	// full chunk, full chunks plus a remainder.
	for _, n := range []int{0, 1, bulkRows - 1, bulkRows, 2*bulkRows + 7} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			db := openShop(t)
			got, err := InsertMany(ctx, db, usersTable, n, func(i int, v *Values) {
				v.Add(colUserEmail, fmt.Sprintf("u%d@x", i))
				v.Add(colUserName, "name")
				v.Add(colUserAge, i)
			}, scanID)
			if err != nil {
				t.Fatal(err)
			}
			var want []int64
			for i := range n {
				want = append(want, int64(i+1))
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("returned keys, in input order (-want +got):\n%s", diff)
			}
			// Each key is the row that input row wrote.
			for i, id := range got {
				var email string
				if err := db.Reader().QueryRow("SELECT email FROM users WHERE id = ?", id).Scan(&email); err != nil || email != fmt.Sprintf("u%d@x", i) {
					t.Fatalf("row %d: key %d holds %q, %v", i, id, email, err)
				}
			}
			var count, ageSum int
			db.Reader().QueryRow("SELECT count(*), coalesce(sum(age), 0) FROM users").Scan(&count, &ageSum)
			if count != n || ageSum != n*(n-1)/2 {
				t.Errorf("%d rows, age sum %d", count, ageSum)
			}
		})
	}
}

func TestInsertManyDefaultValuesAndNoReturning(t *testing.T) {
	ctx := context.Background()
	db := openShop(t)
	notes := shopDef().Table("notes")
	ids, err := InsertMany(ctx, db, notes, 3, func(int, *Values) {}, scanID)
	if err != nil || !cmp.Equal([]int64{1, 2, 3}, ids) {
		t.Errorf("DEFAULT VALUES: %v, %v", ids, err)
	}
	none, err := InsertMany[int](ctx, db, notes, 5, func(i int, v *Values) { v.Add(0, "b") }, nil)
	if err != nil || none != nil {
		t.Errorf("without returning: %v, %v", none, err)
	}
	var n int
	db.Reader().QueryRow("SELECT count(*) FROM notes WHERE body = 'b'").Scan(&n)
	if n != 5 {
		t.Errorf("%d rows written without returning, want 5", n)
	}
}

// A failing row rolls back the whole batch: InsertMany is all or nothing.
func TestInsertManyAtomic(t *testing.T) {
	ctx := context.Background()
	db := openShop(t)
	_, err := InsertMany[int](ctx, db, usersTable, 1200, func(i int, v *Values) {
		email := fmt.Sprintf("u%d@x", i)
		if i == 1100 {
			email = "u3@x" // duplicate, in the last chunk
		}
		v.Add(colUserEmail, email)
		v.Add(colUserName, "n")
	}, nil)
	if !errors.Is(err, ErrConstraint) {
		t.Fatalf("err = %v, want a constraint violation", err)
	}
	var count int
	db.Reader().QueryRow("SELECT count(*) FROM users").Scan(&count)
	if count != 0 {
		t.Errorf("%d rows left behind", count)
	}
}

func TestInsertManyRejects(t *testing.T) {
	ctx := context.Background()
	db := openShop(t)
	def := shopDef()
	body := func(i int, v *Values) { v.Add(0, "x") }
	keyless := &Table{Name: "notes", Columns: def.Table("notes").Columns}
	tests := []struct {
		name   string
		table  *Table
		n      int
		values func(int, *Values)
		key    func(Scanner) (int64, error)
		code   Code
	}{
		{"nil table", nil, 1, body, nil, CodeValidationFailed},
		{"view", def.Table("active_users"), 1, body, nil, CodeValidationFailed},
		{"negative count", def.Table("notes"), -1, body, nil, CodeValidationFailed},
		{"nil values", def.Table("notes"), 1, nil, nil, CodeValidationFailed},
		{"key of a table without one", keyless, 1, body, scanID, CodeValidationFailed},
		{"column past the table", def.Table("notes"), 1, func(i int, v *Values) { v.Add(3, "x") }, nil, CodeInternal},
		{"column past the mask", def.Table("notes"), 1, func(i int, v *Values) { v.Add(70, "x") }, nil, CodeInternal},
		{"generated column", usersTable, 1, func(i int, v *Values) {
			v.Add(colUserEmail, "g@x")
			v.Add(colUserName, "g")
			v.Add(colUserNameUpper, "G")
		}, nil, CodeValidationFailed},
		{"NaN", usersTable, 1, func(i int, v *Values) {
			v.Add(colUserEmail, "nan@x")
			v.Add(colUserName, "n")
			v.Add(colUserScore, math.NaN())
		}, nil, CodeValidationFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := InsertMany(ctx, db, tt.table, tt.n, tt.values, tt.key)
			var e *Error
			if !errors.As(err, &e) || e.Code != tt.code {
				t.Errorf("err = %v, want %s", err, tt.code)
			}
		})
	}
	var n int
	db.Reader().QueryRow("SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM notes)").Scan(&n)
	if n != 0 {
		t.Errorf("%d rows written by refused batches", n)
	}
}

// TestInsertManyRowIDKeys checks the keys InsertMany returns against what
// SQLite assigns to the same rows inserted one at a time with RETURNING, on
// tables where SQLite's rowids are not simply max+1: a REPLACE that deletes
// an earlier row of the batch, a trigger that inserts rows of its own
// (which takes the keys from RETURNING), an implicit rowid.
func TestInsertManyRowIDKeys(t *testing.T) {
	ctx := context.Background()
	ddl := `
CREATE TABLE plain (id INTEGER PRIMARY KEY, v TEXT);
CREATE TABLE replaced (id INTEGER PRIMARY KEY, v TEXT UNIQUE ON CONFLICT REPLACE);
CREATE TABLE triggered (id INTEGER PRIMARY KEY, v TEXT);
CREATE TRIGGER echo AFTER INSERT ON triggered WHEN NEW.v <> 'echo' BEGIN
	INSERT INTO triggered (v) VALUES ('echo');
END;
CREATE TABLE implicit (v TEXT);`
	col := func(name string) []Column {
		return []Column{{Name: name, SQLType: "TEXT", GoType: "string", Nullable: true}}
	}
	idv := append([]Column{{Name: "id", SQLType: "INTEGER", GoType: "int64", PrimaryKey: true, RowID: true}}, col("v")...)
	def := &Definition{Name: "keys", DDL: ddl, Tables: []Table{
		{Name: "plain", Columns: idv, PrimaryKey: []string{"id"}},
		{Name: "replaced", Columns: idv, PrimaryKey: []string{"id"}},
		{Name: "triggered", Columns: idv, PrimaryKey: []string{"id"}},
		{Name: "implicit", Columns: col("v"), PrimaryKey: []string{"rowid"}},
	}}
	open := func(t *testing.T) *DB {
		db, err := Open(ctx, t.TempDir(), def)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		// Start above 1, with a hole, so that "max+1" and "count+1" differ.
		for _, table := range []string{"plain", "replaced", "triggered", "implicit"} {
			if _, err := db.Writer().Exec("INSERT INTO " + table + " (rowid, v) VALUES (10, 'a'), (40, 'b')"); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Writer().Exec("DELETE FROM " + table + " WHERE rowid = 10"); err != nil {
				t.Fatal(err)
			}
		}
		return db
	}
	tests := []struct {
		table, key string
		n          int
		dup        int // row that repeats the value of the row before, -1 for none
	}{
		{"plain", "id", 2*bulkRows + 3, -1},
		{"implicit", "rowid", 7, -1},
		{"triggered", "id", 5, -1},
		{"replaced", "id", 6, 5},
		{"replaced", "id", bulkRows + 2, bulkRows},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.table, tt.n), func(t *testing.T) {
			table := def.Table(tt.table)
			value := func(i int) string {
				if i == tt.dup {
					i--
				}
				return fmt.Sprintf("v%d", i)
			}
			vcol := len(table.Columns) - 1
			ref := open(t)
			var want []int64
			for i := range tt.n {
				var id int64
				if err := ref.Writer().QueryRow("INSERT INTO "+tt.table+" (v) VALUES (?) RETURNING "+tt.key, value(i)).Scan(&id); err != nil {
					t.Fatal(err)
				}
				want = append(want, id)
			}
			got, err := InsertMany(ctx, open(t), table, tt.n, func(i int, v *Values) { v.Add(vcol, value(i)) }, scanID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("keys (-one row at a time +InsertMany):\n%s", diff)
			}
		})
	}
}

// A chunk whose last rowid is not where the derivation expects it is refused,
// and InsertMany runs the batch again with RETURNING.
func TestExecRowIDsGap(t *testing.T) {
	ctx := context.Background()
	db := openShop(t)
	err := db.WriteTx(ctx, func(tx *Tx) error {
		stmt, err := tx.PrepareContext(ctx, "INSERT INTO notes (body) VALUES (?), (?)")
		if err != nil {
			return err
		}
		defer stmt.Close()
		var out []int64
		_, err = execRowIDs(ctx, stmt, []any{"a", "b"}, 5, 2, scanID, &out) // the table is empty: 1, 2
		return err
	})
	if !errors.Is(err, errRowIDGap) {
		t.Errorf("err = %v, want errRowIDGap", err)
	}
}

// A trigger whose ON clause spells the table in another case is still a
// trigger on it: SQLite compares table names case-insensitively.
func TestNoTriggersSeesTriggerInAnyCase(t *testing.T) {
	ctx := context.Background()
	db := openShop(t)
	if _, err := db.Writer().Exec(`CREATE TEMP TRIGGER echo AFTER INSERT ON NOTES WHEN NEW.body <> 'echo' BEGIN
	INSERT INTO notes (body) VALUES ('echo');
END`); err != nil {
		t.Fatal(err)
	}
	err := db.WriteTx(ctx, func(tx *Tx) error {
		ok, err := noTriggers(ctx, tx, shopDef().Table("notes"))
		if ok {
			t.Error("noTriggers allows the fast path on a table with a trigger")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRowIDScanner(t *testing.T) {
	var i64 int64
	var i int
	var a any
	var n sql.NullInt64
	r := rowidScanner(7)
	for _, dest := range []any{&i64, &i, &a, &n} {
		if err := r.Scan(dest); err != nil {
			t.Fatal(err)
		}
	}
	if i64 != 7 || i != 7 || a != int64(7) || n != (sql.NullInt64{Int64: 7, Valid: true}) {
		t.Errorf("scanned %v %v %v %v", i64, i, a, n)
	}
	var s string
	if r.Scan(&s) == nil || r.Scan(&i, &i) == nil {
		t.Error("bad destinations accepted")
	}
}

// TestInsertManyReturningOrder checks that keys come back in input order
// on each general path: rowids the caller sets out of order, rowids SQLite
// assigns, a key that is not the rowid (RETURNING sorted by rowid), and a
// table without rowid.
func TestInsertManyReturningOrder(t *testing.T) {
	ctx := context.Background()
	def := shopDef()
	def.DDL += `CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER);`
	def.Tables = append(def.Tables, Table{Name: "kv", Columns: []Column{
		{Name: "k", SQLType: "TEXT", GoType: "string", PrimaryKey: true},
		{Name: "v", SQLType: "INTEGER", GoType: "sql.NullInt64", Nullable: true},
	}, PrimaryKey: []string{"k"}})
	db, err := Open(ctx, t.TempDir(), def)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	const n = bulkRows + 3
	// Ids set in descending order: sorting by rowid would reverse them.
	var want []int64
	for i := range n {
		want = append(want, int64(n-i))
	}
	got, err := InsertMany(ctx, db, usersTable, n, func(i int, v *Values) {
		v.Add(colUserID, n-i)
		v.Add(colUserEmail, fmt.Sprintf("u%d@x", i))
		v.Add(colUserName, "n")
	}, scanID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows with ids set by the caller (-want +got):\n%s", diff)
	}
	for i, id := range got {
		var email string
		if db.Reader().QueryRow("SELECT email FROM users WHERE id = ?", id).Scan(&email); email != fmt.Sprintf("u%d@x", i) {
			t.Fatalf("row %d: id %d holds %q", i, id, email)
		}
	}

	// Ids SQLite assigns, derived.
	posts := def.Table("posts")
	got, err = InsertMany(ctx, db, posts, n, func(i int, v *Values) {
		v.Add(1, n-i)
		v.Add(2, fmt.Sprintf("p%d", i))
	}, scanID)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		want[i] = int64(i + 1)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows with ids SQLite assigns (-want +got):\n%s", diff)
	}
	for i, id := range got {
		var title string
		if db.Reader().QueryRow("SELECT title FROM posts WHERE id = ?", id).Scan(&title); title != fmt.Sprintf("p%d", i) {
			t.Fatalf("post %d: id %d holds %q", i, id, title)
		}
	}

	// A text key on a rowid table: RETURNING, put in rowid order.
	var keys []string
	for i := range n {
		keys = append(keys, fmt.Sprintf("%03d-%d", (i*7919)%n, i))
	}
	gotKeys, err := InsertMany(ctx, db, def.Table("kv"), n, func(i int, v *Values) {
		v.Add(0, keys[i])
		v.Add(1, i)
	}, func(s Scanner) (string, error) { var k string; return k, s.Scan(&k) })
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(keys, gotKeys); diff != "" {
		t.Errorf("text keys (-want +got):\n%s", diff)
	}

	type tagKey struct {
		PostID int64
		Tag    string
	}
	tags := []tagKey{{3, "b"}, {1, "z"}, {2, "a"}, {1, "a"}}
	gotTags, err := InsertMany(ctx, db, def.Table("tags"), len(tags), func(i int, v *Values) {
		v.Add(0, tags[i].PostID)
		v.Add(1, tags[i].Tag)
	}, func(s Scanner) (tagKey, error) { var k tagKey; return k, s.Scan(&k.PostID, &k.Tag) })
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(tags, gotTags); diff != "" {
		t.Errorf("rows of a WITHOUT ROWID table (-want +got):\n%s", diff)
	}
}

// SQLite leaves the order of RETURNING rows open: queryInto orders them by
// the rowid after the caller's columns, whatever order they come in.
func TestQueryIntoOrdersByRowID(t *testing.T) {
	ctx := context.Background()
	db := openShop(t)
	stmt, err := db.Reader().PrepareContext(ctx, `SELECT 'c', 30 UNION ALL SELECT 'a', 10 UNION ALL SELECT 'b', 20`)
	if err != nil {
		t.Fatal(err)
	}
	defer stmt.Close()
	var got []string
	err = queryInto(ctx, stmt, nil, true, func(s Scanner) (string, error) { var v string; return v, s.Scan(&v) }, &got)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a", "b", "c"}, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

// countersDef is a table every column of which may be left to its DEFAULT.
var countersDef = &Definition{
	Name: "counters",
	DDL: `CREATE TABLE counters (
		id   INTEGER PRIMARY KEY,
		name TEXT NOT NULL DEFAULT 'anon',
		n    INTEGER NOT NULL DEFAULT 7,
		at   DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
		tag  TEXT UNIQUE,
		data BLOB NOT NULL DEFAULT x'00'
	);`,
	Tables: []Table{{
		Name: "counters",
		Columns: []Column{
			{Name: "id", SQLType: "INTEGER", GoType: "int64", PrimaryKey: true, RowID: true},
			{Name: "name", SQLType: "TEXT", GoType: "string", Default: "'anon'"},
			{Name: "n", SQLType: "INTEGER", GoType: "int64", Default: "7"},
			{Name: "at", SQLType: "DATETIME", GoType: "time.Time", Default: "CURRENT_TIMESTAMP"},
			{Name: "tag", SQLType: "TEXT", GoType: "sql.NullString", Nullable: true},
			{Name: "data", SQLType: "BLOB", GoType: "[]byte", Default: "x'00'"},
		},
		PrimaryKey: []string{"id"},
		Unique:     [][]string{{"tag"}},
	}},
}

// counterParams are the Create parameters of counters, as generated.
type counterParams struct {
	ID   Opt[int64]
	Name Opt[string]
	N    Opt[int64]
	At   Opt[time.Time]
	Tag  Opt[sql.NullString]
	Data Opt[[]byte]
}

func (p *counterParams) addTo(v *Values) {
	AddOpt(v, 0, p.ID)
	AddOpt(v, 1, p.Name)
	AddOpt(v, 2, p.N)
	AddOpt(v, 3, p.At)
	AddOpt(v, 4, p.Tag)
	AddOpt(v, 5, p.Data)
}

type counter struct {
	ID   int64
	Name string
	N    int64
	At   time.Time
	Tag  sql.NullString
	Data []byte
}

var countersTT = NewTypedTable(&countersDef.Tables[0], func(s Scanner) (counter, error) {
	var c counter
	return c, s.Scan(&c.ID, &c.Name, &c.N, &c.At, &c.Tag, &c.Data)
})

// mixedRows are batches whose rows set different columns.
func mixedRows() map[string][]counterParams {
	at := time.Date(2026, 12, 1, 18, 11, 55, 600_000_000, time.FixedZone("", 3600))
	rows := map[string][]counterParams{}
	var alternating, runs, ids, unset []counterParams
	for i := range 2*bulkRows + 11 {
		var p counterParams
		if i%2 == 0 {
			p.Name = Set(fmt.Sprint("name", i))
		}
		if i%3 == 0 {
			p.N = Set(int64(-i))
		}
		if i%5 == 0 {
			p.At = Set(at.Add(time.Duration(i) * time.Millisecond))
		}
		if i%7 == 0 {
			p.Data = Set([]byte{})
		}
		if i%11 == 0 {
			p.Tag = Set(sql.NullString{String: fmt.Sprint("tag", i), Valid: true})
		}
		alternating = append(alternating, p)

		// Runs of one set of columns longer than a statement's rows.
		p = counterParams{}
		if i/(bulkRows+100)%2 == 1 {
			p.Name, p.N = Set("run"), Set(int64(i))
		} else {
			p.Data = Set([]byte{byte(i)})
		}
		runs = append(runs, p)

		// Ids the caller sets, going down, between ids SQLite assigns.
		p = counterParams{N: Set(int64(i))}
		if i%4 == 1 {
			p.ID = Set(int64(100_000 - i))
		}
		ids = append(ids, p)
	}
	for range 5 {
		unset = append(unset, counterParams{}) // DEFAULT VALUES
	}
	rows["alternating"], rows["runs"], rows["ids"], rows["all unset"] = alternating, runs, ids, unset
	rows["one row of each"] = []counterParams{{}, {Name: Set("a")}, {}, {ID: Set[int64](5000)}, {}, {N: Set[int64](1)}}
	return rows
}

// TestInsertManyMixedColumns inserts rows that leave different Opt columns
// unset, on the database and in a transaction: the keys come back in input
// order, each the row its input wrote, DEFAULTs where it set nothing.
func TestInsertManyMixedColumns(t *testing.T) {
	ctx := context.Background()
	for name, rows := range mixedRows() {
		for _, inTx := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/tx=%v", name, inTx), func(t *testing.T) {
				db, err := Open(ctx, t.TempDir(), countersDef)
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				insert := func(x Executor) ([]int64, error) {
					return InsertMany(ctx, x, &countersDef.Tables[0], len(rows), func(i int, v *Values) { rows[i].addTo(v) }, scanID)
				}
				before := time.Now().Add(-time.Second)
				var ids []int64
				if inTx {
					err = db.WriteTx(ctx, func(tx *Tx) error {
						first, err := countersTT.Create(ctx, tx, (&Values{}).with(1, "first"))
						if err != nil {
							return err
						}
						if ids, err = insert(tx); err != nil {
							return err
						}
						if got, err := countersTT.Get(ctx, tx, first.ID); err != nil || got.Name != "first" {
							return fmt.Errorf("the row before the batch: %+v, %v", got, err)
						}
						return nil
					})
				} else {
					ids, err = insert(db)
				}
				if err != nil {
					t.Fatal(err)
				}
				if len(ids) != len(rows) {
					t.Fatalf("%d keys for %d rows", len(ids), len(rows))
				}
				seen := map[int64]bool{}
				for i, id := range ids {
					if seen[id] {
						t.Fatalf("row %d: key %d returned twice", i, id)
					}
					seen[id] = true
					r := rows[i]
					if want, ok := r.ID.Get(); ok && id != want {
						t.Fatalf("row %d set id %d, got key %d", i, want, id)
					}
					got, err := countersTT.Get(ctx, db, id)
					if err != nil {
						t.Fatalf("row %d: key %d: %v", i, id, err)
					}
					want := counter{ID: id, Name: r.Name.Or("anon"), N: r.N.Or(7), At: r.At.Or(got.At), Tag: r.Tag.Or(sql.NullString{}),
						Data: r.Data.Or([]byte{0})}
					if diff := cmp.Diff(want, got, equalTimes); diff != "" {
						t.Fatalf("row %d, key %d (-input +stored):\n%s", i, id, diff)
					}
					if !r.At.IsSet() && (got.At.Before(before.Truncate(time.Second)) || got.At.After(time.Now())) {
						t.Fatalf("row %d: at %v is not CURRENT_TIMESTAMP", i, got.At)
					}
				}
				if n, _ := countersTT.Count(ctx, db); n != int64(len(rows))+map[bool]int64{true: 1}[inTx] {
					t.Errorf("%d rows stored", n)
				}
			})
		}
	}
}

// In a transaction, a failed InsertMany rolls back its own rows only: the
// statements of the transaction before it stay, and it can go on.
func TestInsertManyInTxConstraintError(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, t.TempDir(), countersDef)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	table := &countersDef.Tables[0]
	tagged := func(dup int) func(int, *Values) {
		return func(i int, v *Values) {
			tag := fmt.Sprint("t", i)
			if i == dup {
				tag = "t3"
			}
			p := counterParams{Tag: Set(sql.NullString{String: tag, Valid: true})}
			if i%2 == 0 {
				p.N = Set(int64(i)) // two sets of columns, so several statements
			}
			p.addTo(v)
		}
	}
	err = db.WriteTx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO counters (name) VALUES ('before')"); err != nil {
			return err
		}
		for _, key := range []bool{true, false} {
			var err error
			if key {
				_, err = InsertMany(ctx, tx, table, 1200, tagged(1100), scanID)
			} else {
				_, err = InsertMany[struct{}](ctx, tx, table, 1200, tagged(1100), nil)
			}
			if !errors.Is(err, ErrConstraint) {
				return fmt.Errorf("duplicate tag (keys %v): %v, want CONSTRAINT_VIOLATION", key, err)
			}
			if n, err := countersTT.Count(ctx, tx); err != nil || n != 1 {
				return fmt.Errorf("after the failed batch (keys %v): %d rows, %v; want the 1 from before", key, n, err)
			}
		}
		ids, err := InsertMany(ctx, tx, table, 10, tagged(-1), scanID)
		if err != nil || len(ids) != 10 {
			return fmt.Errorf("a batch after the failed one: %v, %v", ids, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var before, n int
	db.Reader().QueryRow("SELECT count(*) FILTER (WHERE name = 'before'), count(*) FROM counters").Scan(&before, &n)
	if before != 1 || n != 11 {
		t.Errorf("committed %d rows (%d from before the batches), want 11 (1)", n, before)
	}
}
