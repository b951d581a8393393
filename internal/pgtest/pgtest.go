// Package pgtest starts a throwaway PostgreSQL server for tests: a cluster
// made by initdb in a temporary folder, listening on a unix socket there
// (no TCP port), run as the postgres user when the tests run as root, and
// stopped and removed when the test binary ends. Each test gets a database
// of its own.
//
// Without PostgreSQL's binaries a test that asks for a server is skipped,
// saying why; in CI (CI or DBGEN_REQUIRE_POSTGRES set) it fails instead,
// so that a broken setup is never mistaken for a pass.
package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// Server is a running throwaway cluster.
type Server struct {
	dir    string // the cluster and its socket
	port   int    // names the socket file: .s.PGSQL.<port>
	cmd    *exec.Cmd
	dbs    atomic.Int64
	stderr *os.File
}

var (
	once    sync.Once
	shared  *Server
	failure error
)

// Required reports whether tests must have a server: in CI.
func Required() bool {
	return os.Getenv("CI") != "" || os.Getenv("DBGEN_REQUIRE_POSTGRES") != ""
}

// Start returns the test binary's server, starting it on first use; the
// test is skipped (failed in CI) when no server can start.
func Start(tb testing.TB) *Server {
	tb.Helper()
	once.Do(func() { shared, failure = start() })
	if failure != nil {
		if Required() {
			tb.Fatalf("PostgreSQL is required here (CI) but cannot start: %v", failure)
		}
		tb.Skipf("no PostgreSQL server for this test: %v (install Debian's postgresql package; .ci/run does)", failure)
	}
	return shared
}

// Shared returns the test binary's server, starting it on first use, or
// why it cannot start, for a caller without a testing.TB (a testscript
// condition). The caller decides whether that skips or fails: see
// Required.
func Shared() (*Server, error) {
	once.Do(func() { shared, failure = start() })
	return shared, failure
}

// Stop stops the server, if one was started; call it from TestMain after
// m.Run.
func Stop() {
	if shared != nil {
		shared.stop()
	}
}

// Main runs the tests of a package that uses Start and stops the server
// afterwards: func TestMain(m *testing.M) { pgtest.Main(m) }.
func Main(m *testing.M) {
	code := m.Run()
	Stop()
	os.Exit(code)
}

// binDir finds PostgreSQL's server binaries: Debian's versioned folder,
// else the PATH.
func binDir() (string, error) {
	if dir := os.Getenv("DBGEN_PG_BIN"); dir != "" {
		return dir, nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/postgres")
	if len(matches) > 0 {
		return filepath.Dir(matches[len(matches)-1]), nil
	}
	if p, err := exec.LookPath("postgres"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", errors.New("postgres and initdb are not installed")
}

func start() (*Server, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	// The server refuses to run as root: it runs as the postgres user, in
	// a folder that user owns.
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root and there is no postgres user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	dir, err := os.MkdirTemp("", "dbgen-pg-")
	if err != nil {
		return nil, err
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust",
		"--encoding=UTF8", "--locale=C", "--no-sync")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	s := &Server{dir: dir, port: 5432}
	if s.stderr, err = os.Create(filepath.Join(dir, "server.log")); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	// Durability is not a test's concern: without fsync the cluster is
	// several times faster.
	s.cmd = exec.Command(filepath.Join(bin, "postgres"), "-D", data, "-k", dir, "-p", strconv.Itoa(s.port),
		"-c", "listen_addresses=", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		"-c", "max_connections=200", "-c", "shared_buffers=64MB")
	s.cmd.Stdout, s.cmd.Stderr = s.stderr, s.stderr
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := s.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start postgres: %w", err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		db, err := sql.Open("pgx", s.URL("postgres"))
		if err == nil {
			err = db.Ping()
			db.Close()
		}
		if err == nil {
			return s, nil
		}
		if time.Now().After(deadline) {
			s.stop()
			log, _ := os.ReadFile(filepath.Join(dir, "server.log"))
			return nil, fmt.Errorf("postgres did not accept connections: %v\n%s", err, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *Server) stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Signal(syscall.SIGINT) // fast shutdown
		done := make(chan struct{})
		go func() { s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	}
	if s.stderr != nil {
		s.stderr.Close()
	}
	os.RemoveAll(s.dir)
}

// URL is the connection URL of database db on the server.
func (s *Server) URL(db string) string {
	return fmt.Sprintf("postgres://postgres@/%s?host=%s&port=%d&sslmode=disable", db, s.dir, s.port)
}

// NewDatabase creates an empty database for tb, dropped when tb ends, and
// returns its URL.
func (s *Server) NewDatabase(tb testing.TB) string {
	tb.Helper()
	name := fmt.Sprintf("t%d_%d", os.Getpid(), s.dbs.Add(1))
	admin, err := sql.Open("pgx", s.URL("postgres"))
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		tb.Fatalf("create database %s: %v", name, err)
	}
	tb.Cleanup(func() {
		admin, err := sql.Open("pgx", s.URL("postgres"))
		if err != nil {
			return
		}
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	return s.URL(name)
}

// Log returns what the server wrote so far, for a failing test's message.
func (s *Server) Log() string {
	data, _ := os.ReadFile(filepath.Join(s.dir, "server.log"))
	return strings.TrimSpace(string(data))
}
