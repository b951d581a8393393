package admin

import "net/http"

// route is one operation of the API. The tables below are the only place
// routes are declared: NewHandler registers them, and a test holds them and
// the OpenAPI document to each other.
type route struct {
	method   string
	path     string
	mutating bool // needs the bearer token; its body is capped
	serve    func(h *handler, w http.ResponseWriter, r *http.Request) error
}

const prefix = "/api/v1/db"

// routes are every route: dbgen's, then the seed's.
var routes = append(append([]route(nil), dbgenRoutes...), seedRoutes...)

// dbgenRoutes name each database in the path. status and is-ready are the
// seed's paths too, and answer the seed's fields beside dbgen's.
var dbgenRoutes = []route{
	{http.MethodGet, prefix + "/openapi.json", false, (*handler).openAPI},
	{http.MethodGet, prefix + "/status", false, (*handler).status},
	{http.MethodGet, prefix + "/is-ready", false, (*handler).isReady},
	{http.MethodGet, prefix + "/databases", false, (*handler).databases},
	{http.MethodGet, prefix + "/{db}/tables", false, (*handler).tables},
	{http.MethodGet, prefix + "/{db}/tables/{table}", false, (*handler).rows},
	{http.MethodGet, prefix + "/{db}/tables/{table}/schema", false, (*handler).schema},
	{http.MethodPost, prefix + "/{db}/tables/{table}/records", true, (*handler).createRecord},
	{http.MethodGet, prefix + "/{db}/tables/{table}/records/{key}", false, (*handler).readRecord},
	{http.MethodPatch, prefix + "/{db}/tables/{table}/records/{key}", true, (*handler).updateRecord},
	{http.MethodDelete, prefix + "/{db}/tables/{table}/records/{key}", true, (*handler).deleteRecord},
	{http.MethodGet, prefix + "/{db}/migrations/status", false, (*handler).migrationStatus},
	{http.MethodPost, prefix + "/{db}/migrations/run", true, (*handler).migrationRun},
	{http.MethodPost, prefix + "/{db}/migrations/downgrade", true, (*handler).migrationDowngrade},
}

// seedRoutes are the framework's documented paths, which name no database:
// a table by a name unique across databases, migrations of them all. Some
// of their paths are also paths of dbgenRoutes, for a database called
// "tables" (/api/v1/db/tables/tables is table "tables" to the seed, and the
// tables of database "tables" to dbgen), and http.ServeMux refuses two
// patterns of which neither is more specific. So they live in a mux of
// their own that is asked first: a path the seed documents is the seed's.
var seedRoutes = []route{
	{http.MethodGet, prefix + "/tables", false, (*handler).seedTables},
	{http.MethodGet, prefix + "/tables/{table}", false, (*handler).seedRows},
	{http.MethodGet, prefix + "/tables/{table}/schema", false, (*handler).seedSchema},
	{http.MethodGet, prefix + "/migrations/status", false, (*handler).seedMigrationStatus},
	{http.MethodPost, prefix + "/migrations/run", true, (*handler).seedMigrationRun},
	{http.MethodPost, prefix + "/migrations/generate", true, (*handler).migrationGenerate},
}
