package runtime

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"testing"
	"time"
)

// Module queries, as a generated package describes them to the runtime and
// its sqlc code runs them on a DBTX.
var (
	qLogEvent = ModuleQuery{Name: "LogEvent", Write: true,
		Params: []Param{{Family: FamilyText}, {Family: FamilyDateTime}, {Family: FamilyJSON}}}
	qLaunch = ModuleQuery{Name: "SetLaunch", Write: true, Params: []Param{{Family: FamilyDate}, {Family: FamilyInteger}}}
	qEcho   = ModuleQuery{Name: "Echo", Params: []Param{{Family: FamilyReal}}}
	qSince  = ModuleQuery{Name: "EventsSince", Params: []Param{{Family: FamilyDateTime}}}
	qOne    = ModuleQuery{Name: "EventKind", Params: []Param{{Family: FamilyInteger}}}
	qWrite  = ModuleQuery{Name: "SneakyWrite"} // writes, but says it does not
)

// logEvent is sqlc's code for a :execlastid query.
func logEvent(ctx context.Context, db DBTX, kind string, at time.Time, body JSON) (int64, error) {
	res, err := db.ExecContext(ctx, "INSERT INTO events (kind, at, body) VALUES (?, ?, ?)", kind, at, body)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// storedEvent reads an event's columns as SQLite holds them.
func storedEvent(t *testing.T, c *catalog, id int64) (at, atType, body, bodyType string) {
	t.Helper()
	if err := c.db.Reader().QueryRow("SELECT +at, typeof(at), coalesce(body, ''), typeof(body) FROM events WHERE rowid = ?", id).
		Scan(&at, &atType, &body, &bodyType); err != nil {
		t.Fatal(err)
	}
	return
}

// Arguments of module queries go through the codec, by the family of the
// column each parameter meets, on the database and in a transaction.
func TestCallCodec(t *testing.T) {
	ctx := context.Background()
	c := openCatalog(t)
	at := time.Date(2026, 12, 1, 20, 11, 55, 600_000_000, time.FixedZone("EET", 2*3600))
	id, err := Call(ctx, c.db, &qLogEvent, func(q DBTX) (int64, error) {
		return logEvent(ctx, q, "signup", at, JSON(`{"a":1}`))
	})
	if err != nil {
		t.Fatal(err)
	}
	if gotAt, atType, body, bodyType := storedEvent(t, c, id); gotAt != "2026-12-01 18:11:55.6" || atType != "text" ||
		body != `{"a":1}` || bodyType != "text" {
		t.Errorf("stored at = %s %q, body = %s %q", atType, gotAt, bodyType, body)
	}
	// The row reads back through the typed table, and the list filter finds
	// it beside a row SQLite dated.
	if _, err := c.events.Create(ctx, c.db, (&Values{}).with(0, "now")); err != nil {
		t.Fatal(err)
	}
	if e, err := c.events.Get(ctx, c.db, id); err != nil || !e.At.Equal(at) || string(e.Body) != `{"a":1}` {
		t.Errorf("typed Get of the module query's row: %+v, %v", e, err)
	}
	n, err := Call(ctx, c.db, &qSince, func(q DBTX) (int, error) {
		var n int
		err := q.QueryRowContext(ctx, "SELECT count(*) FROM events WHERE at >= ?", at.Add(-time.Second)).Scan(&n)
		return n, err
	})
	if err != nil || n != 2 {
		t.Errorf("events since a second before: %d, %v; want 2", n, err)
	}

	// A DATE parameter is bound as YYYY-MM-DD, in a transaction too.
	p, err := c.products.Create(ctx, c.db, createProduct{Sku: "A1", Name: "Apple"}.values())
	if err != nil {
		t.Fatal(err)
	}
	launch := time.Date(2027, 3, 4, 23, 30, 0, 0, time.FixedZone("", -5*3600))
	err = c.db.WriteTx(ctx, func(tx *Tx) error {
		return CallExec(ctx, tx, &qLaunch, func(q DBTX) error {
			_, err := q.ExecContext(ctx, "UPDATE products SET launch_on = ? WHERE id = ?", launch, p.ID)
			return err
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if typ, v := c.stored(t, p.ID, "launch_on"); typ != "text" || v != "2027-03-04" {
		t.Errorf("launch_on stored as %s %v, want text 2027-03-04", typ, v)
	}

	// Refused arguments: VALIDATION_FAILED from every DBTX method, nothing
	// written.
	refused := map[string]func() error{
		"NaN through QueryRowContext": func() error {
			_, err := Call(ctx, c.db, &qEcho, func(q DBTX) (float64, error) {
				var f float64
				err := q.QueryRowContext(ctx, "SELECT ?", math.NaN()).Scan(&f)
				return f, err
			})
			return err
		},
		"NaN through QueryRowContext in a Tx": func() error {
			return c.db.ReadTx(ctx, func(tx *Tx) error {
				_, err := Call(ctx, tx, &qEcho, func(q DBTX) (float64, error) {
					var f float64
					err := q.QueryRowContext(ctx, "SELECT ?", math.NaN()).Scan(&f)
					return f, err
				})
				return err
			})
		},
		"NaN through QueryContext": func() error {
			_, err := Call(ctx, c.db, &qEcho, func(q DBTX) (int, error) {
				rows, err := q.QueryContext(ctx, "SELECT ?", math.NaN())
				if err != nil {
					return 0, err
				}
				return 0, rows.Close()
			})
			return err
		},
		"NaN through ExecContext": func() error {
			return CallExec(ctx, c.db, &ModuleQuery{Name: "SetPrice", Write: true, Params: []Param{{Family: FamilyReal}}}, func(q DBTX) error {
				_, err := q.ExecContext(ctx, "UPDATE products SET price = ?", sql.NullFloat64{Float64: math.NaN(), Valid: true})
				return err
			})
		},
		"invalid JSON": func() error {
			_, err := Call(ctx, c.db, &qLogEvent, func(q DBTX) (int64, error) {
				return logEvent(ctx, q, "bad", at, JSON(`{`))
			})
			return err
		},
		"year 10000": func() error {
			_, err := Call(ctx, c.db, &qLogEvent, func(q DBTX) (int64, error) {
				return logEvent(ctx, q, "bad", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), nil)
			})
			return err
		},
	}
	for name, call := range refused {
		if err := call(); !errors.Is(err, ErrValidation) {
			t.Errorf("%s: %v, want VALIDATION_FAILED", name, err)
		}
	}
	if n := c.count(t, "events WHERE kind = 'bad'"); n != 0 {
		t.Errorf("%d refused events written", n)
	}
	if typ, _ := c.stored(t, p.ID, "price"); typ != "null" {
		t.Errorf("price is %s after a refused NaN", typ)
	}
}

// Module queries follow the error rule of the table methods: a missing row
// is ErrNotFound and sql.ErrNoRows, a constraint a CONSTRAINT_VIOLATION, a
// write on a read executor READ_ONLY.
func TestCallErrors(t *testing.T) {
	ctx := context.Background()
	c := openCatalog(t)
	kind := func(x Executor) (string, error) {
		return Call(ctx, x, &qOne, func(q DBTX) (string, error) {
			var k string
			err := q.QueryRowContext(ctx, "SELECT kind FROM events WHERE rowid = ?", 1).Scan(&k)
			return k, err
		})
	}
	if _, err := kind(c.db); !isNotFound(err) {
		t.Errorf(":one without a row on the database: %v", err)
	}
	if err := c.db.ReadTx(ctx, func(tx *Tx) error {
		if _, err := kind(tx); !isNotFound(err) {
			t.Errorf(":one without a row in a transaction: %v", err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	_, err := Call(ctx, c.db, &qLogEvent, func(q DBTX) (int64, error) {
		return logEvent(ctx, q, "x", time.Now(), JSON(`{}`))
	})
	if err != nil {
		t.Fatal(err)
	}
	if k, err := kind(c.db); err != nil || k != "x" {
		t.Errorf("kind = %q, %v", k, err)
	}
	err = CallExec(ctx, c.db, &qLogEvent, func(q DBTX) error {
		_, err := q.ExecContext(ctx, "INSERT INTO events (kind) VALUES (?)", nil)
		return err
	})
	if !errors.Is(err, ErrConstraint) {
		t.Errorf("NULL kind: %v, want CONSTRAINT_VIOLATION", err)
	}
	// A query that writes without saying so runs on the read pool, which
	// refuses it.
	err = CallExec(ctx, c.db, &qWrite, func(q DBTX) error {
		_, err := q.ExecContext(ctx, "DELETE FROM events")
		return err
	})
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeReadOnly {
		t.Errorf("a write on the read pool: %v, want READ_ONLY", err)
	}
	if n := c.count(t, "events"); n != 1 {
		t.Errorf("%d events", n)
	}
}
