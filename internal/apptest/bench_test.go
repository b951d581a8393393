package apptest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/dbgen-dev/dbgen/gen/content"
	"github.com/dbgen-dev/dbgen/gen/store"
	dbrt "github.com/dbgen-dev/dbgen/runtime"
)

// handwritten is the baseline: the statements the generated methods run,
// written by hand with database/sql on the same driver. Its database is a
// second file opened by content.Open, so both sides have the same pragmas
// and pools (one writer connection, a pool of readers), and the baseline
// uses only the raw *sql.DB pools, no dbgen in between.
type handwritten struct{ w, r *sql.DB }

func openHandwritten(b *testing.B) *handwritten {
	db, err := content.Open(context.Background(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return &handwritten{w: db.Runtime().Writer(), r: db.Runtime().Reader()}
}

// The SQL below is what the runtime builds for the articles table
// (runtime/statements.go, list.go): quoted names, every column returned.
const articleColumns = `"id", "slug", "title", "body", "author_id", "published", "published_at", "word_count"`

func scanArticle(s dbrt.Scanner) (content.Article, error) {
	var a content.Article
	err := s.Scan(&a.ID, &a.Slug, &a.Title, &a.Body, &a.AuthorID, &a.Published, &a.PublishedAt, &a.WordCount)
	return a, err
}

// create is CreateArticle with slug, title and author set, published_at
// NULL, the rest their DEFAULT.
func (h *handwritten) create(ctx context.Context, slug string, author int64) (content.Article, error) {
	return scanArticle(h.w.QueryRowContext(ctx, `INSERT INTO "articles" ("slug", "title", "author_id", "published_at") VALUES (?, ?, ?, ?) RETURNING `+articleColumns,
		slug, "Title", author, nil))
}

func (h *handwritten) get(ctx context.Context, id int64) (content.Article, error) {
	return scanArticle(h.r.QueryRowContext(ctx, `SELECT `+articleColumns+` FROM "articles" WHERE "id" = ?`, id))
}

// update is UpdateArticle with a Set of two fields.
func (h *handwritten) update(ctx context.Context, id int64, title string, author int64) (content.Article, error) {
	return scanArticle(h.w.QueryRowContext(ctx, `UPDATE "articles" SET "title" = ?, "author_id" = ? WHERE "id" = ? RETURNING `+articleColumns,
		title, author, id))
}

// upsert is UpsertArticle with the id set: a conflict on the key updates
// the row's other given columns.
func (h *handwritten) upsert(ctx context.Context, id int64, slug, title string, author int64) (content.Article, error) {
	return scanArticle(h.w.QueryRowContext(ctx, `INSERT INTO "articles" ("id", "slug", "title", "author_id", "published_at") VALUES (?, ?, ?, ?, ?)`+
		` ON CONFLICT ("id") DO UPDATE SET "slug" = excluded."slug", "title" = excluded."title", "author_id" = excluded."author_id", "published_at" = excluded."published_at"`+
		` RETURNING `+articleColumns, id, slug, title, author, nil))
}

// list is ListArticles of one author, newest first, a page of 50: the
// runtime reads one row more to know whether there is a next page.
func (h *handwritten) list(ctx context.Context, author int64) ([]content.Article, error) {
	rows, err := h.r.QueryContext(ctx, `SELECT `+articleColumns+` FROM "articles" WHERE ("author_id" = ?) ORDER BY "id" DESC LIMIT 51`, author)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]content.Article, 0, 50)
	for rows.Next() {
		if len(out) == 50 {
			break // the extra row only says there is more
		}
		a, err := scanArticle(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// BenchmarkGeneratedVsHandwritten times each generated method next to its
// hand-written equivalent in the same loop, the two sides taking turns at
// going first so that machine noise and warm caches hit both, and reports
// the speed of the generated code relative to the hand-written
// (speed-vs-hand = hand-written time / generated time; target ≥ 0.95).
func BenchmarkGeneratedVsHandwritten(b *testing.B) {
	ctx := context.Background()
	for _, op := range []string{"Create", "Get", "Update", "Upsert", "List"} {
		b.Run(op, func(b *testing.B) {
			db, err := content.Open(ctx, b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			hand := openHandwritten(b)
			// Both databases hold the same 2,000 rows to read and update.
			var ids []int64
			for i := range 2000 {
				a, err := db.CreateArticle(ctx, content.CreateArticleParams{Slug: fmt.Sprintf("seed-%d", i), Title: "Title", AuthorID: int64(i % 20)})
				if err != nil {
					b.Fatal(err)
				}
				h, err := hand.create(ctx, fmt.Sprintf("seed-%d", i), int64(i%20))
				if err != nil {
					b.Fatal(err)
				}
				if h.ID != a.ID {
					b.Fatalf("seed row %d: generated id %d, hand-written %d", i, a.ID, h.ID)
				}
				ids = append(ids, a.ID)
			}
			list := content.ArticleQuery().Where(content.ArticleAuthorID.Eq(3)).OrderBy(content.ArticleID.Desc()).First(50)

			// Both sides must do the same work: same rows, same page.
			g, err1 := db.ListArticles(ctx, list)
			h, err2 := hand.list(ctx, 3)
			if err1 != nil || err2 != nil {
				b.Fatal(err1, err2)
			}
			if len(g.Items) != 50 || !g.HasMore || len(h) != 50 || g.Items[0] != h[0] || g.Items[49] != h[49] {
				b.Fatalf("pages differ: generated %d rows (more: %v), hand-written %d", len(g.Items), g.HasMore, len(h))
			}

			generated := func(i int) error {
				id := ids[i%len(ids)]
				var err error
				switch op {
				case "Create":
					_, err = db.CreateArticle(ctx, content.CreateArticleParams{Slug: fmt.Sprintf("g-%d", i), Title: "Title", AuthorID: 1})
				case "Get":
					_, err = db.GetArticle(ctx, id)
				case "Update":
					_, err = db.UpdateArticle(ctx, id, content.ArticleSet{Title: dbrt.Set(fmt.Sprintf("T%d", i%7)), AuthorID: dbrt.Set(int64(i % 20))})
				case "Upsert":
					_, err = db.UpsertArticle(ctx, content.CreateArticleParams{ID: dbrt.Set(id), Slug: fmt.Sprintf("seed-%d", i%len(ids)), Title: "U", AuthorID: int64(i % 20)})
				case "List":
					_, err = db.ListArticles(ctx, list)
				}
				return err
			}
			handWritten := func(i int) error {
				id := ids[i%len(ids)]
				var err error
				switch op {
				case "Create":
					_, err = hand.create(ctx, fmt.Sprintf("g-%d", i), 1)
				case "Get":
					_, err = hand.get(ctx, id)
				case "Update":
					_, err = hand.update(ctx, id, fmt.Sprintf("T%d", i%7), int64(i%20))
				case "Upsert":
					_, err = hand.upsert(ctx, id, fmt.Sprintf("seed-%d", i%len(ids)), "U", int64(i%20))
				case "List":
					_, err = hand.list(ctx, 3)
				}
				return err
			}

			var gen, base time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				first, second, tFirst, tSecond := generated, handWritten, &gen, &base
				if i%2 == 1 {
					first, second, tFirst, tSecond = handWritten, generated, &base, &gen
				}
				t0 := time.Now()
				err1 := first(i)
				t1 := time.Now()
				err2 := second(i)
				t2 := time.Now()
				if err1 != nil || err2 != nil {
					b.Fatal(err1, err2)
				}
				*tFirst += t1.Sub(t0)
				*tSecond += t2.Sub(t1)
			}
			b.ReportMetric(float64(gen.Nanoseconds())/float64(b.N), "gen-ns/op")
			b.ReportMetric(float64(base.Nanoseconds())/float64(b.N), "hand-ns/op")
			b.ReportMetric(base.Seconds()/gen.Seconds(), "speed-vs-hand")
		})
	}
}

// BenchmarkBulkCreateVsPreparedLoop times a generated bulk insert, whose
// dbrt.Opt fields most rows leave unset (their DEFAULT) and some set, next
// to the hand-written way to load rows: one transaction, one prepared
// single-row INSERT executed per row, its LastInsertId read. Each
// iteration loads one batch on each side, taking turns at going first.
// speed-vs-loop is loop time / bulk time (target ≥ 2).
//
// articles has two secondary indexes (the UNIQUE slug, author_id with
// published_at), whose b-tree work both sides do alike; stock_movements has
// one, and a foreign key that both sides check.
func BenchmarkBulkCreateVsPreparedLoop(b *testing.B) {
	ctx := context.Background()
	const batch = 500
	type bulkCase struct {
		name       string
		bulk, loop func(i int) error
		stored     func() (bulk, loop int64, err error) // rows each side stored as the other did
	}
	articles := func(b *testing.B, every int) bulkCase {
		db, err := content.Open(ctx, b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		hand := openHandwritten(b)
		rows := make([]content.CreateArticleParams, batch)
		body := func(r int) bool { return r%(3*every) == 1 }
		published := func(r int) bool { return r%every == every-1 }
		const count = `SELECT count(*) FROM "articles" WHERE published AND body = ''`
		return bulkCase{
			bulk: func(i int) error {
				for r := range rows {
					rows[r] = content.CreateArticleParams{Slug: fmt.Sprintf("b-%d-%d", i, r), Title: "Title", AuthorID: int64(r % 20)}
					if published(r) {
						rows[r].Published = dbrt.Set(true)
					}
					if body(r) {
						rows[r].Body = dbrt.Set("a body of a few words")
					}
				}
				ids, err := db.CreateArticles(ctx, rows)
				if err == nil && len(ids) != batch {
					err = fmt.Errorf("CreateArticles returned %d keys for %d rows", len(ids), batch)
				}
				return err
			},
			loop: func(i int) error {
				return handLoop(ctx, hand.w, `INSERT INTO "articles" ("slug", "title", "body", "author_id", "published", "published_at") VALUES (?, ?, ?, ?, ?, ?)`,
					batch, func(r int) []any {
						text := ""
						if body(r) {
							text = "a body of a few words"
						}
						return []any{fmt.Sprintf("b-%d-%d", i, r), "Title", text, int64(r % 20), published(r), nil}
					})
			},
			stored: func() (int64, int64, error) {
				var n1, n2 int64
				err1 := db.Runtime().Reader().QueryRowContext(ctx, count).Scan(&n1)
				err2 := hand.r.QueryRowContext(ctx, count).Scan(&n2)
				return n1, n2, errors.Join(err1, err2)
			},
		}
	}
	movements := func(b *testing.B, every int) bulkCase {
		open := func() *store.DB {
			db, err := store.Open(ctx, b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			for i := range 20 {
				if _, err := db.CreateProduct(ctx, store.CreateProductParams{Sku: fmt.Sprintf("p%d", i), Name: "P"}); err != nil {
					b.Fatal(err)
				}
			}
			return db
		}
		db, handDB := open(), open()
		hand := handDB.Runtime().Writer()
		rows := make([]store.CreateStockMovementParams, batch)
		movedAt := func(i, r int) (time.Time, bool) {
			return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i*batch+r) * time.Second), r%every == every-1
		}
		const count = `SELECT count(*) FROM "stock_movements" WHERE "moved_at" < '2027-01-01'`
		return bulkCase{
			bulk: func(i int) error {
				for r := range rows {
					rows[r] = store.CreateStockMovementParams{ProductID: int64(1 + r%20), Delta: int64(r%7 - 3)}
					if r%5 == 0 {
						rows[r].Note = sql.NullString{String: "recount", Valid: true}
					}
					if at, ok := movedAt(i, r); ok {
						rows[r].MovedAt = dbrt.Set(at)
					}
				}
				ids, err := db.CreateStockMovements(ctx, rows)
				if err == nil && len(ids) != batch {
					err = fmt.Errorf("CreateStockMovements returned %d keys for %d rows", len(ids), batch)
				}
				return err
			},
			loop: func(i int) error {
				// The unset time is SQLite's, as the DEFAULT would be: the
				// loop binds NULL for it.
				return handLoop(ctx, hand, `INSERT INTO "stock_movements" ("product_id", "delta", "note", "moved_at") VALUES (?, ?, ?, coalesce(?, CURRENT_TIMESTAMP))`,
					batch, func(r int) []any {
						var note, moved any
						if r%5 == 0 {
							note = "recount"
						}
						if at, ok := movedAt(i, r); ok {
							moved = at.UTC().Format(dbrt.DateTimeLayout)
						}
						return []any{int64(1 + r%20), int64(r%7 - 3), note, moved}
					})
			},
			stored: func() (int64, int64, error) {
				var n1, n2 int64
				err1 := db.Runtime().Reader().QueryRowContext(ctx, count).Scan(&n1)
				err2 := handDB.Runtime().Reader().QueryRowContext(ctx, count).Scan(&n2)
				return n1, n2, errors.Join(err1, err2)
			},
		}
	}
	cases := []struct {
		name string
		make func(b *testing.B) bulkCase
	}{
		{"articles/opt-set-1-in-10", func(b *testing.B) bulkCase { return articles(b, 10) }},
		{"articles/opt-set-1-in-100", func(b *testing.B) bulkCase { return articles(b, 100) }},
		{"stock_movements/opt-set-1-in-10", func(b *testing.B) bulkCase { return movements(b, 10) }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			bc := c.make(b)
			var tBulk, tLoop time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				first, second, tFirst, tSecond := bc.bulk, bc.loop, &tBulk, &tLoop
				if i%2 == 1 {
					first, second, tFirst, tSecond = bc.loop, bc.bulk, &tLoop, &tBulk
				}
				t0 := time.Now()
				err1 := first(i)
				t1 := time.Now()
				err2 := second(i)
				t2 := time.Now()
				if err1 != nil || err2 != nil {
					b.Fatal(err1, err2)
				}
				*tFirst += t1.Sub(t0)
				*tSecond += t2.Sub(t1)
			}
			b.StopTimer()
			// Both sides stored the same rows.
			n1, n2, err := bc.stored()
			if err != nil || n1 != n2 || n1 == 0 {
				b.Fatalf("bulk stored %d matching rows, the loop %d: %v", n1, n2, err)
			}
			per := float64(b.N * batch)
			b.ReportMetric(float64(tBulk.Nanoseconds())/per, "bulk-ns/row")
			b.ReportMetric(float64(tLoop.Nanoseconds())/per, "loop-ns/row")
			b.ReportMetric(tLoop.Seconds()/tBulk.Seconds(), "speed-vs-loop")
		})
	}
}

// handLoop inserts n rows in one transaction with one prepared statement,
// reading each row's key.
func handLoop(ctx context.Context, w *sql.DB, query string, n int, args func(r int) []any) error {
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, query)
	if err != nil {
		return err
	}
	defer stmt.Close()
	ids := make([]int64, 0, n)
	for r := range n {
		res, err := stmt.ExecContext(ctx, args(r)...)
		if err != nil {
			return err
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		ids = append(ids, id)
	}
	return tx.Commit()
}
