package apptest

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/ncruces/go-sqlite3/driver"

	"github.com/dbgen-dev/dbgen/gen/content"
)

// handwritten is the baseline: the same statements through database/sql on
// the same driver and pragmas, written by hand, one writer connection and a
// pool of readers, no dbgen in between.
type handwritten struct{ w, r *sql.DB }

const dsnPragmas = "?_pragma=busy_timeout(5000)&_pragma=journal_mode(wal)&_pragma=synchronous(normal)&_pragma=foreign_keys(on)"

func openHandwritten(b *testing.B, dir string) *handwritten {
	path := "file:" + filepath.ToSlash(filepath.Join(dir, "hand.db"))
	w, err := sql.Open("sqlite3", path+dsnPragmas+"&_txlock=immediate")
	if err != nil {
		b.Fatal(err)
	}
	w.SetMaxOpenConns(1)
	if _, err := w.Exec(content.DDL); err != nil {
		b.Fatal(err)
	}
	r, err := sql.Open("sqlite3", path+dsnPragmas+"&_pragma=query_only(on)")
	if err != nil {
		b.Fatal(err)
	}
	r.SetMaxIdleConns(4)
	b.Cleanup(func() { w.Close(); r.Close() })
	return &handwritten{w: w, r: r}
}

func (h *handwritten) create(ctx context.Context, slug string, author int64) (content.Article, error) {
	var a content.Article
	err := h.w.QueryRowContext(ctx, `INSERT INTO "articles" ("slug", "title", "author_id", "published_at") VALUES (?, ?, ?, ?)
RETURNING id, slug, title, body, author_id, published, published_at, word_count`, slug, "Title", author, nil).
		Scan(&a.ID, &a.Slug, &a.Title, &a.Body, &a.AuthorID, &a.Published, &a.PublishedAt, &a.WordCount)
	return a, err
}

func (h *handwritten) get(ctx context.Context, id int64) (content.Article, error) {
	var a content.Article
	err := h.r.QueryRowContext(ctx, `SELECT id, slug, title, body, author_id, published, published_at, word_count FROM "articles" WHERE "id" = ?`, id).
		Scan(&a.ID, &a.Slug, &a.Title, &a.Body, &a.AuthorID, &a.Published, &a.PublishedAt, &a.WordCount)
	return a, err
}

func (h *handwritten) update(ctx context.Context, a content.Article) (content.Article, error) {
	err := h.w.QueryRowContext(ctx, `UPDATE "articles" SET "slug" = ?, "title" = ?, "body" = ?, "author_id" = ?, "published" = ?, "published_at" = ? WHERE "id" = ?
RETURNING id, slug, title, body, author_id, published, published_at, word_count`, a.Slug, a.Title, a.Body, a.AuthorID, a.Published, a.PublishedAt, a.ID).
		Scan(&a.ID, &a.Slug, &a.Title, &a.Body, &a.AuthorID, &a.Published, &a.PublishedAt, &a.WordCount)
	return a, err
}

func (h *handwritten) list(ctx context.Context, author int64) ([]content.Article, error) {
	rows, err := h.r.QueryContext(ctx, `SELECT id, slug, title, body, author_id, published, published_at, word_count FROM "articles"
WHERE "author_id" = ? ORDER BY "id" DESC LIMIT 51`, author)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []content.Article
	for rows.Next() {
		var a content.Article
		if err := rows.Scan(&a.ID, &a.Slug, &a.Title, &a.Body, &a.AuthorID, &a.Published, &a.PublishedAt, &a.WordCount); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// BenchmarkGeneratedVsHandwritten times each generated method next to its
// hand-written equivalent, alternating in the same loop, and reports the
// speed of the generated code relative to the hand-written (target ≥ 0.95).
func BenchmarkGeneratedVsHandwritten(b *testing.B) {
	ctx := context.Background()
	for _, op := range []string{"Create", "Get", "Update", "List"} {
		b.Run(op, func(b *testing.B) {
			dir := b.TempDir()
			db, err := content.Open(ctx, dir)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			hand := openHandwritten(b, dir)
			// Both databases hold the same 2,000 rows to read and update.
			var ids []int64
			for i := range 2000 {
				a, err := db.CreateArticle(ctx, content.CreateArticleParams{Slug: fmt.Sprintf("seed-%d", i), Title: "Title", AuthorID: int64(i % 20)})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := hand.create(ctx, fmt.Sprintf("seed-%d", i), int64(i%20)); err != nil {
					b.Fatal(err)
				}
				ids = append(ids, a.ID)
			}
			list := content.ArticleQuery().Where(content.ArticleAuthorID.Eq(3)).OrderBy(content.ArticleID.Desc()).First(50)
			var gen, base time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				id := ids[i%len(ids)]
				var err1, err2 error
				t0 := time.Now()
				switch op {
				case "Create":
					_, err1 = db.CreateArticle(ctx, content.CreateArticleParams{Slug: fmt.Sprintf("g-%d", i), Title: "Title", AuthorID: 1})
				case "Get":
					_, err1 = db.GetArticle(ctx, id)
				case "Update":
					_, err1 = db.UpdateArticle(ctx, content.UpdateArticleParams{ID: id, Slug: fmt.Sprintf("seed-%d", i%len(ids)), Title: "T", AuthorID: 2})
				case "List":
					_, err1 = db.ListArticles(ctx, list)
				}
				t1 := time.Now()
				switch op {
				case "Create":
					_, err2 = hand.create(ctx, fmt.Sprintf("g-%d", i), 1)
				case "Get":
					_, err2 = hand.get(ctx, id)
				case "Update":
					_, err2 = hand.update(ctx, content.Article{ID: id, Slug: fmt.Sprintf("seed-%d", i%len(ids)), Title: "T", AuthorID: 2})
				case "List":
					_, err2 = hand.list(ctx, 3)
				}
				t2 := time.Now()
				if err1 != nil || err2 != nil {
					b.Fatal(err1, err2)
				}
				if op == "List" && i == 0 {
					// Both sides must do the same work: same rows, same page.
					g, _ := db.ListArticles(ctx, list)
					h, _ := hand.list(ctx, 3)
					if len(g.Items) != 50 || len(h) != 51 {
						b.Fatalf("pages differ: generated %d rows, hand-written %d", len(g.Items), len(h))
					}
				}
				gen += t1.Sub(t0)
				base += t2.Sub(t1)
			}
			b.ReportMetric(float64(gen.Nanoseconds())/float64(b.N), "gen-ns/op")
			b.ReportMetric(float64(base.Nanoseconds())/float64(b.N), "hand-ns/op")
			b.ReportMetric(base.Seconds()/gen.Seconds(), "speed-vs-hand")
		})
	}
}
