package runtime

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"
)

// The benchmarks of the PostgreSQL engine, on the throwaway server of
// internal/pgtest (skipped without one, failed under CI or
// DBGEN_REQUIRE_POSTGRES). Their baselines are database/sql with pgx's
// driver doing the same SQL on the same pool, in the same run.

// openItemsPostgres opens def in a new PostgreSQL database.
func openItemsPostgres(b *testing.B, def *Definition) *DB {
	b.Helper()
	db, err := Open(context.Background(), postgresEngine.location(b), def)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// BenchmarkPostgresTypedVsHandwritten runs the typed table methods
// generated code calls (Create, Get, a partial Update, Upsert, a List
// page) on PostgreSQL and, as the baseline, the same SQL written by hand
// for pgx through database/sql ($n placeholders) on the same pool,
// scanning the same rows. An upsert that sets the id also moves the
// identity's sequence past it (see identityCell): "upsert" is measured
// against a hand-written upsert that does not, "upsert_same_sql" against
// one that does it the same way. x_vs_baseline is the typed method's speed
// relative to the hand-written one, by the medians of their calls' times
// (1 is as fast; target >= 0.95).
func BenchmarkPostgresTypedVsHandwritten(b *testing.B) {
	ctx := context.Background()
	db := openItemsPostgres(b, itemsDef)
	const seeded = 10_000
	if _, err := InsertMany[struct{}](ctx, db, &itemsDef.Tables[0], seeded, itemValues, nil); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Writer().ExecContext(ctx, "ANALYZE items"); err != nil {
		b.Fatal(err)
	}
	const cols = `"id", "name", "qty", "price"`
	pool := db.Writer()
	var seq string
	if err := pool.QueryRowContext(ctx, `SELECT pg_get_serial_sequence('items', 'id')`).Scan(&seq); err != nil {
		b.Fatal(err)
	}
	row := func(query string, args ...any) error {
		_, err := scanItem(pool.QueryRowContext(ctx, query, args...))
		return err
	}
	table := &itemsDef.Tables[0]
	qty := NewCol[item, int64](table, "qty")
	page := NewQuery[item](table).Where(qty.Gte(500)).OrderBy(qty.Desc()).First(50)
	cases := []struct {
		name        string
		typed, hand func(i int) error
	}{
		{"create", func(i int) error {
			v := NewValues(3)
			v.Add(1, "new")
			v.Add(2, int64(i%1000))
			v.Add(3, 1.5)
			_, err := itemsTT.Create(ctx, db, v)
			return err
		}, func(i int) error {
			return row(`INSERT INTO "items" ("name", "qty", "price") VALUES ($1, $2, $3) RETURNING `+cols, "new", int64(i%1000), 1.5)
		}},
		{"get", func(i int) error {
			_, err := itemsTT.Get(ctx, db, int64(1+i%seeded))
			return err
		}, func(i int) error {
			return row(`SELECT `+cols+` FROM "items" WHERE "id" = $1`, int64(1+i%seeded))
		}},
		{"update", func(i int) error {
			v := NewValues(1)
			v.Add(2, int64(i%1000))
			_, err := itemsTT.Update(ctx, db, v, int64(1+i%seeded))
			return err
		}, func(i int) error {
			return row(`UPDATE "items" SET "qty" = $1 WHERE "id" = $2 RETURNING `+cols, int64(i%1000), int64(1+i%seeded))
		}},
		{"upsert", func(i int) error {
			v := NewValues(4)
			v.Add(0, int64(1+i%seeded))
			v.Add(1, "up")
			v.Add(2, int64(i%1000))
			v.Add(3, 2.5)
			_, err := itemsTT.Upsert(ctx, db, -1, v)
			return err
		}, func(i int) error {
			return row(`INSERT INTO "items" ("id", "name", "qty", "price") VALUES ($1, $2, $3, $4) ON CONFLICT ("id") DO UPDATE SET `+
				`"name" = excluded."name", "qty" = excluded."qty", "price" = excluded."price" RETURNING `+cols,
				int64(1+i%seeded), "up", int64(i%1000), 2.5)
		}},
		// The same upsert, written by hand as a correct program must on
		// PostgreSQL: the id's cell moves the identity's sequence, as the
		// typed method's does. "upsert" above leaves that out, and so
		// shows what it costs; this one the runtime's own overhead.
		{"upsert_same_sql", func(i int) error {
			v := NewValues(4)
			v.Add(0, int64(1+i%seeded))
			v.Add(1, "up")
			v.Add(2, int64(i%1000))
			v.Add(3, 2.5)
			_, err := itemsTT.Upsert(ctx, db, -1, v)
			return err
		}, func(i int) error {
			return row(`INSERT INTO "items" ("id", "name", "qty", "price") VALUES (`+
				`(SELECT CASE WHEN x.v > coalesce(pg_sequence_last_value(x.s), 0) THEN setval(x.s, x.v) ELSE x.v END `+
				`FROM (SELECT $1::bigint AS v, '`+seq+`'::regclass AS s) AS x), $2, $3, $4) ON CONFLICT ("id") DO UPDATE SET `+
				`"name" = excluded."name", "qty" = excluded."qty", "price" = excluded."price" RETURNING `+cols,
				int64(1+i%seeded), "up", int64(i%1000), 2.5)
		}},
		{"list", func(int) error {
			p, err := itemsTT.List(ctx, db, page)
			if err == nil && len(p.Items) != 50 {
				err = fmt.Errorf("%d items", len(p.Items))
			}
			return err
		}, func(int) error {
			rows, err := pool.QueryContext(ctx,
				`SELECT `+cols+` FROM "items" WHERE "qty" >= $1 ORDER BY "qty" DESC, "id" DESC LIMIT 51`, int64(500))
			if err != nil {
				return err
			}
			defer rows.Close()
			var items []item
			for rows.Next() && len(items) < 50 {
				it, err := scanItem(rows)
				if err != nil {
					return err
				}
				items = append(items, it)
			}
			if len(items) != 50 {
				return fmt.Errorf("%d items", len(items))
			}
			return rows.Err()
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			const reps = 500
			// One of each first: both sides' statements prepared and cached.
			if err := c.typed(0); err != nil {
				b.Fatal(err)
			}
			if err := c.hand(0); err != nil {
				b.Fatal(err)
			}
			// Call by call, in turns, each side first every other time, so
			// that the table's growth, the server's background work and
			// the order weigh on both sides alike. The medians of the
			// calls' times are compared: on a shared machine a stall of
			// the server lands on one call of either side, and would move
			// a sum.
			var typed, hand []time.Duration
			timeCall := func(f func(int) error, k int, times *[]time.Duration) {
				start := time.Now()
				if err := f(k); err != nil {
					b.Fatal(err)
				}
				*times = append(*times, time.Since(start))
			}
			for i := 0; i < b.N; i++ {
				for j := range reps {
					k := i*reps + j
					if k%2 == 0 {
						timeCall(c.typed, k, &typed)
						timeCall(c.hand, k, &hand)
					} else {
						timeCall(c.hand, k, &hand)
						timeCall(c.typed, k, &typed)
					}
				}
			}
			mt, mh := median(typed), median(hand)
			b.ReportMetric(float64(mt.Nanoseconds())/1e3, "typed_us")
			b.ReportMetric(float64(mh.Nanoseconds())/1e3, "handwritten_us")
			b.ReportMetric(mh.Seconds()/mt.Seconds(), "x_vs_baseline")
		})
	}
}

// median is the middle of ds (which it sorts).
func median(ds []time.Duration) time.Duration {
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// BenchmarkPostgresBulkInsert inserts 20k rows on PostgreSQL with
// InsertMany, returning the ids, and, as the baseline, with a prepared
// single-row INSERT ... RETURNING id in a loop in one transaction.
// x_vs_baseline is the speed-up (target >= 2); x_noreturn_vs_baseline
// the same without the ids (against a loop of Exec), x_opt_vs_baseline
// with one row in 100 leaving price to its DEFAULT.
func BenchmarkPostgresBulkInsert(b *testing.B) {
	const rows = 20_000
	ctx := context.Background()
	table := &eventsDef.Tables[0]
	timed := func(insert func(*DB) error) time.Duration {
		db := openItemsPostgres(b, eventsDef)
		start := time.Now()
		if err := insert(db); err != nil {
			b.Fatal(err)
		}
		d := time.Since(start)
		db.Close()
		return d
	}
	loop := func(returning bool) func(db *DB) error {
		return func(db *DB) error {
			return db.WriteTx(ctx, func(tx *Tx) error {
				query := "INSERT INTO items (name, qty, price) VALUES ($1, $2, $3)"
				if returning {
					query += " RETURNING id"
				}
				stmt, err := tx.PrepareContext(ctx, query)
				if err != nil {
					return err
				}
				defer stmt.Close()
				args := make([]any, 0, 3)
				ids := make([]int64, 0, rows)
				for r := range rows {
					args = itemArgs(r, args[:0])
					if !returning {
						if _, err := stmt.ExecContext(ctx, args...); err != nil {
							return err
						}
						continue
					}
					var id int64
					if err := stmt.QueryRowContext(ctx, args...).Scan(&id); err != nil {
						return err
					}
					ids = append(ids, id)
				}
				return nil
			})
		}
	}
	bulk := func(db *DB) error {
		ids, err := InsertMany(ctx, db, table, rows, itemValues, scanID)
		if err == nil && len(ids) != rows {
			err = fmt.Errorf("%d ids", len(ids))
		}
		return err
	}
	bulkNoReturn := func(db *DB) error {
		_, err := InsertMany[struct{}](ctx, db, table, rows, itemValues, nil)
		return err
	}
	bulkOpt := func(db *DB) error {
		_, err := InsertMany(ctx, db, table, rows, func(i int, v *Values) {
			v.Add(1, itemNames()[i])
			v.Add(2, int64(i%1000))
			if i%100 != 99 {
				AddOpt(v, 3, Set(float64(i%977)/4))
			}
		}, scanID)
		return err
	}
	itemNames()
	var tLoop, tLoopExec, tBulk, tNoRet, tOpt time.Duration
	for i := 0; i < b.N; i++ {
		tLoop += timed(loop(true))
		tBulk += timed(bulk)
		tLoopExec += timed(loop(false))
		tNoRet += timed(bulkNoReturn)
		tOpt += timed(bulkOpt)
	}
	n := float64(b.N)
	b.ReportMetric(tLoop.Seconds()*1e3/n, "loop_ms")
	b.ReportMetric(tBulk.Seconds()*1e3/n, "bulk_ms")
	b.ReportMetric(tLoop.Seconds()/tBulk.Seconds(), "x_vs_baseline")
	b.ReportMetric(tLoopExec.Seconds()/tNoRet.Seconds(), "x_noreturn_vs_baseline")
	b.ReportMetric(tLoop.Seconds()/tOpt.Seconds(), "x_opt_vs_baseline")
}
