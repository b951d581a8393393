package migrate

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	atlas "ariga.io/atlas/sql/migrate"

	rtmigrate "github.com/dbgen-dev/dbgen/runtime/migrate"
)

// PlanInput is what Plan needs to plan the next migration of a database.
type PlanInput struct {
	Database   string           // database name, for headers and messages
	DesiredDDL string           // the CREATE statements of the schema files, already validated
	Dir        string           // the migrations directory, e.g. gen/accounts/migrations; need not exist
	Name       string           // migration name: letters, digits and underscores
	Now        func() time.Time // clock of the version; nil means time.Now
	// Version is the version to give the migration instead of one from
	// Now (see NextVersion): the version its PostgreSQL migration has too.
	Version          string
	AllowDestructive bool // plan a change that drops data; see DestructiveError
	// Renames are planned as ALTER TABLE ... RENAME, in this order, instead
	// of a drop and an add that lose the rows; the down script renames back.
	Renames []Rename
	// AskRename, when set, is asked about each column that the schema files
	// drop while adding one of the same type to the same table (and a table
	// dropped while one is added): true plans it as a rename.
	AskRename func(Rename) (bool, error)
}

// PlanResult is a planned migration.
type PlanResult struct {
	Version  string    // the version of the new migration; "" when nothing changed
	Files    []File    // to write with Write: the up file, its down script and both atlas.sum; none when nothing changed
	Findings []Finding // lint of the new migration: warnings, and destructive changes that were allowed
	// Renames are the renames the migration makes, in order: those of
	// PlanInput.Renames and those AskRename confirmed. The PostgreSQL
	// migration of the same version makes them too.
	Renames []Rename
}

// Changed reports whether the schema changed, so that there is a migration.
func (r *PlanResult) Changed() bool { return len(r.Files) > 0 }

// File is a file to write, at a path joined to the migrations directory.
type File struct {
	Path string
	Data []byte
}

// DestructiveError is returned by Plan when the migration would drop data
// and PlanInput.AllowDestructive is false. Findings say what, at the lines
// of File, the migration that was not written: a message cites Planned, and
// the schema file of the table, not that file (see Reason).
type DestructiveError struct {
	File     string
	Findings []Finding
	// Planned are the statements of the Findings, one each, in order.
	Planned []PlannedStatement
	// Renames are what the drops may be instead: a column dropped while
	// one of the same type is added to its table, a table while another is
	// added. See PlanInput.Renames.
	Renames []Rename
}

// PlannedStatement is a statement of a migration that was not written.
type PlannedStatement struct {
	SQL   string // without the terminating semicolon
	Table string // the table it changes (dropped, or still in the schema files); "" when unknown
	// Change is every statement planned for Table, SQL among them, in
	// order: a column dropped from a SQLite table is a rebuild, whose
	// flagged statement is the CREATE TABLE of the new table, and whose
	// loss is in the INSERT that copies the rows.
	Change []string
}

// planned returns the PlannedStatement of c's statement i.
func (c *change) planned(i int) PlannedStatement {
	s := c.stmts[i]
	p := PlannedStatement{SQL: s.sql, Table: s.table}
	for _, o := range c.stmts {
		if s.table != "" && o.table == s.table {
			p.Change = append(p.Change, o.sql)
		}
	}
	if len(p.Change) == 0 {
		p.Change = []string{s.sql}
	}
	return p
}

func (e *DestructiveError) Error() string {
	lines := make([]string, 0, 2*len(e.Findings)+len(e.Renames))
	for i, f := range e.Findings {
		lines = append(lines, fmt.Sprintf("%s: %s", f.Code, e.Reason(i)))
		if i < len(e.Planned) {
			for _, sql := range e.Planned[i].Change {
				lines = append(lines, "  planned: "+sql)
			}
		}
	}
	for _, r := range e.Renames {
		lines = append(lines, e.RenameHint(r))
	}
	return fmt.Sprintf("%s would drop data and was not written:\n%s\nif that is intended, plan it again allowing destructive changes (--allow-destructive)",
		filepath.Base(e.File), strings.Join(lines, "\n"))
}

// Reason is the message of Findings[i] for a migration that was not
// written: what the statement loses, without lint's advice to annotate it
// in the file.
func (e *DestructiveError) Reason(i int) string {
	msg := e.Findings[i].Message
	if m, ok := strings.CutSuffix(msg, destructiveHint); ok {
		msg = m + ": irreversible, the down script would restore the structure but not the data"
	}
	return msg
}

// RenameHint says how to plan r as a rename.
func (e *DestructiveError) RenameHint(r Rename) string {
	return fmt.Sprintf("if %s was renamed to %s, plan it as such: --rename %s", r.subject(), r.To, r.flag())
}

var validName = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

// versionFormat is Atlas's: a UTC timestamp to the second.
const versionFormat = "20060102150405"

// Plan plans the next migration of a database: it replays the migrations of
// in.Dir into an in-memory database, loads in.DesiredDDL into another, and
// plans the changes between them with Atlas, views and triggers included.
// The down script is planned the other way. Both are checked before they
// are returned: the migration applies and reaches the desired schema, and
// the down script brings it back. Nothing is written; see Write.
func Plan(ctx context.Context, in PlanInput) (*PlanResult, error) {
	if !validName.MatchString(in.Name) {
		return nil, fmt.Errorf("migration name %q: use letters, digits and underscores only", in.Name)
	}
	d, err := readDir(in.Dir)
	if err != nil {
		return nil, err
	}
	if fs := d.checkSums(VerifyOptions{}); len(fs) > 0 {
		return nil, fmt.Errorf("%s: fix the migrations directory before planning the next migration (see dbgen check)", fs[0])
	}
	dev, err := openDev(ctx)
	if err != nil {
		return nil, err
	}
	defer dev.Close()
	for _, f := range d.ups {
		if err := dev.exec(ctx, d.file(f.Name()), string(f.Bytes())); err != nil {
			return nil, fmt.Errorf("replay migrations: %w", err)
		}
	}
	current, err := dev.inspect(ctx)
	if err != nil {
		return nil, err
	}
	desired, err := buildState(ctx, "schema of "+in.Database, in.DesiredDDL)
	if err != nil {
		return nil, err
	}
	rn, err := dev.planRenames(ctx, current, desired, in)
	if err != nil {
		return nil, err
	}
	var upMove, downMove *renameMove
	if len(rn.renames) > 0 {
		upMove = &renameMove{renames: rn.renames, via: rn.state}
		downMove = &renameMove{atEnd: true, via: rn.state}
		for _, r := range slices.Backward(rn.renames) {
			downMove.renames = append(downMove.renames, r.reverse())
		}
	}
	up, err := planChange(ctx, dev.drv, current, desired, upMove)
	if err != nil {
		return nil, err
	}
	if up.empty() {
		return &PlanResult{}, nil
	}
	down, err := planChange(ctx, dev.drv, desired, current, downMove)
	if err != nil {
		return nil, err
	}
	version := in.Version
	if version == "" {
		version, err = nextVersion(d, in.Now)
	} else {
		err = checkVersion(d, version)
	}
	if err != nil {
		return nil, err
	}
	name := version + "_" + in.Name + ".sql"
	upFile, findings, err := planUpFile(ctx, dev, d, in, name, up)
	if de := (*DestructiveError)(nil); errors.As(err, &de) {
		// The rename a drop may be, for the message.
		changes, derr := diffTables(dev.drv, rn.state.realm, desired.realm)
		if derr != nil {
			return nil, derr
		}
		de.Renames = renameCandidates(changes)
	}
	if err != nil {
		return nil, err
	}
	downFile := render(downHeader(in.Database, name, up, down), down.stmts, nil).text
	if err := dev.check(ctx, d.file(name), upFile, desired); err != nil {
		return nil, err
	}
	if err := dev.check(ctx, d.file(downName(name)), downFile, current); err != nil {
		return nil, err
	}
	files, err := resultFiles(d, name, upFile, downFile)
	if err != nil {
		return nil, err
	}
	return &PlanResult{Version: version, Files: files, Findings: findings, Renames: rn.renames}, nil
}

// planUpFile renders the migration and lints it. A destructive change fails
// unless allowed; allowed, each such statement gets an atlas:nolint
// directive, so that the approval given at plan time stays with the file
// and dbgen check does not ask again.
func planUpFile(ctx context.Context, dev *devDB, d *migDir, in PlanInput, name string, up *change) (string, []Finding, error) {
	header := []string{
		fmt.Sprintf("Migration %s of database %q, planned by dbgen from the schema files.", name, in.Database),
		fmt.Sprintf("Its down script is %s.", filepath.ToSlash(downName(name))),
	}
	return gateDestructive(header, up, d.file(name), in.AllowDestructive, "a migration", func(text string) ([]Finding, error) {
		return dev.lint(ctx, d.file(name), text)
	})
}

// gateDestructive renders the migration up and lints it (lint, on the
// schema before it, SQLite's or PostgreSQL's). A destructive change is a
// *DestructiveError unless allowed; allowed, each such statement gets an
// atlas:nolint directive, so that the approval given at plan time stays
// with the file, and the file is linted again. what names the migration
// in the message of a finding that means dbgen planned wrong.
func gateDestructive(header []string, up *change, file string, allow bool, what string, lint func(text string) ([]Finding, error)) (string, []Finding, error) {
	r := render(header, up.stmts, nil)
	findings, err := lint(r.text)
	if err != nil {
		return "", nil, err
	}
	destructive := make(map[int]string) // reasons by statement
	var denied []Finding
	var planned []PlannedStatement
	for _, f := range findings {
		if f.Severity != SeverityError {
			continue
		}
		i := r.stmtAt(f.Line)
		if f.Code == CodeReplay || i < 0 {
			return "", nil, fmt.Errorf("dbgen planned %s that does not apply, please report it: %s", what, f)
		}
		destructive[i] = strings.TrimSuffix(f.Message, destructiveHint)
		denied = append(denied, f)
		planned = append(planned, up.planned(i))
	}
	if len(denied) == 0 {
		return r.text, findings, nil
	}
	if !allow {
		return "", nil, &DestructiveError{File: file, Findings: denied, Planned: planned}
	}
	r = render(header, up.stmts, destructive)
	findings, err = lint(r.text)
	return r.text, findings, err
}

// check applies the planned script to dev and verifies that it reaches the
// state want. A failure is a bug of the planner: better caught here than
// when the migration runs on a user's database.
func (d *devDB) check(ctx context.Context, file, script string, want *state) error {
	if err := d.exec(ctx, file, script); err != nil {
		return fmt.Errorf("dbgen planned a script that does not apply, please report it: %w", err)
	}
	got, err := d.inspect(ctx)
	if err != nil {
		return err
	}
	if diffs, err := compare(d, got, want); err != nil || len(diffs) > 0 {
		return errors.Join(err, fmt.Errorf("dbgen planned %s, which does not reach its target schema, please report it: %s",
			file, strings.Join(diffs, "; ")))
	}
	return nil
}

// nextVersion returns the version of a migration planned now. It must sort
// after every existing one, or the runtime would refuse it as out of order.
func nextVersion(d *migDir, now func() time.Time) (string, error) {
	if now == nil {
		now = time.Now
	}
	v := now().UTC().Format(versionFormat)
	if n := len(d.ups); n > 0 {
		if last := d.ups[n-1].Version(); v <= last {
			// Two diffs in one second, or a fixed SOURCE_DATE_EPOCH: the
			// next second after the latest keeps versions in order.
			t, err := time.Parse(versionFormat, last)
			if err != nil {
				return "", fmt.Errorf("the latest migration %s has no timestamp version, so the next one cannot be ordered after it", d.ups[n-1].Name())
			}
			v = t.Add(time.Second).Format(versionFormat)
		}
	}
	return v, nil
}

// NextVersion returns the version of a migration planned now in every
// folder of dirs (a database's SQLite and PostgreSQL migrations): after
// the latest migration of each, so that both get the same one.
func NextVersion(now func() time.Time, dirs ...string) (string, error) {
	var version string
	for _, dir := range dirs {
		d, err := readDir(dir)
		if err != nil {
			return "", err
		}
		v, err := nextVersion(d, now)
		if err != nil {
			return "", err
		}
		version = max(version, v)
	}
	return version, nil
}

// NoChange returns the files of a migration that changes nothing, for the
// folder dir of one engine when the schema changed only for the other:
// its version keeps both folders in step. why says so in its header.
func NoChange(dir, database, version, name, why string) (*PlanResult, error) {
	if !validName.MatchString(name) {
		return nil, fmt.Errorf("migration name %q: use letters, digits and underscores only", name)
	}
	d, err := readDir(dir)
	if err != nil {
		return nil, err
	}
	if err := checkVersion(d, version); err != nil {
		return nil, err
	}
	file := version + "_" + name + ".sql"
	up := render([]string{fmt.Sprintf("Migration %s of database %q: nothing changes here.", file, database), why}, nil, nil).text
	down := render([]string{fmt.Sprintf("Down script of %s (database %q): nothing to undo.", file, database)}, nil, nil).text
	files, err := resultFiles(d, file, up, down)
	if err != nil {
		return nil, err
	}
	return &PlanResult{Version: version, Files: files}, nil
}

// resultFiles returns the new files and both atlas.sum with them.
func resultFiles(d *migDir, name, up, down string) ([]File, error) {
	ups := append(d.ups[:len(d.ups):len(d.ups)], atlas.NewLocalFile(name, []byte(up)))
	downs := make([]atlas.File, 0, len(d.ups)+1)
	for _, u := range d.ups {
		if f, ok := d.downs[u.Name()]; ok {
			downs = append(downs, f)
		}
	}
	downs = append(downs, atlas.NewLocalFile(name, []byte(down)))
	upSum, err := sumFile(ups)
	if err != nil {
		return nil, err
	}
	downSum, err := sumFile(downs)
	if err != nil {
		return nil, err
	}
	return []File{
		{Path: d.file(name), Data: []byte(up)},
		{Path: d.file(downName(name)), Data: []byte(down)},
		{Path: d.file(atlas.HashFileName), Data: upSum},
		{Path: d.file(filepath.Join(rtmigrate.DownDir, atlas.HashFileName)), Data: downSum},
	}, nil
}

// rendered is a migration file as text.
type rendered struct {
	text  string
	lines []int // 1-based line of each statement
}

// stmtAt returns the index of the statement at line, or -1.
func (r rendered) stmtAt(line int) int {
	for i, l := range r.lines {
		if l == line {
			return i
		}
	}
	return -1
}

// render writes a migration file as Atlas's formatter does, one comment
// line and one statement per change, after a header of comments. The
// statements of allowed, destructive changes allowed at plan time, get
// their reason and a directive that silences the destructive analyzer.
func render(header []string, stmts []stmt, allowed map[int]string) rendered {
	var (
		b    strings.Builder
		r    rendered
		line = 1
	)
	emit := func(s string) {
		b.WriteString(s)
		line += strings.Count(s, "\n")
	}
	for _, h := range header {
		emit("-- " + h + "\n")
	}
	emit("\n")
	for i, s := range stmts {
		if s.comment != "" {
			emit("-- " + strings.ToUpper(s.comment[:1]) + s.comment[1:] + "\n")
		}
		if reason, ok := allowed[i]; ok {
			emit("-- " + reason + ": allowed when planned.\n-- atlas:nolint destructive\n")
		}
		r.lines = append(r.lines, line)
		emit(s.sql + ";\n")
	}
	r.text = b.String()
	return r
}
