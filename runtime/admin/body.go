package admin

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
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

// decodeCommand reads the JSON object body of a command route (not a
// record's columns) into v, a struct whose json tags are the fields the
// route takes; example shows such a body in messages. A field it does not
// take is refused, all of them named: a misspelt field silently ignored
// would run the command without it. With optional set, an empty body
// leaves v as it is.
func decodeCommand(r *http.Request, module string, v any, optional bool, example string) error {
	var fields map[string]json.RawMessage
	if err := decodeBody(r, module, &fields, optional); err != nil {
		return err
	}
	if fields == nil {
		if optional && r.ContentLength <= 0 {
			return nil // no body at all
		}
		return invalid(module, "request body must be a JSON object: "+example)
	}
	known := commandFields(v)
	var unknown []string
	for name := range fields {
		if !slices.Contains(known, name) {
			unknown = append(unknown, clip(name))
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		quoted := make([]string, len(unknown))
		for i, u := range unknown {
			quoted[i] = strconv.Quote(u)
		}
		word := "field "
		if len(unknown) > 1 {
			word = "fields "
		}
		return invalid(module, "unknown "+word+strings.Join(quoted, ", ")+"; the body takes "+strings.Join(known, ", ")+": "+example,
			"fields", unknown, "allowed", known)
	}
	data, err := json.Marshal(fields)
	if err != nil {
		return err
	}
	var typeErr *json.UnmarshalTypeError
	if err := json.Unmarshal(data, v); errors.As(err, &typeErr) {
		return invalid(module, "field "+typeErr.Field+" must be a JSON "+typeErr.Type.Kind().String()+": "+example, "field", typeErr.Field)
	} else if err != nil {
		return invalid(module, "request body is not valid JSON: "+err.Error())
	}
	return nil
}

// commandFields are the JSON names of the fields of the struct v points to.
func commandFields(v any) []string {
	t := reflect.TypeOf(v).Elem()
	var out []string
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}
