// dbgen admin page: a browser over the admin API, which edits rows and
// runs migrations once the server's token is entered.
//
// Everything the page shows follows from the URL fragment, e.g.
//   #db=accounts&table=users&sort=-created_at&page=2&size=50&f=status__exact=active
//   #db=accounts&table=users&edit=42        the form of row 42 (edit=new: a new row)
// so every view can be bookmarked, reloaded, shared and driven by tests.
// Data is put in the page with textContent only: nothing from a database is
// ever parsed as HTML. The token is kept in sessionStorage, for this tab
// only, and sent only to this server's API.
"use strict";

const API = "/api/v1/db";
const OPS = ["exact", "not", "gt", "gte", "lt", "lte", "contains", "startswith", "endswith",
  "like", "in", "notin", "isnull", "notnull"];
const SIZES = [25, 50, 100, 200];

// el builds an element: el("a", {href: "#", class: "x", onclick: fn}, "text", child...).
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "class") node.className = v;
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c !== undefined && c !== null) node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

const enc = encodeURIComponent;

// --- state in the fragment ---------------------------------------------------

function readState() {
  const p = new URLSearchParams(location.hash.slice(1));
  return {
    db: p.get("db") || "",
    table: p.get("table") || "",
    view: p.get("view") || "rows",
    sort: p.get("sort") || "",
    page: Math.max(1, parseInt(p.get("page"), 10) || 1),
    size: parseInt(p.get("size"), 10) || 50,
    filters: p.getAll("f"),
    edit: p.get("edit") || "",
  };
}

function link(state) {
  const p = new URLSearchParams();
  if (state.db) p.set("db", state.db);
  if (state.table) p.set("table", state.table);
  if (state.view && state.view !== "rows") p.set("view", state.view);
  if (state.sort) p.set("sort", state.sort);
  if (state.page > 1) p.set("page", state.page);
  if (state.size && state.size !== 50) p.set("size", state.size);
  for (const f of state.filters || []) p.append("f", f);
  if (state.edit) p.set("edit", state.edit);
  return "#" + p.toString();
}

function go(changes) {
  const next = link({ ...readState(), ...changes });
  if (next === location.hash || (next === "#" && !location.hash)) render();
  else location.hash = next;
}

// A filter is kept as "col__op=value", as the API spells it.
function parseFilter(f) {
  const i = f.indexOf("=");
  const name = i < 0 ? f : f.slice(0, i);
  const value = i < 0 ? "" : f.slice(i + 1);
  const j = name.lastIndexOf("__");
  return j > 0 ? { col: name.slice(0, j), op: name.slice(j + 2), value } : { col: name, op: "exact", value };
}

// --- API ---------------------------------------------------------------------

// APIError is an error answer: error is the envelope's, status the HTTP one.
class APIError extends Error {
  constructor(status, error) {
    super(error ? `${error.code}: ${error.message}` : `HTTP ${status}`);
    this.status = status;
    this.error = error || { code: "HTTP_" + status, message: `HTTP ${status}`, details: {} };
  }
}

async function api(path) {
  return send("GET", path);
}

// send calls the API; a body is JSON text, and then the token goes with it.
async function send(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && token) headers.Authorization = "Bearer " + token;
  const res = await fetch(API + path, { method, headers, body });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    if (res.status === 401 && token) setToken(""); // refused: ask again
    throw new APIError(res.status, data && data.error);
  }
  return data;
}

let nav = null; // [{name, migrations, tables: [{name, type}]}], loaded once
const schemas = new Map(); // "db/table" -> schema
let server = { read_only: true, plans_migrations: false }; // from /status

async function loadNav() {
  const [{ databases }, st] = await Promise.all([api("/databases"), api("/status")]);
  server = st;
  nav = await Promise.all(databases.map(async (d) => {
    const { tables } = await api(`/${enc(d.name)}/tables`);
    return { ...d, tables };
  }));
  renderAuth();
}

// --- the token -------------------------------------------------------------------

const TOKEN_KEY = "dbgen-admin-token";
let token = sessionStorage.getItem(TOKEN_KEY) || "";

function setToken(t) {
  token = t;
  if (t) sessionStorage.setItem(TOKEN_KEY, t);
  else sessionStorage.removeItem(TOKEN_KEY);
  renderAuth();
}

// canEdit: the server takes changes and the page has its token.
function canEdit() {
  return !server.read_only && !!token;
}

// readOnlyReason says why the page cannot change anything, "" when it can.
function readOnlyReason() {
  if (server.read_only) return "This server is read-only: it was started without a token (dbgen serve --token-env), so nothing can be changed here.";
  if (!token) return "Read-only until you enter the server's token (top right): then rows can be created, edited and deleted, and migrations run.";
  return "";
}

function renderAuth() {
  const box = document.getElementById("auth");
  if (server.read_only) {
    box.replaceChildren(el("span", { class: "pill", id: "mode", title: readOnlyReason() }, "read-only server"));
  } else if (!token) {
    const input = el("input", { type: "password", id: "token", placeholder: "token", "aria-label": "Token", autocomplete: "off" });
    box.replaceChildren(el("form", { id: "auth-form", onsubmit: (e) => {
      e.preventDefault();
      if (input.value.trim()) { setToken(input.value.trim()); render(); }
    } }, el("span", { class: "pill", id: "mode" }, "read-only"), input, el("button", { type: "submit", id: "unlock" }, "Unlock editing")));
  } else {
    box.replaceChildren(el("span", { class: "pill ok", id: "mode" }, "editing"),
      el("button", { class: "plain", id: "lock", onclick: () => { setToken(""); render(); } }, "Lock"));
  }
}

// A notice is shown once, on top of the next view.
let notice = null;
function notify(text, kind = "ok") {
  notice = { text, kind };
}

async function schemaOf(db, table) {
  const k = db + "/" + table;
  if (!schemas.has(k)) schemas.set(k, await api(`/${enc(db)}/tables/${enc(table)}/schema`));
  return schemas.get(k);
}

// --- rendering -----------------------------------------------------------------

let generation = 0; // a newer render makes an older one's results stale

async function render() {
  const gen = ++generation;
  const state = readState();
  const main = document.getElementById("main");
  try {
    if (!nav) await loadNav();
    renderNav(state);
    let view;
    if (!state.db) view = await overview();
    else if (!state.table) view = await databaseView(state);
    else if (state.view === "schema") view = await schemaView(state);
    else view = await rowsView(state);
    const shown = notice ? el("div", { class: "notice " + notice.kind, id: "notice", role: "status" }, notice.text) : null;
    notice = null;
    if (gen === generation) main.replaceChildren(...[shown, ...view.flat()].filter(Boolean));
  } catch (err) {
    if (gen === generation) main.replaceChildren(el("div", { class: "error", role: "alert" }, err.message));
  }
  document.title = ["dbgen admin", state.db, state.table].filter(Boolean).join(" · ");
}

function renderNav(state) {
  const items = nav.map((d) => [
    el("h2", {}, el("a", { href: link({ db: d.name }) }, d.name)),
    el("ul", {}, d.tables.map((t) => el("li", {},
      el("a", {
        href: link({ db: d.name, table: t.name }),
        class: d.name === state.db && t.name === state.table ? "active" : "",
        "data-table": d.name + "." + t.name,
      }, t.name, t.type !== "table" ? el("span", { class: "kind" }, t.type) : null)))),
  ]);
  document.getElementById("nav").replaceChildren(...items.flat());
}

function card(label, value) {
  return el("div", { class: "card" }, el("div", { class: "label" }, label), el("div", { class: "value" }, value));
}

function bytes(n) {
  const units = ["B", "KiB", "MiB", "GiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i ? n.toFixed(1) : n) + " " + units[i];
}

async function overview() {
  const st = await api("/status");
  return [
    el("h1", {}, "Databases"),
    el("p", { class: "muted" }, st.ready ? "Every database answers." : "Some databases do not answer."),
    el("div", { class: "grid" }, st.databases.map((d) => el("div", { class: "card" },
      el("div", { class: "label" }, d.status),
      el("div", { class: "value" }, el("a", { href: link({ db: d.name }) }, d.name)),
      el("div", { class: "muted" }, `${d.table_count} tables · ${bytes(d.size_bytes)}`),
      el("div", { class: "muted mono migration" }, migrationLine(d)),
      d.error ? el("div", { class: "error" }, d.error) : null,
      d.migration_error ? el("div", { class: "error" }, d.migration_error) : null))),
  ];
}

// migrationLine is a status card's migration, as the migrations page
// counts them (both read the same revisions).
function migrationLine(d) {
  const at = d.migration_version ? `at ${d.migration_version} · ${d.applied_migrations} applied` : "no migration applied";
  return d.pending_migrations ? `${at} · ${d.pending_migrations} pending` : at;
}

async function databaseView(state) {
  const [st, mig] = await Promise.all([api("/status"), api(`/${enc(state.db)}/migrations/status`)]);
  const d = st.databases.find((x) => x.name === state.db);
  if (!d) throw new Error(`DATABASE_NOT_FOUND: no database ${state.db}`);
  return [
    el("h1", {}, d.name),
    el("div", { class: "grid" },
      card("status", d.status), card("tables", d.table_count), card("size", bytes(d.size_bytes)),
      card("migration", mig.current || "none"), card("pending", mig.pending.length)),
    el("p", { class: "muted mono" }, d.path),
    el("h3", {}, "Tables"),
    el("ul", { id: "tables" }, (nav.find((x) => x.name === d.name)?.tables || []).map((t) => el("li", {},
      el("a", { href: link({ db: d.name, table: t.name }) }, t.name),
      el("span", { class: "muted" }, ` · ${t.type} · ${t.columns} columns`)))),
    el("h3", {}, "Migrations"),
    mig.migrations ? null : el("p", { class: "muted" }, "Served without its migrations folder: applied revisions only."),
    el("div", { class: "scroll" }, el("table", { id: "migrations" },
      el("thead", {}, el("tr", {}, ["version", "description", "state", "applied at", "took"].map((h) => el("th", {}, h)))),
      el("tbody", {},
        mig.applied.map((m) => el("tr", {}, el("td", {}, m.version), el("td", {}, m.description),
          el("td", {}, m.baseline ? "baseline" : "applied"), el("td", {}, m.applied_at), el("td", { class: "num" }, m.duration_ms + " ms"))),
        mig.pending.map((m) => el("tr", {}, el("td", {}, m.version), el("td", {}, m.description),
          el("td", {}, "pending"), el("td", {}, ""), el("td", {}, "")))))),
    mig.applied.length + mig.pending.length === 0 ? el("p", { class: "muted" }, "No migrations.") : null,
    pendingView(d.name, mig),
    planForm(d.name),
  ];
}

// pendingView shows what each pending migration would do (its SQL and
// its down script's) and runs them.
function pendingView(db, mig) {
  if (!mig.pending.length) return null;
  const reason = readOnlyReason();
  const run = el("button", { id: "run-migrations", disabled: !!reason, onclick: async (e) => {
    e.target.disabled = true;
    try {
      const after = await send("POST", `/${enc(db)}/migrations/run`, JSON.stringify({ target: "head" }));
      notify(`Applied ${mig.pending.length} ${mig.pending.length === 1 ? "migration" : "migrations"}: ${db} is at ${after.current}. ` +
        "The server keeps the tables it started with: restart it to browse a changed schema.");
      schemas.clear();
    } catch (err) {
      notify(err.message, "bad");
    }
    render();
  } }, `Run ${mig.pending.length} pending ${mig.pending.length === 1 ? "migration" : "migrations"}`);
  return [
    el("h3", {}, "Pending migrations"),
    el("div", { id: "pending" }, mig.pending.map((m) => el("details", { class: "pending-migration", "data-version": m.version, open: true },
      el("summary", {}, el("code", {}, m.file)),
      el("pre", { class: "sql" }, m.sql),
      m.down_sql ? el("details", { class: "down" }, el("summary", {}, "Down script"), el("pre", { class: "sql" }, m.down_sql)) : null))),
    el("div", { class: "buttons" }, run, reason ? el("span", { class: "muted" }, reason) : null),
  ];
}

// planForm plans the next migration from the schema files, on a server
// started beside them (dbgen serve --root).
function planForm(db) {
  if (!server.plans_migrations) return null;
  const message = el("input", { id: "plan-message", placeholder: "what changed, e.g. add avatar", "aria-label": "Migration message" });
  const destructive = el("input", { type: "checkbox", id: "plan-destructive" });
  const out = el("div", { id: "plan-result" });
  const reason = readOnlyReason();
  return [
    el("h3", {}, "Plan a migration"),
    el("p", { class: "muted" }, "From the schema files, as dbgen migrate diff does; the new migration is then pending here."),
    el("form", { class: "filters", id: "plan-form", onsubmit: async (e) => {
      e.preventDefault();
      out.replaceChildren();
      try {
        const res = await send("POST", "/migrations/generate",
          JSON.stringify({ message: message.value, database: db, allow_destructive: destructive.checked }));
        notify(res.migrations.length ? `Wrote ${res.migrations.map((m) => m.files[0]).join(", ")}` : `No changes: the migrations of ${db} reach its schema files.`);
        render();
      } catch (err) {
        const d = err.error.details || {};
        out.replaceChildren(el("div", { class: "error", role: "alert" }, err.message,
          el("ul", {}, [...(d.findings || []), ...(d.renames || []), ...(d.diagnostics || [])].map((f) => el("li", {}, f)))));
      }
    } }, message, el("label", {}, destructive, " allow dropping data"), el("button", { type: "submit", id: "plan", disabled: !!reason }, "Plan")),
    reason ? el("p", { class: "muted" }, reason) : null,
    out,
  ];
}

function header(state, schema) {
  const tab = (view, label) => el("a", {
    href: link({ db: state.db, table: state.table, view }),
    class: state.view === view ? "active" : "", id: "tab-" + view,
  }, label);
  return [
    el("h1", {}, el("span", { class: "db" }, state.db + " / "), state.table,
      el("span", { class: "badge" }, schema.type), schema.strict ? el("span", { class: "badge" }, "strict") : null),
    el("div", { class: "tabs" }, tab("rows", "Rows"), tab("schema", "Schema")),
  ];
}

// --- rows ----------------------------------------------------------------------

async function rowsView(state) {
  const schema = await schemaOf(state.db, state.table);
  const q = new URLSearchParams();
  q.set("page", state.page);
  q.set("page_size", state.size);
  if (state.sort) q.set("sort", state.sort);
  for (const f of state.filters) {
    const { col, op, value } = parseFilter(f);
    q.append(`${col}__${op}`, value);
  }
  const data = await api(`/${enc(state.db)}/tables/${enc(state.table)}?${q}`);
  const types = Object.fromEntries(schema.columns.map((c) => [c.name, (c.type || "").toUpperCase()]));
  const keys = new Set(data.primary_key);
  const editing = schema.writable && canEdit();
  return [
    ...header(state, schema),
    editBar(state, schema),
    state.edit && editing ? await editor(state, schema) : null,
    filterBar(state, data.columns),
    el("div", { class: "scroll" }, el("table", { id: "rows" },
      el("thead", {}, el("tr", {}, data.columns.map((c) => sortHeader(state, c)), editing ? el("th", { class: "actions" }, "") : null)),
      el("tbody", {}, data.records.map((rec, i) => el("tr", { "data-key": data.keys[i] || null },
        data.columns.map((c) => cell(rec[c], types[c] || "", keys.has(c))),
        editing ? rowActions(state, data.keys[i]) : null))))),
    data.records.length ? null : el("p", { class: "muted", id: "empty" }, "No rows match."),
    pager(state, data),
  ];
}

// editBar offers a new row, or says why rows cannot be changed.
function editBar(state, schema) {
  if (!schema.writable) {
    return el("p", { class: "muted", id: "read-only-note" }, `A ${schema.type === "view" ? "view" : "virtual table"} is read-only.`);
  }
  const reason = readOnlyReason();
  if (reason) return el("p", { class: "muted", id: "read-only-note" }, reason);
  return el("div", { class: "filters" }, el("button", { id: "new-row", onclick: () => go({ edit: "new" }) }, "New row"));
}

function rowActions(state, key) {
  if (!key) return el("td", {}, "");
  const del = el("button", { class: "plain delete", title: "Delete this row" }, "Delete");
  del.addEventListener("click", async () => {
    if (!del.classList.contains("confirm")) { // the first click asks
      del.classList.add("confirm");
      del.textContent = "Delete?";
      return;
    }
    try {
      await send("DELETE", `/${enc(state.db)}/tables/${enc(state.table)}/records/${key}`);
      notify(`Deleted row ${decodeKey(key)}.`);
    } catch (err) {
      notify(err.message, "bad");
    }
    render();
  });
  return el("td", { class: "actions" },
    el("button", { class: "plain edit", title: "Edit this row", onclick: () => go({ edit: key }) }, "Edit"), " ", del);
}

// decodeKey shows an encoded record key (Datasette's tilde encoding) as text.
function decodeKey(key) {
  const part = (p) => {
    try {
      return decodeURIComponent(p.replace(/\+/g, " ").replace(/~([0-9A-F]{2})/g, "%$1"));
    } catch {
      return p;
    }
  };
  return key.split(",").map(part).join(", ");
}

// --- the row form -------------------------------------------------------------

async function editor(state, schema) {
  const creating = state.edit === "new";
  const path = `/${enc(state.db)}/tables/${enc(state.table)}/records`;
  const rec = creating ? {} : (await api(`${path}/${state.edit}`)).record;
  const fields = schema.columns.map((c) => field(c, rec, creating));
  const formError = el("div", { class: "form-error", id: "form-error", role: "alert" });
  const save = async (e) => {
    e.preventDefault();
    formError.textContent = "";
    const body = [];
    let bad = false;
    for (const f of fields) {
      f.setError("");
      const v = f.value();
      if (v.error) { f.setError("Want " + v.error + "."); bad = true; } else if (!v.skip) body.push([f.col.name, v.json]);
    }
    if (bad) return;
    if (!creating && !body.length) { formError.textContent = "Nothing changed."; return; }
    try {
      const res = await send(creating ? "POST" : "PATCH", creating ? path : `${path}/${state.edit}`, recordBody(body));
      notify(`${creating ? "Created" : "Saved"} row ${decodeKey(res.key || "")}.`);
      go({ edit: "" });
    } catch (err) {
      const placed = fieldErrors(err.error, schema);
      for (const f of fields) if (placed.fields[f.col.name]) f.setError(placed.fields[f.col.name]);
      formError.textContent = err.status === 401 ? "The token was refused: enter it again above." : placed.form;
    }
  };
  return el("form", { class: "editor", id: "editor", "data-mode": creating ? "create" : "edit", onsubmit: save, novalidate: true },
    el("h3", {}, creating ? `New row of ${state.table}` : `Row ${decodeKey(state.edit)} of ${state.table}`),
    el("div", { class: "fields" }, fields.map((f) => f.node)),
    formError,
    el("div", { class: "buttons" },
      el("button", { type: "submit", id: "save" }, creating ? "Create" : "Save"),
      el("button", { type: "button", class: "plain", id: "cancel", onclick: () => go({ edit: "" }) }, "Cancel")));
}

// field is the input of one column, typed by the schema: value() is
// {skip}, {json} or {error}, as the record's body takes it.
function field(col, rec, creating) {
  let kind = inputKind(col);
  const value = rec[col.name];
  let shown = inputValue(kind, value);
  if (shown === null) { kind = "text"; shown = String(value); } // a time the input cannot show
  const locked = kind === "generated" || (!creating && col.primary_key);
  const id = "field-" + col.name.replace(/\W/g, "_");
  const error = el("div", { class: "field-error", "data-error-for": col.name });
  const hints = [];
  let input;
  let blob = kind === "blob" && typeof value === "string" ? value : null; // base64
  let blobChanged = false;
  switch (kind) {
    case "bool":
      input = el("input", { type: "checkbox", id, checked: shown });
      break;
    case "json":
      input = el("textarea", { id, rows: Math.min(8, shown.split("\n").length + 1), spellcheck: "false" });
      input.value = shown;
      input.addEventListener("input", () => {
        const v = encodeField("json", input.value);
        error.textContent = input.value.trim() && v.error ? "Want " + v.error + "." : "";
      });
      break;
    case "blob": {
      const about = el("span", { class: "blob", id: id + "-about" }, blob === null ? "no value" : blobText(blob) || "");
      input = el("input", { type: "file", id, class: "blob-file" });
      input.addEventListener("change", async () => {
        const file = input.files[0];
        if (!file) return;
        const bin = new Uint8Array(await file.arrayBuffer());
        let s = "";
        for (const b of bin) s += String.fromCharCode(b);
        blob = btoa(s);
        blobChanged = true;
        about.textContent = blobText(blob);
        toggles.forEach((t) => { t.checked = false; });
      });
      hints.push(about);
      if (blob !== null && !creating) hints.push(downloadLink(blob, col.name));
      break;
    }
    default: {
      const attrs = { id, value: shown, spellcheck: "false" };
      if (kind === "date") attrs.type = "date";
      else if (kind === "datetime") Object.assign(attrs, { type: "datetime-local", step: 1 });
      else if (kind === "integer") Object.assign(attrs, { inputmode: "numeric" });
      else if (kind === "number") Object.assign(attrs, { inputmode: "decimal" });
      input = el("input", attrs);
      if (shown && !input.value) { // more than the input can hold, a fraction finer than ms say: edit it as text
        kind = "text";
        input.type = "text";
        input.value = shown = String(value);
      }
      if (kind === "datetime") hints.push(el("span", { class: "muted" }, "UTC"));
    }
  }
  if (locked) input.disabled = true;
  // NULL, and DEFAULT on a new row: checked, the column is left to them;
  // editing the value unchecks them.
  const toggles = [];
  const toggle = (cls, label, checked) => {
    const box = el("input", { type: "checkbox", class: cls, checked });
    toggles.push(box);
    return el("label", { class: "toggle" }, box, " " + label);
  };
  const controls = [input, ...hints];
  let def = null;
  let nul = null;
  if (!locked) {
    if (creating && (col.default || col.rowid)) {
      controls.push(toggle("default-toggle", col.rowid ? "next id" : "DEFAULT " + col.default, true));
      def = toggles[toggles.length - 1];
    }
    if (col.nullable) {
      controls.push(toggle("null-toggle", "NULL", creating ? !def : value === null));
      nul = toggles[toggles.length - 1];
    }
    toggles.forEach((t) => t.addEventListener("change", () => { if (t.checked) toggles.forEach((o) => { if (o !== t) o.checked = false; }); }));
    input.addEventListener(kind === "bool" ? "change" : "input", () => toggles.forEach((t) => { t.checked = false; }));
  }
  const raw = () => (kind === "bool" ? input.checked : kind === "blob" ? blob ?? "" : input.value);
  const initial = creating ? null : (value === null ? "null" : encodeField(kind, raw()).json);
  const node = el("div", { class: "field" + (locked ? " locked" : ""), "data-col": col.name, "data-kind": kind },
    el("label", { for: id }, col.name, " ", el("span", { class: "type" }, col.type || "untyped"),
      col.nullable || col.generated ? null : el("span", { class: "req" }, "NOT NULL"),
      col.primary_key ? el("span", { class: "badge" }, "key") : null,
      col.generated ? el("span", { class: "badge" }, "generated") : null),
    el("div", { class: "control" }, controls), error);
  return {
    col, node,
    setError: (msg) => { error.textContent = msg; node.classList.toggle("invalid", !!msg); },
    value: () => {
      if (locked || (def && def.checked)) return { skip: true };
      if (nul && nul.checked) return value === null && !creating ? { skip: true } : { json: "null" };
      if (kind === "blob" && !blobChanged && !creating) return { skip: true };
      const v = encodeField(kind, raw());
      if (!v.error && !creating && v.json === initial) return { skip: true };
      return v;
    },
  };
}

// downloadLink saves a BLOB's bytes as a file.
function downloadLink(b64, name) {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return el("a", { href: URL.createObjectURL(new Blob([bytes])), download: name + ".bin", class: "download" }, "Download");
}

// sortOrder reads "-a,b" as [{col: "a", desc: true}, {col: "b", desc: false}].
function sortOrder(sort) {
  return sort.split(",").filter(Boolean).map((s) => ({ col: s.replace(/^-/, ""), desc: s.startsWith("-") }));
}

// A click sorts by the column ascending, then descending, then not at all.
function sortHeader(state, col) {
  const first = sortOrder(state.sort)[0];
  const current = first && first.col === col ? (first.desc ? "descending" : "ascending") : "none";
  const next = { none: col, ascending: "-" + col, descending: "" }[current];
  return el("th", {
    class: "sortable", "data-col": col, "aria-sort": current, title: "Sort by " + col,
    onclick: () => go({ sort: next, page: 1 }),
  }, col, current === "none" ? null : el("span", { class: "arrow" }, current === "ascending" ? "▲" : "▼"));
}

// cell shows a value. A BLOB column's value is base64 in the API's JSON: it
// is shown as binary (size and hex, see format.js), never as that text.
function cell(v, type, isKey) {
  const cls = [typeof v === "number" ? "num" : "", isKey ? "pk" : ""].filter(Boolean).join(" ");
  const blob = type.includes("BLOB") && typeof v === "string" ? blobText(v) : null;
  let content;
  if (v === null || v === undefined) content = el("span", { class: "null" }, "null");
  else if (blob) content = el("span", { class: "blob", title: blobText(v, 256) }, blob);
  else if (typeof v === "object") content = JSON.stringify(v);
  else content = String(v);
  return el("td", { class: cls || null, title: typeof content === "string" && content.length > 40 ? content : null }, content);
}

function filterBar(state, columns) {
  const col = el("select", { id: "f-col", "aria-label": "Column" }, columns.map((c) => el("option", { value: c }, c)));
  const op = el("select", { id: "f-op", "aria-label": "Operator" }, OPS.map((o) => el("option", { value: o }, o)));
  const value = el("input", { id: "f-val", "aria-label": "Value", placeholder: "value" });
  const add = (e) => {
    e.preventDefault();
    go({ filters: [...state.filters, `${col.value}__${op.value}=${value.value}`], page: 1 });
  };
  const chips = state.filters.map((f, i) => {
    const { col: c, op: o, value: v } = parseFilter(f);
    return el("span", { class: "chip", "data-filter": f }, `${c} ${o} ${v}`,
      el("button", { title: "Remove filter", "aria-label": "Remove filter",
        onclick: () => go({ filters: state.filters.filter((_, j) => j !== i), page: 1 }) }, "×"));
  });
  return el("form", { class: "filters", id: "filters", onsubmit: add },
    col, op, value, el("button", { type: "submit", id: "f-add" }, "Add filter"), ...chips);
}

function pager(state, data) {
  const total = data.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / data.page_size));
  const from = total ? (data.page - 1) * data.page_size + 1 : 0;
  const to = from ? from + data.records.length - 1 : 0;
  const size = el("select", { id: "page-size", "aria-label": "Rows per page",
    onchange: (e) => go({ size: parseInt(e.target.value, 10), page: 1 }) },
    SIZES.map((n) => el("option", { value: n, selected: n === data.page_size }, `${n} / page`)));
  return el("div", { class: "pager" },
    el("button", { class: "plain", id: "prev", disabled: data.page <= 1, onclick: () => go({ page: data.page - 1 }) }, "‹ Prev"),
    el("span", { id: "page-info" }, `Page ${data.page} of ${pages} · rows ${from}–${to} of ${total}`),
    el("button", { class: "plain", id: "next", disabled: !data.has_more, onclick: () => go({ page: data.page + 1 }) }, "Next ›"),
    size);
}

// --- schema --------------------------------------------------------------------

async function schemaView(state) {
  const s = await schemaOf(state.db, state.table);
  const yes = (b) => (b ? "yes" : "");
  const table = (id, heads, rows) => el("div", { class: "scroll" }, el("table", { id },
    el("thead", {}, el("tr", {}, heads.map((h) => el("th", {}, h)))),
    el("tbody", {}, rows.map((r) => el("tr", {}, r.map((c) => el("td", {}, c)))))));
  const list = (xs) => xs.join(", ");
  return [
    ...header(state, s),
    el("p", { class: "muted" }, "Primary key: ", el("code", {}, list(s.primary_key) || "none"),
      s.without_rowid ? " · WITHOUT ROWID" : ""),
    table("columns", ["column", "type", "nullable", "default", "primary key", "generated"],
      s.columns.map((c) => [c.name, c.type, yes(c.nullable), c.default || "", c.primary_key ? (c.autoincrement ? "yes, autoincrement" : "yes") : "", yes(c.generated)])),
    s.unique.length ? [el("h3", {}, "Unique"), el("ul", {}, s.unique.map((u) => el("li", {}, el("code", {}, list(u)))))] : null,
    s.indexes.length ? [el("h3", {}, "Indexes"), table("indexes", ["name", "columns", "unique", "where"],
      s.indexes.map((i) => [i.name, list(i.columns), yes(i.unique), i.where || ""]))] : null,
    s.foreign_keys.length ? [el("h3", {}, "Foreign keys"), table("foreign-keys", ["columns", "references", "on update", "on delete"],
      s.foreign_keys.map((f) => [list(f.columns), el("a", { href: link({ db: state.db, table: f.ref_table }) }, `${f.ref_table} (${list(f.ref_columns)})`),
        f.on_update || "", f.on_delete || ""]))] : null,
    s.schema_definition ? [el("h3", {}, "Definition"), el("pre", { class: "sql", id: "schema-sql" }, s.schema_definition)] : null,
  ].flat();
}

// --- health --------------------------------------------------------------------

async function health() {
  const pill = document.getElementById("health");
  try {
    const st = await api("/status");
    if (st.read_only !== server.read_only) { server = st; renderAuth(); }
    pill.textContent = `${st.databases.length} databases · ${st.ready ? "ready" : "not ready"}`;
    pill.className = "pill " + (st.ready ? "ok" : "bad");
  } catch (err) {
    pill.textContent = "unreachable";
    pill.className = "pill bad";
  }
}

window.addEventListener("hashchange", render);
render();
health();
setInterval(health, 10000);
