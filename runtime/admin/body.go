package admin

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
)

// decodeBody reads a JSON object from a request body (already capped by
// http.MaxBytesReader) into v. Numbers stay json.Number, so that integers
// beyond 2^53 reach SQLite exactly. With optional set, an empty body leaves
// v as it is.
func decodeBody(r *http.Request, module string, v any, optional bool) error {
	if r.ContentLength > 0 || r.Header.Get("Content-Type") != "" {
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt != "application/json" {
			// Also what keeps a cross-site HTML form from posting here.
			return apiError(CodeUnsupportedMediaType, module, "send the body as application/json")
		}
	}
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	err := dec.Decode(v)
	if errors.Is(err, io.EOF) && optional {
		return nil
	}
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	if err == nil {
		if _, terr := dec.Token(); !errors.Is(terr, io.EOF) {
			err = errors.New("unexpected data after the JSON value")
		}
	}
	var tooBig *http.MaxBytesError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &tooBig):
		return apiError(CodeBodyTooLarge, module, "request body is larger than "+strconv.FormatInt(tooBig.Limit, 10)+" bytes",
			"limit", tooBig.Limit)
	case errors.Is(err, io.EOF):
		return invalid(module, "request body is empty: send a JSON object")
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return invalid(module, "request body must be a JSON object"+fieldOf(typeErr))
	}
	return invalid(module, "request body is not valid JSON: "+err.Error())
}

func fieldOf(e *json.UnmarshalTypeError) string {
	if e.Field == "" {
		return ""
	}
	return " (field " + e.Field + ")"
}
