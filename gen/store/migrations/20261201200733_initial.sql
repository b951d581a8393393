-- Migration 20261201200733_initial.sql of database "store", planned by dbgen from the schema files.
-- Its down script is down/20261201200733_initial.sql.

-- Create "products" table
CREATE TABLE products (
    id            INTEGER PRIMARY KEY,
    sku           TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    description   TEXT,
    status        TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'live', 'retired')),
    stock         INTEGER NOT NULL DEFAULT 0,
    reorder_level INTEGER,
    price         NUMERIC NOT NULL DEFAULT 0,
    list_price    NUMERIC,
    rating        REAL NOT NULL DEFAULT 0.0,
    weight_kg     REAL,
    featured      BOOLEAN NOT NULL DEFAULT 0,
    gift_wrap     BOOLEAN,
    launch_on     DATE NOT NULL DEFAULT CURRENT_DATE,
    discontinued_on DATE,
    attributes    JSON NOT NULL DEFAULT '{}',
    dimensions    JSONB,
    thumbnail     BLOB NOT NULL DEFAULT x'',
    image         BLOB,
    created_at    DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at    TIMESTAMP
);
-- Create index "products_by_status" to table: "products"
CREATE INDEX products_by_status ON products (status, created_at);
-- Create "price_points" table
CREATE TABLE price_points (
    product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    currency   TEXT NOT NULL,
    amount     NUMERIC NOT NULL,
    valid_from DATE NOT NULL DEFAULT CURRENT_DATE,
    PRIMARY KEY (product_id, currency)
) WITHOUT ROWID;
-- Create "stock_movements" table
CREATE TABLE stock_movements (
    product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    delta      INTEGER NOT NULL,
    note       TEXT,
    moved_at   DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
-- Create index "stock_movements_by_product" to table: "stock_movements"
CREATE INDEX stock_movements_by_product ON stock_movements (product_id, moved_at);
-- Create view "live_products"
CREATE VIEW live_products AS
    SELECT id, sku, name, stock, price, created_at
    FROM products
    WHERE status = 'live';
