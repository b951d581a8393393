package runtime

import (
	"context"
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
