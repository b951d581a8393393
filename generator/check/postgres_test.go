package check

import (
	"context"
	"testing"

	"github.com/dbgen-dev/dbgen/generator"
	"github.com/dbgen-dev/dbgen/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestExampleInSyncOnPostgres is check with a dev database on the example
// application, whose postgres target is on: its PostgreSQL migrations
// replay to the derived schemas, their down scripts restore each schema
// before, and they pass lint, as CI checks with DBGEN_DEV_URL.
func TestExampleInSyncOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("runs sqlc over the example schemas")
	}
	url := pgtest.Start(t).NewDatabase(t)
	rep, err := Run(context.Background(), Options{Options: generator.Options{Root: "../..", DevURL: url, DevURLSource: "--dev-url"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		t.Error(f)
	}
	if rep.Databases != 5 || rep.PostgresNotPrepared || rep.PostgresMigrationsNotReplayed {
		t.Errorf("report: %d databases, not prepared %v, not replayed %v; want 5, false, false",
			rep.Databases, rep.PostgresNotPrepared, rep.PostgresMigrationsNotReplayed)
	}
}
