-- Migration 20261125183324_initial.sql of database "billing", planned by dbgen from the schema files.
-- Its down script is down/20261125183324_initial.sql.

-- Create "plans" table
CREATE TABLE plans (
    code          TEXT PRIMARY KEY NOT NULL,
    name          TEXT NOT NULL,
    price_cents   INTEGER NOT NULL CHECK (price_cents >= 0),
    currency      TEXT NOT NULL DEFAULT 'EUR',
    interval      TEXT NOT NULL CHECK (interval IN ('month', 'year')),
    active        BOOLEAN NOT NULL DEFAULT 1
);
-- Create "subscriptions" table
CREATE TABLE subscriptions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  INTEGER NOT NULL,
    plan_code   TEXT NOT NULL REFERENCES plans (code),
    status      TEXT NOT NULL DEFAULT 'trialing',
    started_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    canceled_at DATETIME
);
-- Create index "one_live_subscription" to table: "subscriptions"
CREATE UNIQUE INDEX one_live_subscription ON subscriptions (account_id) WHERE canceled_at IS NULL;
-- Create "invoices" table
CREATE TABLE invoices (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE RESTRICT,
    number          TEXT NOT NULL UNIQUE,
    amount_cents    INTEGER NOT NULL,
    tax_rate        REAL NOT NULL DEFAULT 0.0,
    paid_at         DATETIME,
    issued_at       DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
-- Create index "invoices_unpaid" to table: "invoices"
CREATE INDEX invoices_unpaid ON invoices (subscription_id) WHERE paid_at IS NULL;
