package admin

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkTableData measures the rows route as a load test would: 32
// concurrent clients on loopback, each with its own keep-alive connection,
// reading 50-row pages of a filtered, sorted table. One iteration is a
// fixed burst of requests, so that even -benchtime 1x (make bench) gives a
// figure; any failed request fails the benchmark.
func BenchmarkTableData(b *testing.B) {
	const (
		clients   = 32
		perClient = 100
	)
	srv := httptest.NewServer(NewHandler(openManager(b), Options{}))
	defer srv.Close()
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	urls := []string{
		srv.URL + "/api/v1/db/framework/tables/logs?page_size=50&sort=-created_at",
		srv.URL + "/api/v1/db/framework/tables/logs?page_size=50&level=error&sort=-id&page=2",
		srv.URL + "/api/v1/db/accounts/tables/users?page_size=50&status__in=active,suspended&sort=email",
	}

	var failed atomic.Int64
	var firstErr atomic.Value
	var total time.Duration
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		var wg sync.WaitGroup
		for c := range clients {
			wg.Go(func() {
				for i := range perClient {
					if err := get(client, urls[(c+i)%len(urls)]); err != nil {
						failed.Add(1)
						firstErr.CompareAndSwap(nil, err)
					}
				}
			})
		}
		wg.Wait()
		total += time.Since(start)
	}
	b.StopTimer()
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d requests failed; first: %v", n, firstErr.Load())
	}
	b.ReportMetric(float64(b.N*clients*perClient)/total.Seconds(), "req/s")
	b.ReportMetric(0, "errors")
}

func get(c *http.Client, url string) error {
	res, err := c.Get(url)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return &httpError{url, res.Status}
	}
	return nil
}

type httpError struct{ url, status string }

func (e *httpError) Error() string { return e.url + ": " + e.status }
