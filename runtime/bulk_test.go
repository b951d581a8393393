package runtime

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestInsertMany(t *testing.T) {
	ctx := context.Background()
	cols := []string{"email", "name", "age"}
	// Row counts around the chunk size: a single partial chunk, exactly one
	// full chunk, full chunks plus a remainder.
	for _, n := range []int{0, 1, bulkRows - 1, bulkRows, 2*bulkRows + 7} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			db := openShop(t)
			type key struct {
				ID    int64
				Email string
			}
			got, err := InsertMany(ctx, db, usersTable, cols, n, func(i int, dst []any) []any {
				return append(dst, fmt.Sprintf("u%d@x", i), "name", i)
			}, []string{"id", "email"}, func(s Scanner) (key, error) {
				var k key
				return k, s.Scan(&k.ID, &k.Email)
			})
			if err != nil {
				t.Fatal(err)
			}
			var want []key
			for i := range n {
				want = append(want, key{int64(i + 1), fmt.Sprintf("u%d@x", i)})
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("returned keys, in input order (-want +got):\n%s", diff)
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
	ids, err := InsertMany(ctx, db, shopDef().Table("notes"), nil, 3, nil, []string{"rowid"},
		func(s Scanner) (int64, error) { var id int64; return id, s.Scan(&id) })
	if err != nil || !cmp.Equal([]int64{1, 2, 3}, ids) {
		t.Errorf("DEFAULT VALUES: %v, %v", ids, err)
	}
	none, err := InsertMany[int](ctx, db, shopDef().Table("notes"), []string{"body"}, 5,
		func(i int, dst []any) []any { return append(dst, "b") }, nil, nil)
	if err != nil || none != nil {
		t.Errorf("without returning: %v, %v", none, err)
	}
}

// A failing row rolls back the whole batch: InsertMany is all or nothing.
func TestInsertManyAtomic(t *testing.T) {
	ctx := context.Background()
	db := openShop(t)
	_, err := InsertMany[int](ctx, db, usersTable, []string{"email", "name"}, 1200, func(i int, dst []any) []any {
		email := fmt.Sprintf("u%d@x", i)
		if i == 1100 {
			email = "u3@x" // duplicate, in the last chunk
		}
		return append(dst, email, "n")
	}, nil, nil)
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
	args := func(i int, dst []any) []any { return append(dst, "x") }
	scan := func(s Scanner) (int, error) { return 0, nil }
	tests := []struct {
		name      string
		table     *Table
		cols      []string
		n         int
		args      func(int, []any) []any
		returning []string
		scan      func(Scanner) (int, error)
		code      Code
	}{
		{"nil table", nil, []string{"body"}, 1, args, nil, nil, CodeValidationFailed},
		{"view", def.Table("active_users"), []string{"name"}, 1, args, nil, nil, CodeValidationFailed},
		{"unknown column", def.Table("notes"), []string{"nope"}, 1, args, nil, nil, CodeColumnNotFound},
		{"generated column", usersTable, []string{"name_upper"}, 1, args, nil, nil, CodeValidationFailed},
		{"column twice", def.Table("notes"), []string{"body", "body"}, 1, args, nil, nil, CodeValidationFailed},
		{"unknown returning", def.Table("notes"), []string{"body"}, 1, args, []string{"id"}, scan, CodeColumnNotFound},
		{"returning without scan", def.Table("notes"), []string{"body"}, 1, args, []string{"body"}, nil, CodeValidationFailed},
		{"negative count", def.Table("notes"), []string{"body"}, -1, args, nil, nil, CodeValidationFailed},
		{"nil args", def.Table("notes"), []string{"body"}, 1, nil, nil, nil, CodeValidationFailed},
		{"too few values", usersTable, []string{"email", "name"}, 2, args, nil, nil, CodeValidationFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := InsertMany(ctx, db, tt.table, tt.cols, tt.n, tt.args, tt.returning, tt.scan)
			var e *Error
			if !errors.As(err, &e) || e.Code != tt.code {
				t.Errorf("err = %v, want %s", err, tt.code)
			}
		})
	}
}

// TestInsertManyRowIDKeys checks the keys InsertMany derives without
// RETURNING against those RETURNING gives (asking for two columns takes the
// general path), on tables where SQLite's rowids are not simply max+1, ...
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
	col := func(name string) []Column { return []Column{{Name: name, GoType: "string", Nullable: true}} }
	idv := append([]Column{{Name: "id", GoType: "int64", PrimaryKey: true, RowID: true}}, col("v")...)
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
			values := func(i int, dst []any) []any {
				if i == tt.dup {
					i--
				}
				return append(dst, fmt.Sprintf("v%d", i))
			}
			type kv struct {
				ID int64
				V  string
			}
			want, err := InsertMany(ctx, open(t), table, []string{"v"}, tt.n, values, []string{tt.key, "v"},
				func(s Scanner) (kv, error) { var r kv; return r, s.Scan(&r.ID, &r.V) })
			if err != nil {
				t.Fatal(err)
			}
			got, err := InsertMany(ctx, open(t), table, []string{"v"}, tt.n, values, []string{tt.key},
				func(s Scanner) (kv, error) { var r kv; return r, s.Scan(&r.ID) })
			if err != nil {
				t.Fatal(err)
			}
			for i := range got {
				got[i].V = want[i].V
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("keys (-RETURNING +derived):\n%s", diff)
			}
		})
	}
}

// A chunk whose last rowid is not where the derivation expects it is refused,
// and InsertMany runs the batch again with RETURNING.
func TestExecRowIDsGap(t *testing.T) {
	ctx := context.Background()
	db := openShop(t)
	err := db.WriteTx(ctx, func(tx *sql.Tx) error {
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
func TestRowIDStartSeesTriggerInAnyCase(t *testing.T) {
	ctx := context.Background()
	db := openShop(t)
	if _, err := db.Writer().Exec(`CREATE TEMP TRIGGER echo AFTER INSERT ON NOTES WHEN NEW.body <> 'echo' BEGIN
	INSERT INTO notes (body) VALUES ('echo');
END`); err != nil {
		t.Fatal(err)
	}
	err := db.WriteTx(ctx, func(tx *sql.Tx) error {
		_, ok, err := rowidStart(ctx, tx, shopDef().Table("notes"), 1)
		if ok {
			t.Error("rowidStart allows the fast path on a table with a trigger")
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

// TestInsertManyReturningOrder checks that rows come back in input order on
// each general path: rowids SQLite assigns, rowids the caller sets out of
// order, and a table without rowid.
func TestInsertManyReturningOrder(t *testing.T) {
	ctx := context.Background()
	db := openShop(t)
	type pair struct {
		A any
		B any
	}
	scanPair := func(s Scanner) (pair, error) { var p pair; return p, s.Scan(&p.A, &p.B) }

	const n = bulkRows + 3
	var want []pair
	for i := range n {
		want = append(want, pair{fmt.Sprintf("u%d@x", i), int64(n - i)})
	}
	// Ids set in descending order: sorting by rowid would reverse them.
	got, err := InsertMany(ctx, db, usersTable, []string{"id", "email", "name"}, n, func(i int, dst []any) []any {
		return append(dst, n-i, fmt.Sprintf("u%d@x", i), "n")
	}, []string{"email", "id"}, scanPair)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows with ids set by the caller (-want +got):\n%s", diff)
	}
	// The same, the rowid set under its own name rather than its alias's.
	for i := range want {
		want[i] = pair{fmt.Sprintf("r%d@x", i), int64(2*n - i)}
	}
	got, err = InsertMany(ctx, db, usersTable, []string{"rowid", "email", "name"}, n, func(i int, dst []any) []any {
		return append(dst, 2*n-i, fmt.Sprintf("r%d@x", i), "n")
	}, []string{"email", "id"}, scanPair)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows with rowids set by the caller (-want +got):\n%s", diff)
	}
	want = want[:0]
	for i := range n {
		want = append(want, pair{"", int64(n - i)})
	}

	got, err = InsertMany(ctx, db, shopDef().Table("posts"), []string{"user_id", "title"}, n, func(i int, dst []any) []any {
		return append(dst, n-i, fmt.Sprintf("p%d", i))
	}, []string{"title", "user_id"}, scanPair)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		want[i].A = fmt.Sprintf("p%d", i)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows with ids SQLite assigns (-want +got):\n%s", diff)
	}

	tags := []pair{{int64(3), "b"}, {int64(1), "z"}, {int64(2), "a"}, {int64(1), "a"}}
	got, err = InsertMany(ctx, db, shopDef().Table("tags"), []string{"post_id", "tag"}, len(tags), func(i int, dst []any) []any {
		return append(dst, tags[i].A, tags[i].B)
	}, []string{"post_id", "tag"}, scanPair)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(tags, got); diff != "" {
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
