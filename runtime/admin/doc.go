// Package admin serves a JSON API and a small browser page over the
// databases of a runtime.Manager: status and readiness, tables and their
// schema, paged, sorted and filtered rows, record CRUD and migrations.
//
// Mount NewHandler on a server that listens on loopback (dbgen serve does);
// every route lives under /api/v1/db/ or /admin/. The API is described by
// the OpenAPI 3.1 document served at /api/v1/db/openapi.json.
//
// # The page
//
// /admin/ browses the databases with the API, from embedded files only. It
// is read-only, and says why, until the server's token is entered (kept in
// the tab's sessionStorage): then it creates, edits and deletes rows, with
// forms typed by the schema's column families (a NULL checkbox for
// nullable columns, DEFAULT on a new row, checkboxes for BOOLEAN, date and
// UTC datetime inputs, JSON checked as typed, BLOB upload and download,
// generated columns and the key read-only), sends only what changed, and
// shows a constraint error at the columns it names. A database's view
// shows the SQL of each pending migration, runs them, and plans the next
// one when the server has a Planner.
//
// # Safety
//
// Reads are open. Every route that changes data or schema needs
// "Authorization: Bearer <token>" and answers 401 without a valid one;
// without Options.Token the handler is read-only and those routes answer
// 403. Table, column, sort and filter names are looked up in the database's
// metadata and refused with 400 (404 for a table in the path) when unknown;
// values are always bound. The migration revisions table is hidden. Request
// bodies are capped at Options.MaxBodyBytes. The handler answers only the
// host names of Options.AllowedHosts, by default loopback names, so that a
// loopback server does not answer a rebound DNS name.
//
// # Migrations
//
// migrations/run applies every pending migration of the database's
// folder ({"target":"head"}) as Open does; migrations/downgrade reverts to
// an applied version, "base" for none, or "-N" for the latest N (as dbgen
// migrate down --to -N), with the down scripts. A command body's unknown
// fields are a 400 naming them. The
// folder is the Definition's, else the one Options.Migrations gives (dbgen
// serve --root gives the project's). A database without one shows its
// applied revisions and can be neither migrated nor reverted. Pending
// migrations come with their SQL and their down script's, so that a person
// sees what each would do before running it. GET /status reads its
// migration fields as the migrations routes do, from the same revisions.
// The handler serves the metadata it was given: after a migration changes
// the schema, restart the program to serve the new one.
//
// # The seed's paths
//
// The framework's documented paths are served beside dbgen's, their
// fields beside dbgen's: status and is-ready; GET /tables (every table,
// named with its database); GET /tables/{table} and /tables/{table}/schema
// (with schema_definition, the CREATE statement) for a table named without
// its database, which works when one database has a table of that name, or
// as database.table (an ambiguous name is 409 AMBIGUOUS_TABLE listing the
// candidates); GET /migrations/status, POST /migrations/run and POST
// /migrations/generate over every database. generate plans the next
// migration from the schema files through Options.Planner (dbgen serve
// --root), and answers 409 NO_SCHEMA_FILES without one.
//
// A path can be both the seed's and dbgen's only for a database called
// "tables": /api/v1/db/tables/tables is the seed's rows of table "tables",
// /api/v1/db/tables/tables/schema its schema. The seed's route answers
// (http.ServeMux cannot hold both patterns, so the seed's are matched
// first); that database's other routes are dbgen's as usual.
//
// # Rows
//
//	GET /api/v1/db/{db}/tables/{table}?status=active&age__gte=18&sort=-created_at,name&page=2&page_size=50
//	GET /api/v1/db/{db}/tables/{table}?sort=name&cursor=            first keyset page
//	GET /api/v1/db/{db}/tables/{table}?sort=name&cursor=<next_cursor of the previous page>
//
// A numbered page counts the matching rows (total); a keyset page, asked
// for by the cursor parameter (empty for the first page), does not, and
// costs the same at any depth. Both link the next page in a Link header.
// A view pages by number only: it has no key, its rows may repeat, and a
// keyset page that ended between two copies would skip the rest.
//
// A query string that does not parse (a pair holding ";", a bad
// %-escape) is refused with 400 on every route: Go would drop the pair,
// and the request would run without it.
//
// Parameters other than page, page_size, cursor and sort are filters:
// col=value (exact) or col__op=value, with Datasette's operators (exact,
// not, gt, gte, lt, lte, contains, startswith, endswith, like, in, notin,
// isnull, notnull). A column called like a parameter is filtered as
// col__exact. Values of INTEGER and REAL columns must be numbers; in and
// notin take comma-separated values or a JSON array.
//
// # Record keys
//
// A record is addressed by its primary key (rowid for a table without one),
// written as one path segment: the key's values in primary key order,
// separated by commas, each tilde-encoded as Datasette does it. Bytes other
// than A-Z a-z 0-9 _ - become ~XX (hex, upper case) and a space becomes +,
// so a value may hold commas, slashes and any text:
//
//	users/records/42                 id = 42
//	api_tokens/records/7,ci~2Fdeploy user_id = 7, name = "ci/deploy"
//	settings/records/billing,tax+rate module = "billing", key = "tax rate"
//
// Listings return each row's encoded key in "keys", so clients never need
// to build one themselves.
//
// # Records
//
// A record is a JSON object of column values, written as
// runtime.RecordFromJSON reads them back: a BLOB is the base64 of its
// bytes, a DATE or DATETIME its text, a JSON column the JSON it holds, the
// infinities "Infinity" and "-Infinity". What a GET answers, a PATCH or
// POST stores again unchanged. Views and virtual tables are read-only
// (their "writable" is false): a virtual table's module decides what a
// write means, so FTS5 and the like are written with SQL.
package admin
