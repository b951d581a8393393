package admin

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/dbgen-dev/dbgen/runtime"
)

// The seed's routes name a table without its database, as an application
// of one database does. A name that one database has addresses its table;
// one that several have is ambiguous (409, listing them), and is written
// db.table, which is also how GET /status lists it.

// tableRef is a table of one database.
type tableRef struct {
	db    *runtime.DB
	table *runtime.Table
}

// tableNames indexes the visible tables of every database by name.
type tableNames struct {
	all    []tableRef            // database by database, in schema order
	byName map[string][]tableRef // in database order
}

func newTableNames(m *runtime.Manager) tableNames {
	n := tableNames{byName: map[string][]tableRef{}}
	for _, name := range m.Names() {
		db, err := m.DB(name)
		if err != nil {
			continue
		}
		for _, t := range visibleTables(db.Definition()) {
			ref := tableRef{db, t}
			n.all = append(n.all, ref)
			n.byName[t.Name] = append(n.byName[t.Name], ref)
		}
	}
	return n
}

// name is how the seed's routes name table of database db: its name when
// no other database has a table of that name, else db.table.
func (n tableNames) name(db, table string) string {
	if len(n.byName[table]) > 1 {
		return db + "." + table
	}
	return table
}

// lookup resolves a name of the seed's routes: a table's own name first,
// then db.table.
func (n tableNames) lookup(name string) []tableRef {
	if refs := n.byName[name]; len(refs) > 0 {
		return refs
	}
	db, table, ok := strings.Cut(name, ".")
	if !ok {
		return nil
	}
	for _, ref := range n.byName[table] {
		if ref.db.Name() == db {
			return []tableRef{ref}
		}
	}
	return nil
}

// seedTable resolves the {table} of a seed route to one table.
func (h *handler) seedTable(r *http.Request) (*runtime.DB, *runtime.Table, error) {
	name := r.PathValue("table")
	refs := h.names.lookup(name)
	switch len(refs) {
	case 1:
		return refs[0].db, refs[0].table, nil
	case 0:
		names := make([]string, 0, len(h.names.all))
		for _, ref := range h.names.all {
			names = append(names, h.names.name(ref.db.Name(), ref.table.Name))
		}
		return nil, nil, apiError(runtime.CodeTableNotFound, "", "no table "+clip(name)+" in any database",
			"table", clip(name), "tables", names)
	}
	type candidate struct {
		Database string `json:"database"`
		Table    string `json:"table"`
		Name     string `json:"name"` // what this route takes
		Path     string `json:"path"` // dbgen's route to the same table
	}
	cands := make([]candidate, len(refs))
	dbs := make([]string, len(refs))
	for i, ref := range refs {
		dbs[i] = ref.db.Name()
		cands[i] = candidate{Database: dbs[i], Table: ref.table.Name, Name: dbs[i] + "." + ref.table.Name,
			Path: prefix + "/" + url.PathEscape(dbs[i]) + "/tables/" + url.PathEscape(ref.table.Name)}
	}
	return nil, nil, apiError(CodeAmbiguousTable, "", "table "+name+" is in "+strconv.Itoa(len(refs))+" databases ("+
		strings.Join(dbs, ", ")+"): name it as "+cands[0].Name+", or use "+cands[0].Path,
		"table", name, "candidates", cands)
}

// seedTables is GET /tables: every table of every database.
func (h *handler) seedTables(w http.ResponseWriter, r *http.Request) error {
	type table struct {
		Name       string   `json:"name"`
		Database   string   `json:"database"`
		Qualified  string   `json:"qualified_name"` // database.table
		Type       string   `json:"type"`           // table, view or virtual
		Columns    int      `json:"columns"`
		PrimaryKey []string `json:"primary_key"`
		Writable   bool     `json:"writable"`
	}
	out := struct {
		Success    bool    `json:"success"`
		Tables     []table `json:"tables"`
		TableCount int     `json:"table_count"`
	}{Success: true, Tables: []table{}}
	for _, ref := range h.names.all {
		t := ref.table
		out.Tables = append(out.Tables, table{
			Name: t.Name, Database: ref.db.Name(), Qualified: ref.db.Name() + "." + t.Name, Type: tableType(t),
			Columns: len(t.Columns), PrimaryKey: nonNil(t.Key()), Writable: !t.View && !t.Virtual,
		})
	}
	out.TableCount = len(out.Tables)
	writeJSON(w, http.StatusOK, out)
	return nil
}

// seedRows is GET /tables/{table}: the page of GET /{db}/tables/{table},
// with the seed's fields.
func (h *handler) seedRows(w http.ResponseWriter, r *http.Request) error {
	db, t, err := h.seedTable(r)
	if err != nil {
		return err
	}
	page, err := listRows(w, r, db, t)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		Success bool `json:"success"`
		rowsPage
		TotalRecords *int64 `json:"total_records"` // null for cursor pages, as total is
	}{true, page, page.Total})
	return nil
}

// seedSchema is GET /tables/{table}/schema.
func (h *handler) seedSchema(w http.ResponseWriter, r *http.Request) error {
	db, t, err := h.seedTable(r)
	if err != nil {
		return err
	}
	s, err := schemaOf(r.Context(), db, t)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		Success bool `json:"success"`
		schemaBody
	}{true, s})
	return nil
}

// allMigrations is the body of the seed's migrations routes: every
// database's state, as GET /{db}/migrations/status writes it.
type allMigrations struct {
	Success   bool             `json:"success"`
	UpToDate  bool             `json:"up_to_date"` // no database has a pending migration
	Pending   int              `json:"pending_count"`
	Databases []migrationState `json:"databases"`
}

func (h *handler) allMigrations(r *http.Request) (allMigrations, error) {
	out := allMigrations{Success: true, Databases: []migrationState{}}
	for _, name := range h.m.Names() {
		db, err := h.m.DB(name)
		if err != nil {
			return out, err
		}
		st, err := h.migrationStateOf(r.Context(), db)
		if err != nil {
			return out, moduleError(r.Context(), db.Name(), err)
		}
		out.Pending += len(st.Pending)
		out.Databases = append(out.Databases, st)
	}
	out.UpToDate = out.Pending == 0
	return out, nil
}

func (h *handler) seedMigrationStatus(w http.ResponseWriter, r *http.Request) error {
	out, err := h.allMigrations(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// seedMigrationRun applies the pending migrations of every database served
// with its folder, one database after the other in registry order
// (framework first); the first failure stops the run, and names its
// database.
func (h *handler) seedMigrationRun(w http.ResponseWriter, r *http.Request) error {
	if err := runTarget(r, ""); err != nil {
		return err
	}
	for _, name := range h.m.Names() {
		db, err := h.m.DB(name)
		if err != nil {
			return err
		}
		if err := h.migrate(r.Context(), db); err != nil {
			return moduleError(r.Context(), db.Name(), err)
		}
	}
	return h.seedMigrationStatus(w, r)
}

// moduleError is err as the envelope names it, with its database as the
// module: the seed's routes have no {db} in the path to name it.
func moduleError(ctx context.Context, module string, err error) error {
	e := asAPIError(ctx, module, err)
	if e.Module == "" {
		e.Module = module
	}
	return e
}
