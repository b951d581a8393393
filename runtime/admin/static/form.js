// dbgen admin page: how a record's values become form inputs and go back
// to JSON, column by column as the schema types them, and where an API
// error belongs in a form. Apart from app.js, which needs a document, so
// that a test can run it without a browser (form_test.go).
"use strict";

// inputKind is the input that edits a column: generated columns are never
// written; the rest follow the family the API gives (see Schema.columns).
function inputKind(col) {
  if (col.generated) return "generated";
  switch (col.family) {
    case "bool": return "bool";
    case "integer": return "integer";
    case "real": case "numeric": return "number";
    case "date": return "date";
    case "datetime": return "datetime";
    case "json": return "json";
    case "blob": return "blob";
  }
  return "text";
}

// inputValue is a record's value as its input holds it: text for most,
// a boolean for a checkbox, base64 for a BLOB (as the API writes it).
// A date or time the input cannot show is null: the form then edits it as
// text.
function inputValue(kind, v) {
  if (v === null || v === undefined) return kind === "bool" ? false : "";
  switch (kind) {
    case "bool": return v === true || v === 1;
    case "date": {
      const m = /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/.exec(String(v));
      return m ? m[1] : null;
    }
    case "datetime": return localDateTime(String(v));
    case "json": return JSON.stringify(v, null, 2);
    case "generated": return typeof v === "object" ? JSON.stringify(v) : String(v);
  }
  return String(v);
}

// localDateTime writes a time of the API (RFC 3339, stored in UTC) as a
// datetime-local input's value, in UTC: 2026-01-05T10:00:00Z becomes
// 2026-01-05T10:00:00.
function localDateTime(s) {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (!m) return null;
  if (m[5] && m[5] !== "Z") {
    const d = new Date(s);
    return isNaN(d) ? null : d.toISOString().slice(0, 19);
  }
  return `${m[1]}T${m[2]}${m[3] || ":00"}${m[4] ? m[4].slice(0, 4) : ""}`;
}

// encodeField is the JSON text to send for an input's value, or an error
// saying what the value should be. Numbers are sent as typed, never
// through a JavaScript number, so that an integer beyond 2^53 stays exact.
function encodeField(kind, raw) {
  switch (kind) {
    case "bool": return { json: raw ? "true" : "false" };
    case "integer": {
      const s = String(raw).trim();
      return /^-?\d+$/.test(s) ? { json: s.replace(/^(-?)0+(?=\d)/, "$1") } : { error: "a whole number" };
    }
    case "number": {
      const s = String(raw).trim();
      if (!/^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return { error: "a number" };
      // JSON's spelling: a digit on each side of the point, no leading zeros.
      return { json: s.replace(/^(-?)\./, "$10.").replace(/\.(?=$|[eE])/, "").replace(/^(-?)0+(?=\d)/, "$1") };
    }
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(raw) ? { json: JSON.stringify(raw) } : { error: "a date, YYYY-MM-DD" };
    case "datetime": {
      const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(\.\d+)?)?$/.exec(raw);
      // SQLite's own form, in UTC, as the runtime stores times.
      return m ? { json: JSON.stringify(`${m[1]} ${m[2]}${m[3] || ":00"}`) } : { error: "a date and time, UTC" };
    }
    case "json":
      try {
        JSON.parse(raw);
        return { json: String(raw).trim() };
      } catch (e) {
        return { error: "not valid JSON: " + e.message };
      }
  }
  return { json: JSON.stringify(String(raw)) }; // text, and a BLOB's base64
}

// recordBody writes fields ([[column, JSON text], ...]) as one JSON object.
function recordBody(fields) {
  return "{" + fields.map(([k, json]) => JSON.stringify(k) + ":" + json).join(",") + "}";
}

const KIND_MESSAGES = {
  "unique": "already taken: it must be unique",
  "primary key": "already taken: it is the key",
  "not null": "required: the column is NOT NULL",
  "datatype": "the wrong type for this STRICT column",
};

// fieldErrors places an API error (the envelope's error) in a form of the
// given schema: {fields: {column: message}, form: message or ""}. A
// constraint violation names its columns; a CHECK names its expression, in
// which the columns it tests appear; a foreign key names none, so each
// column of the table's foreign keys is marked.
function fieldErrors(err, schema) {
  const d = err.details || {};
  const names = schema.columns.map((c) => c.name);
  const fields = {};
  let cols = [];
  let msg = err.message;
  if (err.code === "CONSTRAINT_VIOLATION") {
    cols = (d.columns || []).filter((c) => names.includes(c));
    if (d.kind === "check" && d.constraint) {
      const expr = d.constraint.replace(/'(?:[^']|'')*'/g, "''"); // a string literal names no column
      cols = names.filter((n) => new RegExp(`(^|\\W)${n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|\\W)`).test(expr));
      msg = "fails the CHECK " + d.constraint;
    } else if (d.kind === "foreign key") {
      cols = (schema.foreign_keys || []).flatMap((f) => f.columns);
      msg = "no such row in " + (schema.foreign_keys || []).map((f) => f.ref_table).join(" or ");
    } else if (KIND_MESSAGES[d.kind]) {
      msg = cols.length > 1 ? `this combination (${cols.join(", ")}) is ${KIND_MESSAGES[d.kind]}` : KIND_MESSAGES[d.kind];
    }
  } else if (typeof d.column === "string" && names.includes(d.column)) {
    cols = [d.column];
  }
  for (const c of cols) fields[c] = msg;
  return { fields, form: cols.length ? "" : `${err.code}: ${err.message}` };
}
