package main

import (
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"text/template"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(stopPostgres{m}, map[string]func(){
		"dbgen": func() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the CLI scripts in testdata/script: each is a txtar file
// with the files of a project, the commands to run and their expected output.
func TestScripts(t *testing.T) {
	src, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	goEnv := map[string]string{}
	for _, name := range []string{"GOCACHE", "GOMODCACHE", "GOPROXY", "GOFLAGS", "GOSUMDB", "GONOSUMDB", "GOTOOLCHAIN", "GOROOT"} {
		out, err := exec.Command("go", "env", name).Output()
		if err != nil {
			t.Fatalf("go env %s: %v", name, err)
		}
		goEnv[name] = strings.TrimSpace(string(out))
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			for k, v := range goEnv {
				env.Setenv(k, v)
			}
			env.Setenv("CGO_ENABLED", "0")
			env.Setenv("DBGEN_SRC", src)
			env.Values[serveKey] = &scriptServer{}
			return nil
		},
		Condition: scriptCondition,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"pgdb":    cmdPGDB,
			"pgcount": cmdPGCount,
			"pgexec":  cmdPGExec,
			"exits":   cmdExits,
			"http":    cmdHTTP,
			"render":  cmdRender,
			"serve":   cmdServe,
			"sqlexec": cmdSQLExec,
		},
	})
}

// cmdSQLExec runs SQL on a database file, creating it: sqlexec FILE SQL.
// It stands in for the sqlite3 shell, which the machine may not have.
func cmdSQLExec(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: sqlexec FILE SQL")
	}
	path := ts.MkAbs(args[0])
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		ts.Fatalf("sqlexec: %v", err)
	}
	db, err := sql.Open("sqlite3", "file:"+filepath.ToSlash(path))
	if err != nil {
		ts.Fatalf("sqlexec: %v", err)
	}
	defer db.Close()
	_, err = db.Exec(args[1])
	if (err != nil) != neg {
		ts.Fatalf("sqlexec %s: %v", args[1], err)
	}
}

// cmdRender executes each file as a Go text/template and writes the result
// back: render FILE... A script writes the bytes a txtar should not show
// literally, such as invisible or bidirectional characters, as quoted Go
// strings ({{"\ufeff"}}), and long text with repeat ({{repeat "t" 1024}},
// strings.Repeat).
func cmdRender(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: render FILE...")
	}
	funcs := template.FuncMap{"repeat": strings.Repeat}
	for _, name := range args {
		path := ts.MkAbs(name)
		data, err := os.ReadFile(path)
		ts.Check(err)
		tmpl, err := template.New(name).Funcs(funcs).Option("missingkey=error").Parse(string(data))
		ts.Check(err)
		var out strings.Builder
		ts.Check(tmpl.Execute(&out, nil))
		ts.Check(os.WriteFile(path, []byte(out.String()), 0o644))
	}
}

// cmdExits runs a command and checks its exit code: exits N cmd args...
// (testscript's own `! cmd` accepts any failure; dbgen promises 1 for
// findings and 2 for bad input).
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad code %q", args[0])
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		got = exitErr.ExitCode()
	case err != nil:
		ts.Fatalf("exits: %v", err)
	}
	if got != want {
		ts.Fatalf("%s exited %d, want %d", args[1], got, want)
	}
}
