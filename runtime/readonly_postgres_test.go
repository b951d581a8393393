package runtime

import (
	"context"
	"errors"
	"testing"
)

// WithReadOnly on PostgreSQL (what dbgen serve opens without a token)
// makes every connection read-only (default_transaction_read_only): a
// write that bypasses the runtime's own checks, on the pool or in a
// transaction, is refused by the server as READ_ONLY, and reads work.
func TestPostgresReadOnlyConnections(t *testing.T) {
	ctx := context.Background()
	url := postgresEngine.location(t)
	rw := openAt(t, url, itemsDef)
	if _, err := itemsTT.Create(ctx, rw, itemValuesOf("kept", 1)); err != nil {
		t.Fatal(err)
	}
	ro := openAt(t, url, itemsDef, WithReadOnly())
	isReadOnly := func(what string, err error) {
		t.Helper()
		var e *Error
		if !errors.As(Translate("items", err), &e) || e.Code != CodeReadOnly {
			t.Errorf("%s: %v, want %s", what, err, CodeReadOnly)
		}
	}
	_, err := ro.Writer().ExecContext(ctx, `INSERT INTO items (name, qty, price) VALUES ('no', 0, 0)`)
	isReadOnly("INSERT on the pool", err)
	_, err = ro.Writer().ExecContext(ctx, `CREATE TABLE sneaky (x int)`)
	isReadOnly("CREATE TABLE on the pool", err)
	err = ro.ReadTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE items SET qty = 2`)
		return err
	})
	isReadOnly("UPDATE in a transaction", err)
	var n int
	if err := ro.Reader().QueryRowContext(ctx, `SELECT count(*) FROM items WHERE name = 'kept'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("read: %d, %v", n, err)
	}
	if err := rw.Reader().QueryRowContext(ctx, `SELECT count(*) FROM items`).Scan(&n); err != nil || n != 1 {
		t.Errorf("rows after the refused writes: %d, %v; want 1", n, err)
	}
}
