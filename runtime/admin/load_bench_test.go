package admin

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dbgen-dev/dbgen/runtime"
)

// loadShapes are the pages both servers are asked for: the admin API's
// table-data route, and the hand-written handler's route for the same page.
// pages is how many 50-row pages the seeded rows fill.
var loadShapes = []struct {
	admin string // path and query, without page
	pages int
}{
	{"/api/v1/db/framework/tables/logs?page_size=50&sort=-created_at", seedLogs / 50},
	{"/api/v1/db/framework/tables/logs?page_size=50&level=error&sort=-id", seedLogs / 4 / 50},
	{"/api/v1/db/accounts/tables/users?page_size=50&status__in=active,suspended&sort=email", seedUsers * 2 / 3 / 50},
}

// BenchmarkTableDataLoad is the admin API's load figure: 32 concurrent
// clients on loopback, each with its own keep-alive connection, reading
// numbered 50-row pages (count and page, filtered and sorted) from the
// table-data route; and, in the same run on the same data and reader pool,
// a plain net/http + database/sql handler running the same two queries in
// one read transaction, scanning into structs and writing encoding/json.
// Each iteration is one burst against each server, so drift of the machine
// falls on both. Any failed request fails the benchmark. Metrics:
// admin_req/s, plain_req/s, and admin/plain, the share of the plain
// handler's throughput the admin API keeps.
func BenchmarkTableDataLoad(b *testing.B) {
	const (
		clients   = 32
		perClient = 100
	)
	m := openManager(b)
	admin := httptest.NewServer(NewHandler(m, Options{}))
	defer admin.Close()
	plain := httptest.NewServer(plainTableData(b, m))
	defer plain.Close()

	adminURL := func(shape, page int) string {
		return admin.URL + loadShapes[shape].admin + "&page=" + strconv.Itoa(page)
	}
	plainURL := func(shape, page int) string {
		return plain.URL + "/plain/" + strconv.Itoa(shape) + "?page_size=50&page=" + strconv.Itoa(page)
	}
	burst := func(client *http.Client, url func(shape, page int) string) (time.Duration, int64, error) {
		var failed atomic.Int64
		var firstErr atomic.Value
		start := time.Now()
		var wg sync.WaitGroup
		for c := range clients {
			wg.Go(func() {
				for i := range perClient {
					n := c*perClient + i
					shape := n % len(loadShapes)
					page := 1 + n/len(loadShapes)%loadShapes[shape].pages
					if err := get(client, url(shape, page)); err != nil {
						failed.Add(1)
						firstErr.CompareAndSwap(nil, err)
					}
				}
			})
		}
		wg.Wait()
		err, _ := firstErr.Load().(error)
		return time.Since(start), failed.Load(), err
	}
	newClient := func() *http.Client {
		tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients}
		b.Cleanup(tr.CloseIdleConnections)
		return &http.Client{Transport: tr, Timeout: 10 * time.Second}
	}
	adminClient, plainClient := newClient(), newClient()
	// The same page from both, once: the baseline must do the same work.
	if err := samePage(adminClient, plainClient, adminURL(2, 2), plainURL(2, 2)); err != nil {
		b.Fatal(err)
	}

	var tAdmin, tPlain time.Duration
	b.ResetTimer()
	for range b.N {
		for _, run := range []struct {
			client *http.Client
			url    func(int, int) string
			total  *time.Duration
		}{{adminClient, adminURL, &tAdmin}, {plainClient, plainURL, &tPlain}} {
			d, failed, err := burst(run.client, run.url)
			if failed > 0 {
				b.Fatalf("%d of %d requests failed; first: %v", failed, clients*perClient, err)
			}
			*run.total += d
		}
	}
	b.StopTimer()
	n := float64(b.N * clients * perClient)
	adminRate, plainRate := n/tAdmin.Seconds(), n/tPlain.Seconds()
	b.ReportMetric(adminRate, "admin_req/s")
	b.ReportMetric(plainRate, "plain_req/s")
	b.ReportMetric(adminRate/plainRate, "admin/plain")
	b.ReportMetric(0, "errors")
}

// samePage fails unless both servers answer a page with the same records
// and total.
func samePage(ac, pc *http.Client, adminURL, plainURL string) error {
	type page struct {
		Records []map[string]any `json:"records"`
		Total   int64            `json:"total"`
	}
	var a, p page
	for _, x := range []struct {
		c   *http.Client
		url string
		v   *page
	}{{ac, adminURL, &a}, {pc, plainURL, &p}} {
		res, err := x.c.Get(x.url)
		if err != nil {
			return err
		}
		err = json.NewDecoder(res.Body).Decode(x.v)
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusOK {
			return fmt.Errorf("%s: %s %v", x.url, res.Status, err)
		}
	}
	if len(a.Records) != len(p.Records) || a.Total != p.Total || len(a.Records) == 0 {
		return fmt.Errorf("admin page has %d records of %d, plain %d of %d", len(a.Records), a.Total, len(p.Records), p.Total)
	}
	for i := range a.Records {
		if a.Records[i]["email"] != p.Records[i]["email"] || len(a.Records[i]) != len(p.Records[i]) {
			return fmt.Errorf("record %d: admin %v, plain %v", i, a.Records[i], p.Records[i])
		}
	}
	return nil
}

type plainLog struct {
	ID         int64           `json:"id"`
	Level      string          `json:"level"`
	Module     *string         `json:"module"`
	Message    string          `json:"message"`
	Attributes json.RawMessage `json:"attributes"`
	CreatedAt  time.Time       `json:"created_at"`
}

type plainUser struct {
	ID             int64      `json:"id"`
	OrganizationID int64      `json:"organization_id"`
	Email          string     `json:"email"`
	DisplayName    string     `json:"display_name"`
	Status         string     `json:"status"`
	Avatar         []byte     `json:"avatar"`
	LastLoginAt    *time.Time `json:"last_login_at"`
	CreatedAt      time.Time  `json:"created_at"`
	EmailDomain    *string    `json:"email_domain"`
}

// plainTableData serves /plain/{shape}?page=&page_size= as a hand-written
// handler would: the shape's count and page queries, the SQL the admin API
// runs for the same request, in one read-only transaction on the same
// reader pool.
func plainTableData(tb testing.TB, m *runtime.Manager) http.Handler {
	framework, err := m.DB("framework")
	if err != nil {
		tb.Fatal(err)
	}
	accounts, err := m.DB("accounts")
	if err != nil {
		tb.Fatal(err)
	}
	const logCols = `"id", "level", "module", "message", "attributes", "created_at"`
	const userCols = `"id", "organization_id", "email", "display_name", "status", "avatar", "last_login_at", "created_at", "email_domain"`
	type shape struct {
		db          *sql.DB
		count, page string
		args        []any
		scan        func(*sql.Rows) (any, error)
	}
	scanLog := func(r *sql.Rows) (any, error) {
		var l plainLog
		var attrs sql.NullString
		err := r.Scan(&l.ID, &l.Level, &l.Module, &l.Message, &attrs, &l.CreatedAt)
		if attrs.Valid {
			l.Attributes = json.RawMessage(attrs.String)
		}
		return l, err
	}
	scanUser := func(r *sql.Rows) (any, error) {
		var u plainUser
		err := r.Scan(&u.ID, &u.OrganizationID, &u.Email, &u.DisplayName, &u.Status, &u.Avatar, &u.LastLoginAt, &u.CreatedAt, &u.EmailDomain)
		return u, err
	}
	shapes := []shape{{
		db:    framework.Reader(),
		count: `SELECT count(*) FROM "logs"`,
		page:  `SELECT ` + logCols + ` FROM "logs" ORDER BY "created_at" DESC, "id" LIMIT 51 OFFSET ?`,
		scan:  scanLog,
	}, {
		db:    framework.Reader(),
		count: `SELECT count(*) FROM "logs" WHERE "level" = ?`,
		page:  `SELECT ` + logCols + ` FROM "logs" WHERE "level" = ? ORDER BY "id" DESC LIMIT 51 OFFSET ?`,
		args:  []any{"error"},
		scan:  scanLog,
	}, {
		db:    accounts.Reader(),
		count: `SELECT count(*) FROM "users" WHERE "status" IN (?, ?)`,
		page:  `SELECT ` + userCols + ` FROM "users" WHERE "status" IN (?, ?) ORDER BY "email", "id" LIMIT 51 OFFSET ?`,
		args:  []any{"active", "suspended"},
		scan:  scanUser,
	}}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /plain/{shape}", func(w http.ResponseWriter, r *http.Request) {
		i, err := strconv.Atoi(r.PathValue("shape"))
		if err != nil || i < 0 || i >= len(shapes) {
			http.NotFound(w, r)
			return
		}
		page, err1 := strconv.Atoi(r.URL.Query().Get("page"))
		size, err2 := strconv.Atoi(r.URL.Query().Get("page_size"))
		if err1 != nil || err2 != nil || page < 1 || size != 50 {
			http.Error(w, "bad page", http.StatusBadRequest)
			return
		}
		s := shapes[i]
		out := struct {
			Records  []any `json:"records"`
			Total    int64 `json:"total"`
			Page     int   `json:"page"`
			PageSize int   `json:"page_size"`
			HasMore  bool  `json:"has_more"`
		}{Records: []any{}, Page: page, PageSize: size}
		err = readTx(r.Context(), s.db, func(tx *sql.Tx) error {
			if err := tx.QueryRowContext(r.Context(), s.count, s.args...).Scan(&out.Total); err != nil {
				return err
			}
			rows, err := tx.QueryContext(r.Context(), s.page, append(s.args[:len(s.args):len(s.args)], (page-1)*size)...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				if len(out.Records) == size {
					out.HasMore = true
					break
				}
				rec, err := s.scan(rows)
				if err != nil {
					return err
				}
				out.Records = append(out.Records, rec)
			}
			return rows.Err()
		})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(out)
	})
	return mux
}

func readTx(ctx context.Context, db *sql.DB, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}
