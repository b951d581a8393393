-- DATABASE_NAME: shop
-- Composite keys, unique constraints, AUTOINCREMENT, WITHOUT ROWID and a
-- table keyed only by the implicit rowid.
CREATE TABLE customers (
    id    INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    name  TEXT NOT NULL
);

CREATE TABLE order_lines (
    order_id INTEGER NOT NULL,
    line_no  INTEGER NOT NULL,
    sku      TEXT NOT NULL,
    qty      INTEGER NOT NULL CHECK (qty > 0),
    PRIMARY KEY (order_id, line_no),
    UNIQUE (order_id, sku)
) WITHOUT ROWID;

CREATE TABLE events (
    kind TEXT NOT NULL,
    at   DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
