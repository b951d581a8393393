package admin

import "net/http"

// route is one operation of the API. The table below is the only place
// routes are declared: NewHandler registers it, and a test holds it and the
// OpenAPI document to each other.
type route struct {
	method   string
	path     string
	mutating bool // needs the bearer token; its body is capped
	serve    func(h *handler, w http.ResponseWriter, r *http.Request) error
}

const prefix = "/api/v1/db"

var routes = []route{
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
