package admin

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/dbgen-dev/dbgen/runtime"
)

// rowsPage is the body of GET /{db}/tables/{table}.
type rowsPage struct {
	Database   string   `json:"database"`
	Table      string   `json:"table"`
	Columns    []string `json:"columns"`     // in table order, as each record's keys are
	PrimaryKey []string `json:"primary_key"` // the columns of each entry of Keys
	Records    []record `json:"records"`
	Keys       []string `json:"keys"`  // per record, its encoded key for the records routes; "" when none
	Total      *int64   `json:"total"` // null for cursor pages
	Page       int      `json:"page,omitempty"`
	PageSize   int      `json:"page_size"`
	NextCursor string   `json:"next_cursor,omitempty"`
	HasMore    bool     `json:"has_more"`
}

func (h *handler) rows(w http.ResponseWriter, r *http.Request) error {
	db, t, err := h.table(r)
	if err != nil {
		return err
	}
	out, err := listRows(w, r, db, t)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// listRows reads the page of rows of t that r asks for, and sets the Link
// header to the next page.
func listRows(w http.ResponseWriter, r *http.Request, db *runtime.DB, t *runtime.Table) (rowsPage, error) {
	req, err := listRequest(db.Name(), t, r.URL.Query())
	if err != nil {
		return rowsPage{}, err
	}
	page, err := db.ListRecords(r.Context(), t.Name, req)
	if err != nil {
		return rowsPage{}, err
	}
	keyset := r.URL.Query().Has(paramCursor)
	if keyset {
		page.Page = 0 // keyset pages have no number
	}
	cols := t.RecordColumns()
	out := rowsPage{
		Database: db.Name(), Table: t.Name, Columns: cols, PrimaryKey: nonNil(t.Key()),
		Records: records(cols, page.Records), Keys: make([]string, len(page.Records)),
		Page: page.Page, PageSize: page.PageSize, NextCursor: page.NextCursor, HasMore: page.HasMore,
	}
	if page.Total >= 0 {
		out.Total = &page.Total
	}
	for i, rec := range page.Records {
		out.Keys[i] = recordKey(t, rec)
	}
	if link := nextLink(r.URL, page, keyset); link != "" {
		w.Header().Set("Link", link)
	}
	return out, nil
}

// nextLink is the RFC 8288 Link header to the next page (and the previous
// one, for numbered pages), keeping the request's sort and filters.
func nextLink(u *url.URL, page runtime.RecordPage, keyset bool) string {
	link := func(rel string, set func(q url.Values)) string {
		q := u.Query()
		set(q)
		next := url.URL{Path: u.Path, RawQuery: q.Encode()}
		return "<" + next.String() + `>; rel="` + rel + `"`
	}
	var links []string
	switch {
	case keyset && page.NextCursor != "":
		links = append(links, link("next", func(q url.Values) { q.Set(paramCursor, page.NextCursor) }))
	case !keyset && page.HasMore:
		links = append(links, link("next", func(q url.Values) { q.Set(paramPage, strconv.Itoa(page.Page+1)) }))
	}
	if page.Page > 1 {
		links = append(links, link("prev", func(q url.Values) { q.Set(paramPage, strconv.Itoa(page.Page-1)) }))
	}
	out := ""
	for i, l := range links {
		if i > 0 {
			out += ", "
		}
		out += l
	}
	return out
}
