package check

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/dbgen-dev/dbgen/generator/discover"
	"github.com/dbgen-dev/dbgen/generator/load"
	"github.com/dbgen-dev/dbgen/generator/migrate"
)

// pgCheck checks the PostgreSQL migrations of each database when the
// postgres target is on: their files always (no server needed), and with
// a dev database (Options.DevURL) their replay to the derived schema, their
// down scripts and lint, on the server.
type pgCheck struct {
	opts        Options
	root        string
	project     *discover.Project
	dev         *migrate.PostgresDev
	notReplayed bool
}

// check returns the findings of db's PostgreSQL migrations, those of the
// SQLite folder dir's postgres folder.
func (c *pgCheck) check(ctx context.Context, db *load.Database, dir string) ([]migrate.Finding, error) {
	found, err := c.findings(ctx, db, dir)
	// The messages name folders as the findings' files are named:
	// relative to the project root.
	prefix := c.root + string(filepath.Separator)
	for i := range found {
		found[i].Message = strings.ReplaceAll(found[i].Message, prefix, "")
	}
	return found, err
}

func (c *pgCheck) findings(ctx context.Context, db *load.Database, dir string) ([]migrate.Finding, error) {
	pgDir := filepath.Join(dir, migrate.PostgresDir)
	shipped, err := shippedMigrations(ctx, c.root, pgDir, c.opts.Base)
	if err != nil {
		return nil, err
	}
	changes, _, err := ShippedChanges(ctx, c.root, pgDir, c.opts.Base)
	if err != nil {
		return nil, err
	}
	found, err := migrate.VerifyPostgresFiles(dir, pgDir, migrate.VerifyOptions{Shipped: shipped, Diverged: divergedOf(changes)})
	if err != nil {
		return nil, fmt.Errorf("verify %s: %w", relTo(c.root, pgDir), err)
	}
	found = append(found, shippedFindings(changes)...)
	if _, err := os.Stat(pgDir); errors.Is(err, fs.ErrNotExist) {
		return found, nil // VerifyPostgresFiles says how to write it
	}
	if c.opts.DevURL == "" {
		c.notReplayed = true
		return found, nil
	}
	var overrides []*discover.File
	if d := c.project.Database(db.Name); d != nil {
		overrides = d.PostgresSchemas
	}
	desired, err := migrate.DerivePostgres(db, overrides)
	if err != nil {
		return nil, err
	}
	if c.dev == nil {
		source := c.opts.DevURLSource
		if source == "" {
			source = "--dev-url"
		}
		if c.dev, err = migrate.OpenPostgresDev(ctx, source, c.opts.DevURL); err != nil {
			return nil, err
		}
	}
	replayed, err := migrate.VerifyPostgres(ctx, c.dev, pgDir, desired)
	if err != nil {
		return nil, fmt.Errorf("verify %s on the dev database: %w", relTo(c.root, pgDir), err)
	}
	found = append(found, replayed...)
	files, err := lintTargets(pgDir, c.opts.Base, shipped)
	if err != nil {
		return nil, err
	}
	if len(files) > 0 {
		lint, err := migrate.LintPostgres(ctx, c.dev, pgDir, files)
		if err != nil {
			return nil, fmt.Errorf("lint %s: %w", relTo(c.root, pgDir), err)
		}
		found = append(found, lint...)
	}
	return found, nil
}

// close ends the work on the dev database: every scratch schema is gone.
func (c *pgCheck) close() {
	if c.dev != nil {
		c.dev.Close()
	}
}
