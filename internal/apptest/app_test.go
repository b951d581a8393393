package apptest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dbgen-dev/dbgen/gen"
	"github.com/dbgen-dev/dbgen/gen/accounts"
	"github.com/dbgen-dev/dbgen/gen/billing"
	"github.com/dbgen-dev/dbgen/gen/content"
	dbrt "github.com/dbgen-dev/dbgen/runtime"
)

// TestManagerOverRegistry opens every database of the example application
// from the generated registry, on each engine: each is migrated and ready.
func TestManagerOverRegistry(t *testing.T) { onEngines(t, testManagerOverRegistry) }

func testManagerOverRegistry(t *testing.T, eng engine) {
	ctx := context.Background()
	m, err := dbrt.OpenManager(ctx, eng.dir(t), gen.Registry())
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := m.Ready(ctx); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"accounts", "billing", "content", "framework", "store"}, m.Names()); diff != "" {
		t.Error(diff)
	}
	for _, st := range m.Status(ctx) {
		if !st.Ready || st.MigrationVersion == "" || st.Tables == 0 {
			t.Errorf("%s: %+v, want ready at a migration version with tables", st.Name, st)
		}
	}
	rt, err := m.DB("billing")
	if err != nil {
		t.Fatal(err)
	}
	b := billing.Wrap(rt)
	if _, err := b.CreatePlan(ctx, billing.CreatePlanParams{Code: "pro", Name: "Pro", PriceCents: 900, Interval: "month"}); err != nil {
		t.Fatal(err)
	}
	sub, err := b.CreateSubscription(ctx, billing.CreateSubscriptionParams{AccountID: 7, PlanCode: "pro"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.ActiveSubscription(ctx, 7)
	if err != nil || got.ID != sub.ID {
		t.Fatalf("ActiveSubscription = %+v, %v; want subscription %d", got, err, sub.ID)
	}
	n, err := b.CancelSubscription(ctx, sub.ID)
	if err != nil || n != 1 {
		t.Fatalf("CancelSubscription = %d, %v", n, err)
	}
	if _, err := b.ActiveSubscription(ctx, 7); !errors.Is(err, sql.ErrNoRows) || !errors.Is(err, dbrt.ErrNotFound) {
		t.Fatalf("ActiveSubscription after cancel: %v, want dbrt.ErrNotFound and sql.ErrNoRows", err)
	}
}

// TestTypedListAndBulk inserts articles in bulk and pages through them with
// the typed query API, checking against what Go computes, on each engine.
func TestTypedListAndBulk(t *testing.T) { onEngines(t, testTypedListAndBulk) }

func testTypedListAndBulk(t *testing.T, eng engine) {
	ctx := context.Background()
	db, err := content.Open(ctx, eng.dir(t, &content.Definition))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rows []content.CreateArticleParams
	for i := range 250 {
		rows = append(rows, content.CreateArticleParams{
			Slug: fmt.Sprintf("a-%03d", i), Title: fmt.Sprintf("Title %d", i%7), AuthorID: int64(i % 5),
		})
	}
	ids, err := db.CreateArticles(ctx, rows)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(rows) {
		t.Fatalf("CreateArticles returned %d keys for %d rows", len(ids), len(rows))
	}
	var created []content.Article
	for i, id := range ids {
		a, err := db.GetArticle(ctx, id)
		if err != nil || a.Slug != rows[i].Slug {
			t.Fatalf("key %d of row %d: %+v, %v", id, i, a, err)
		}
		created = append(created, a)
	}

	// Author 3's articles, by title then newest id first, 10 a page.
	var want []int64
	for i := len(created) - 1; i >= 0; i-- {
		if created[i].AuthorID == 3 {
			want = append(want, created[i].ID)
		}
	}
	byTitle := map[int64]string{}
	for _, a := range created {
		byTitle[a.ID] = a.Title
	}
	sortStable(want, func(a, b int64) bool { return byTitle[a] < byTitle[b] })

	q := content.ArticleQuery().
		Where(content.ArticleAuthorID.Eq(3)).
		OrderBy(content.ArticleTitle.Asc(), content.ArticleID.Desc()).
		First(10)
	// Between pages, author 3 gets rows that sort before the cursor (a title
	// before every other, and the cursor row's own title with a newer, so
	// earlier, id) and one after every row. The walk must show none of the
	// first kind and each of the second once, at the end.
	var got, early, late []int64
	for pages := 0; ; pages++ {
		page, err := db.ListArticles(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range page.Items {
			got = append(got, a.ID)
		}
		if !page.HasMore {
			break
		}
		q = q.After(page.NextCursor)
		last := page.Items[len(page.Items)-1]
		for i, title := range []string{"A early", last.Title, fmt.Sprintf("zzz %03d", pages)} {
			a, err := db.CreateArticle(ctx, content.CreateArticleParams{
				Slug: fmt.Sprintf("late-%d-%d", pages, i), Title: title, AuthorID: 3})
			if err != nil {
				t.Fatal(err)
			}
			if i < 2 {
				early = append(early, a.ID)
			} else {
				late = append(late, a.ID)
			}
		}
	}
	want = append(want, late...)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("keyset walk (-want +got):\n%s", diff)
	}
	if len(late) < 5 {
		t.Errorf("%d pages inserted rows; the walk was too short to test them", len(late))
	}
	seen := map[int64]bool{}
	for _, id := range got {
		if seen[id] || slices.Contains(early, id) {
			t.Errorf("article %d repeated or sorting before the cursor it was inserted behind", id)
		}
		seen[id] = true
	}
}

// TestConstraintErrorsAreCoded checks that a generated write reports a
// violated constraint with the runtime's code, its kind and the columns
// involved, the same on each engine.
func TestConstraintErrorsAreCoded(t *testing.T) { onEngines(t, testConstraintErrorsAreCoded) }

func testConstraintErrorsAreCoded(t *testing.T, eng engine) {
	ctx := context.Background()
	db, err := accounts.Open(ctx, eng.dir(t, &accounts.Definition))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	org, err := db.CreateOrganization(ctx, accounts.CreateOrganizationParams{Slug: "acme", Name: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.CreateOrganization(ctx, accounts.CreateOrganizationParams{Slug: "acme", Name: "Again"})
	var e *dbrt.Error
	if !errors.As(err, &e) || e.Code != dbrt.CodeConstraintViolation {
		t.Fatalf("duplicate slug: %v, want CONSTRAINT_VIOLATION", err)
	}
	if diff := cmp.Diff(map[string]any{"kind": dbrt.ConstraintUnique, "table": "organizations", "columns": []string{"slug"}}, e.Details); diff != "" {
		t.Errorf("duplicate slug: details (-want +got):\n%s", diff)
	}
	_, err = db.CreateUser(ctx, accounts.CreateUserParams{OrganizationID: org.ID + 100, Email: "x@y.z", DisplayName: "X"})
	if !errors.Is(err, dbrt.ErrConstraint) || !errors.As(err, &e) || e.Details["kind"] != dbrt.ConstraintForeignKey {
		t.Fatalf("unknown organization: %v, want a foreign key violation", err)
	}
}

func sortStable(ids []int64, less func(a, b int64) bool) {
	for i := 1; i < len(ids); i++ {
		for j := i; j > 0 && less(ids[j], ids[j-1]); j-- {
			ids[j], ids[j-1] = ids[j-1], ids[j]
		}
	}
}
