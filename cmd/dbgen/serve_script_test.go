package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// scriptServer is the dbgen serve process a script started, one per script.
type scriptServer struct {
	cmd    *exec.Cmd
	base   string // http://127.0.0.1:PORT
	token  string // the value of its --token-env variable
	stderr bytes.Buffer
	done   chan struct{} // closed when the process has exited, err then set
	err    error
}

const serveKey = "dbgen serve"

// cmdServe starts dbgen serve in the background for the rest of the script,
// on a free loopback port, or stops it with SIGINT and checks that it exited
// cleanly: serve start [flags...] | serve stop. The script's environment
// variables named by --token-env are passed on.
func cmdServe(ts *testscript.TestScript, neg bool, args []string) {
	s, _ := ts.Value(serveKey).(*scriptServer)
	if neg || len(args) == 0 || s == nil {
		ts.Fatalf("usage: serve start [flags...] | serve stop")
	}
	switch args[0] {
	case "start":
		if s.cmd != nil {
			ts.Fatalf("serve: already started")
		}
		bin, err := exec.LookPath("dbgen")
		ts.Check(err)
		s.cmd = exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args[1:]...)...)
		s.cmd.Dir = ts.MkAbs(".")
		s.cmd.Env = os.Environ()
		for _, name := range []string{"SOURCE_DATE_EPOCH", "HOME", "TMPDIR", "GOCACHE", "GOFLAGS", "DBGEN_DEV_URL"} {
			s.cmd.Env = append(s.cmd.Env, name+"="+ts.Getenv(name))
		}
		if v := ts.Getenv("DATABASE_URL"); v != "" {
			s.cmd.Env = append(s.cmd.Env, "DATABASE_URL="+v)
		}
		for i, a := range args {
			if a == "--token-env" && i+1 < len(args) {
				s.token = ts.Getenv(args[i+1])
				s.cmd.Env = append(s.cmd.Env, args[i+1]+"="+s.token)
			}
		}
		stdout, err := s.cmd.StdoutPipe()
		ts.Check(err)
		s.cmd.Stderr = &s.stderr
		ts.Check(s.cmd.Start())
		s.done = make(chan struct{})
		go func(s *scriptServer) {
			s.err = s.cmd.Wait()
			close(s.done)
		}(s)
		cmd, done := s.cmd, s.done
		ts.Defer(func() {
			select {
			case <-done:
			default:
				_ = cmd.Process.Kill()
				<-done
			}
		})
		line := make(chan string, 1)
		go func() {
			sc := bufio.NewScanner(stdout)
			if sc.Scan() {
				line <- sc.Text()
			}
			io.Copy(io.Discard, stdout)
		}()
		select {
		case l := <-line:
			ts.Logf("%s", l)
			m := regexp.MustCompile(`on (http://127\.0\.0\.1:\d+) `).FindStringSubmatch(l)
			if m == nil {
				ts.Fatalf("serve: first line %q", l)
			}
			s.base = m[1]
		case <-s.done:
			ts.Fatalf("serve: exited: %v\n%s", s.err, s.stderr.String())
		case <-time.After(30 * time.Second):
			ts.Fatalf("serve: printed nothing within 30s")
		}
	case "stop":
		if s.cmd == nil {
			ts.Fatalf("serve: not started")
		}
		ts.Check(s.cmd.Process.Signal(syscall.SIGINT))
		select {
		case <-s.done:
			if s.err != nil {
				ts.Fatalf("serve: exited with %v after SIGINT\n%s", s.err, s.stderr.String())
			}
		case <-time.After(15 * time.Second):
			ts.Fatalf("serve: still running 15s after SIGINT")
		}
		fmt.Fprint(ts.Stderr(), s.stderr.String())
		s.cmd, s.base, s.token, s.done, s.err = nil, "", "", nil, nil
		s.stderr.Reset()
	default:
		ts.Fatalf("usage: serve start [flags...] | serve stop")
	}
}

// cmdHTTP sends a request to the server of serve start, with its token
// unless -notoken is given, and writes the status line and the body to
// stdout: http [-notoken] METHOD PATH [JSON].
func cmdHTTP(ts *testscript.TestScript, neg bool, args []string) {
	s, _ := ts.Value(serveKey).(*scriptServer)
	sendToken := true
	if len(args) > 0 && args[0] == "-notoken" {
		sendToken, args = false, args[1:]
	}
	if neg || len(args) < 2 || len(args) > 3 || s == nil || s.base == "" {
		ts.Fatalf("usage: http [-notoken] METHOD PATH [JSON], after serve start")
	}
	var body io.Reader
	if len(args) == 3 {
		body = strings.NewReader(args[2])
	}
	req, err := http.NewRequest(args[0], s.base+args[1], body)
	ts.Check(err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if sendToken && s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	res, err := (&http.Client{Timeout: 60 * time.Second}).Do(req)
	ts.Check(err)
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	ts.Check(err)
	fmt.Fprintf(ts.Stdout(), "%s\n%s", res.Status, data)
}
