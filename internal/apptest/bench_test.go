package apptest

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/dbgen-dev/dbgen/gen/content"
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

// BenchmarkBulkCreateVsPreparedLoop times CreateArticles, whose dbrt.Opt
// fields most rows leave unset (their DEFAULT) and some set, next to the
// hand-written way to load rows: one transaction, one prepared single-row
// INSERT of every column, executed per row, its LastInsertId read. Each
// iteration loads one batch on each side, taking turns at going first.
// speed-vs-loop is loop time / bulk time (target ≥ 2).
func BenchmarkBulkCreateVsPreparedLoop(b *testing.B) {
	ctx := context.Background()
	const batch = 500
	for _, every := range []int{10, 100} {
		b.Run(fmt.Sprintf("opt-set-1-in-%d", every), func(b *testing.B) {
			db, err := content.Open(ctx, b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			hand := openHandwritten(b)
			rows := make([]content.CreateArticleParams, batch)
			bulk := func(i int) error {
				for r := range rows {
					rows[r] = content.CreateArticleParams{Slug: fmt.Sprintf("b-%d-%d", i, r), Title: "Title", AuthorID: int64(r % 20)}
					if r%every == every-1 {
						rows[r].Published = dbrt.Set(true)
					}
					if r%(3*every) == 1 {
						rows[r].Body = dbrt.Set("a body of a few words")
					}
				}
				ids, err := db.CreateArticles(ctx, rows)
				if err == nil && len(ids) != batch {
					err = fmt.Errorf("CreateArticles returned %d keys for %d rows", len(ids), batch)
				}
				return err
			}
			loop := func(i int) error {
				tx, err := hand.w.BeginTx(ctx, nil)
				if err != nil {
					return err
				}
				defer tx.Rollback()
				stmt, err := tx.PrepareContext(ctx, `INSERT INTO "articles" ("slug", "title", "body", "author_id", "published", "published_at") VALUES (?, ?, ?, ?, ?, ?)`)
				if err != nil {
					return err
				}
				defer stmt.Close()
				ids := make([]int64, 0, batch)
				for r := range batch {
					body := ""
					if r%(3*every) == 1 {
						body = "a body of a few words"
					}
					res, err := stmt.ExecContext(ctx, fmt.Sprintf("b-%d-%d", i, r), "Title", body, int64(r%20), r%every == every-1, nil)
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
			var tBulk, tLoop time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				first, second, tFirst, tSecond := bulk, loop, &tBulk, &tLoop
				if i%2 == 1 {
					first, second, tFirst, tSecond = loop, bulk, &tLoop, &tBulk
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
			n1, err1 := db.CountArticles(ctx)
			var n2 int64
			err2 := hand.r.QueryRowContext(ctx, `SELECT count(*) FROM "articles" WHERE published`).Scan(&n2)
			var p1 int64
			err3 := db.Runtime().Reader().QueryRowContext(ctx, `SELECT count(*) FROM "articles" WHERE published`).Scan(&p1)
			if err1 != nil || err2 != nil || err3 != nil || n1 != int64(b.N*batch) || p1 != n2 {
				b.Fatalf("bulk stored %d rows (%d published), loop %d published: %v %v %v", n1, p1, n2, err1, err2, err3)
			}
			per := float64(b.N * batch)
			b.ReportMetric(float64(tBulk.Nanoseconds())/per, "bulk-ns/row")
			b.ReportMetric(float64(tLoop.Nanoseconds())/per, "loop-ns/row")
			b.ReportMetric(tLoop.Seconds()/tBulk.Seconds(), "speed-vs-loop")
		})
	}
}
