package check

import (
	"context"
	"testing"

	"github.com/dbgen-dev/dbgen/generator"
)

// TestExampleInSync is what CI runs on this repository: the example
// application's gen/ and migrations match schemas/.
func TestExampleInSync(t *testing.T) {
	if testing.Short() {
		t.Skip("runs sqlc over the example schemas")
	}
	rep, err := Run(context.Background(), Options{Options: generator.Options{Root: "../.."}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		t.Error(f)
	}
	if rep.Databases != 5 {
		t.Errorf("checked %d databases, want 5", rep.Databases)
	}
	// The postgres target is on: without a server, the PostgreSQL
	// migrations' files are checked, and the report says what was not.
	if !rep.PostgresNotPrepared || !rep.PostgresMigrationsNotReplayed {
		t.Errorf("without a dev database: not prepared %v, not replayed %v; want both", rep.PostgresNotPrepared, rep.PostgresMigrationsNotReplayed)
	}
}

// BenchmarkCheckExample times `dbgen check` on the example repository,
// whose target is absolute: under 1 s, so that CI pays little for it.
func BenchmarkCheckExample(b *testing.B) {
	ctx := context.Background()
	opts := Options{Options: generator.Options{Root: "../.."}}
	for i := 0; i < b.N; i++ {
		rep, err := Run(ctx, opts)
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Findings) > 0 {
			b.Fatalf("example out of sync: %v", rep.Findings)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "check-s")
}
