package runtime

import (
	"context"
	"testing"
)

// A row written with an explicit id (Create, Upsert, Update of the key,
// on the database or in a transaction) moves the identity's sequence past
// it: the next row left to the default gets a new id, never a taken one.
func TestTypedExplicitIDMovesIdentity(t *testing.T) {
	forEngines(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		db := e.open(t, itemsDef)
		withID := func(id int64, name string) Values {
			v := NewValues(4)
			v.Add(0, id)
			v.Add(1, name)
			v.Add(2, int64(1))
			v.Add(3, 0.5)
			return v
		}
		next := func(after int64) {
			t.Helper()
			it, err := itemsTT.Create(ctx, db, itemValuesOf("default", 0))
			if err != nil {
				t.Fatalf("Create after id %d: %v", after, err)
			}
			if it.ID <= after {
				t.Errorf("Create after id %d got id %d", after, it.ID)
			}
		}
		if it, err := itemsTT.Create(ctx, db, withID(100, "a")); err != nil || it.ID != 100 || it.Name != "a" {
			t.Fatalf("Create id 100 = %+v, %v", it, err)
		}
		next(100)
		if it, err := itemsTT.Upsert(ctx, db, -1, withID(200, "b")); err != nil || it.ID != 200 || it.Name != "b" {
			t.Fatalf("Upsert id 200 = %+v, %v", it, err)
		}
		next(200)
		if it, err := itemsTT.Upsert(ctx, db, -1, withID(200, "c")); err != nil || it.ID != 200 || it.Name != "c" {
			t.Fatalf("Upsert id 200 again = %+v, %v", it, err)
		}
		set := NewValues(1)
		set.Add(0, int64(300))
		if it, err := itemsTT.Update(ctx, db, set, int64(100)); err != nil || it.ID != 300 {
			t.Fatalf("Update id 100 to 300 = %+v, %v", it, err)
		}
		next(300)
		err := db.WriteTx(ctx, func(tx *Tx) error {
			if _, err := itemsTT.Create(ctx, tx, withID(400, "d")); err != nil {
				return err
			}
			it, err := itemsTT.Create(ctx, tx, itemValuesOf("in tx", 0))
			if err == nil && it.ID <= 400 {
				t.Errorf("Create in the transaction after id 400 got id %d", it.ID)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		next(401)
		if _, err := itemsTT.Update(ctx, db, set, int64(999)); !isNotFound(err) {
			t.Errorf("Update of a missing id = %v, want not found", err)
		}
	})
}
