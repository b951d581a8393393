// dbgen admin page: a read-only browser over the admin API.
//
// Everything the page shows follows from the URL fragment, e.g.
//   #db=accounts&table=users&sort=-created_at&page=2&size=50&f=status__exact=active
// so every view can be bookmarked, reloaded, shared and driven by tests.
// Data is put in the page with textContent only: nothing from a database is
// ever parsed as HTML.
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
  return "#" + p.toString();
}

function go(changes) {
  location.hash = link({ ...readState(), ...changes });
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

async function api(path) {
  const res = await fetch(API + path, { headers: { Accept: "application/json" } });
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const e = body && body.error;
    throw new Error(e ? `${e.code}: ${e.message}` : `HTTP ${res.status}`);
  }
  return body;
}

let nav = null; // [{name, migrations, tables: [{name, type}]}], loaded once
const schemas = new Map(); // "db/table" -> schema

async function loadNav() {
  const { databases } = await api("/databases");
  nav = await Promise.all(databases.map(async (d) => {
    const { tables } = await api(`/${enc(d.name)}/tables`);
    return { ...d, tables };
  }));
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
    if (gen === generation) main.replaceChildren(...view.flat().filter(Boolean));
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
      el("div", { class: "muted mono" }, d.migration_version || "no migrations"),
      d.error ? el("div", { class: "error" }, d.error) : null))),
  ];
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
  return [
    ...header(state, schema),
    filterBar(state, data.columns),
    el("div", { class: "scroll" }, el("table", { id: "rows" },
      el("thead", {}, el("tr", {}, data.columns.map((c) => sortHeader(state, c)))),
      el("tbody", {}, data.records.map((rec, i) => el("tr", { "data-key": data.keys[i] || null },
        data.columns.map((c) => cell(rec[c], types[c] || "", keys.has(c)))))))),
    data.records.length ? null : el("p", { class: "muted", id: "empty" }, "No rows match."),
    pager(state, data),
  ];
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
  ].flat();
}

// --- health --------------------------------------------------------------------

async function health() {
  const pill = document.getElementById("health");
  try {
    const st = await api("/status");
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
