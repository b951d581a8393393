package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/dbgen-dev/dbgen/generator"
	"github.com/dbgen-dev/dbgen/generator/discover"
	"github.com/dbgen-dev/dbgen/generator/introspect"
	dbrt "github.com/dbgen-dev/dbgen/runtime"
	"github.com/dbgen-dev/dbgen/runtime/admin"
)

// Server timeouts: generous for a slow page of rows, short enough that an
// idle or stalled client cannot hold a connection for long.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 2 * time.Minute
	maxHeaderBytes    = 64 << 10
	shutdownTimeout   = 10 * time.Second
)

func newServeCmd(g *globalFlags) *cobra.Command {
	var dir, url, addr, tokenEnv string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the admin API and page over the SQLite files of a folder, or a PostgreSQL database",
		Long: `serve opens every *.db file of --dir, describing each by inspecting it (so any
SQLite file will do), and serves the admin REST API under /api/v1/db/ and the
admin page at /admin/. It listens on loopback unless --addr says otherwise.

Without --token-env the server is read-only: every file is opened read-only
(mode=ro, query_only), routes that change data answer 403, and the files are
left byte for byte as they were: no journal mode switched, no statistics
written, no WAL checkpointed. Beside a file in WAL mode SQLite keeps its
-shm index, and creates an empty -wal if there is none.

A token (--token-env names the variable that holds it) enables writes: the
files are opened for writing, in WAL mode (a file in another journal mode is
switched to WAL), and the routes that create, update and delete records and
run or revert migrations accept requests that send
"Authorization: Bearer <token>"; reads need no token. Opening never changes
a file's schema.

With --root, serve runs beside the project's schema files: each database's
migrations folder (<out>/<db>/migrations) is served with it, so that the API
and the page list pending migrations with their SQL and run them (with the
token), and POST /api/v1/db/migrations/generate plans the next migration
from the schema files as dbgen migrate diff does. Without --root, generate
answers 409 NO_SCHEMA_FILES. --dir stays relative to the current folder.

With --url postgres://... serve opens a PostgreSQL database instead, as the
runtime lays an application out there: each schema that holds tables is a
database, named after it, described by reading the catalogs. Without a
token every connection is read-only (default_transaction_read_only); with
one, writes go through as on SQLite. Neither --dir nor --url given, the
databases are where DATABASE_URL says, as the runtime finds them (a folder,
or a postgres:// URL), else in data.`,
		Example: `  dbgen serve --dir data
  DBGEN_TOKEN=$(openssl rand -hex 32) dbgen serve --dir data --token-env DBGEN_TOKEN
  DBGEN_TOKEN=... dbgen serve --root . --dir data --token-env DBGEN_TOKEN   # plan and run migrations from the page
  dbgen serve --url postgres://app@localhost/app   # every schema of the database, read-only`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// The root command ends the context on SIGINT; a service
			// manager stops us with SIGTERM.
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGTERM)
			defer stop()
			loc, err := serveLocation(cmd, dir, url)
			if err != nil {
				return err
			}
			var project *discover.Project
			if cmd.Flags().Changed("root") {
				if dbrt.IsPostgresURL(loc) {
					return fmt.Errorf("--root with a PostgreSQL database: not supported yet; serve it without --root")
				}
				p, err := generator.Project(g.options())
				if err != nil {
					return err
				}
				project = p
			}
			return serve(ctx, cmd, g, project, loc, addr, tokenEnv)
		},
	}
	cmd.Flags().StringVar(&dir, "dir", dbrt.DefaultDataDir, "folder of the *.db files (default: DATABASE_URL, else data)")
	cmd.Flags().StringVar(&url, "url", "", "postgres:// URL of a PostgreSQL database whose schemas to serve, instead of --dir")
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on (host:port; port 0 picks a free one)")
	cmd.Flags().StringVar(&tokenEnv, "token-env", "", "environment variable holding the bearer token that enables writes (without it, files are opened read-only)")
	return cmd
}

// serveLocation is what serve opens: --url, --dir, or, neither given,
// DATABASE_URL as the runtime reads it (or data).
func serveLocation(cmd *cobra.Command, dir, url string) (string, error) {
	switch {
	case cmd.Flags().Changed("url") && cmd.Flags().Changed("dir"):
		return "", fmt.Errorf("--dir and --url: give one of them")
	case cmd.Flags().Changed("url"):
		if !dbrt.IsPostgresURL(url) {
			return "", fmt.Errorf("--url %s: want a postgres:// or postgresql:// URL; serve a folder of SQLite files with --dir", url)
		}
		return url, nil
	case cmd.Flags().Changed("dir"):
		return dir, nil
	}
	return dbrt.Location("")
}

// serve serves the files of dir, or the schemas of the PostgreSQL database
// when dir is a postgres:// URL; project, when not nil, is the project
// whose schema files and migrations the API may use (--root).
func serve(ctx context.Context, cmd *cobra.Command, g *globalFlags, project *discover.Project, dir, addr, tokenEnv string) (err error) {
	token := ""
	if tokenEnv != "" {
		if token = os.Getenv(tokenEnv); token == "" {
			return fmt.Errorf("--token-env %s: the variable is unset or empty; set it, or leave the flag out to serve read-only", tokenEnv)
		}
	}
	pg := dbrt.IsPostgresURL(dir)
	var reg dbrt.Registry
	var skipped []introspect.Skipped
	if pg {
		if reg, skipped, err = introspect.Postgres(ctx, dir); err != nil {
			return fmt.Errorf("%s: %w", dbrt.RedactURL(dir), err)
		}
	} else {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return fmt.Errorf("--dir %s: not a folder", dir)
		}
		if reg, skipped, err = introspect.Dir(ctx, dir); err != nil {
			return err
		}
	}
	for _, s := range skipped {
		fmt.Fprintf(cmd.ErrOrStderr(), "dbgen serve: skipping %s: %s\n", s.File, s.Reason)
	}
	if len(reg) == 0 && pg {
		return fmt.Errorf("%s: no schema with tables to serve", dbrt.RedactURL(dir))
	}
	if len(reg) == 0 {
		return fmt.Errorf("--dir %s: no *.db files to serve", dir)
	}

	log := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	opts := []dbrt.Option{dbrt.WithLogger(log)}
	if token == "" {
		opts = append(opts, dbrt.WithReadOnly())
	}
	m, err := dbrt.OpenManager(ctx, dir, reg, opts...)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, m.Close()) }()

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	hopts := admin.Options{Token: token, Logger: log}
	if project != nil {
		hopts.Migrations = projectMigrations(project)
		hopts.Planner = projectPlanner(g)
	}
	tcp, _ := ln.Addr().(*net.TCPAddr)
	if tcp != nil && tcp.IP.IsLoopback() {
		// Answer only to the machine's own names: a page elsewhere that
		// points its DNS name at 127.0.0.1 must not read the databases.
		hopts.AllowedHosts = []string{"localhost", "127.0.0.1", "::1", tcp.IP.String()}
	} else {
		// Listening beyond loopback was asked for by --addr: answer to
		// whatever name the network uses (writes still need the token).
		hopts.AllowedHosts = []string{"*"}
	}
	srv := &http.Server{
		Handler:           admin.NewHandler(m, hopts),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	mode := "read-only"
	if token != "" {
		mode = "token required for writes"
	}
	noun := "databases"
	if len(reg) == 1 {
		noun = "database"
	}
	if project != nil {
		mode += ", migrations from " + project.Root
	}
	fmt.Fprintf(cmd.OutOrStdout(), "serving %d %s on http://%s (%s)\n", len(reg), noun, ln.Addr(), mode)
	if tcp != nil && !tcp.IP.IsLoopback() {
		fmt.Fprintf(cmd.ErrOrStderr(), "dbgen serve: warning: %s is reachable from other machines\n", ln.Addr())
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	// Finish the requests in flight, then close the databases (deferred).
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
