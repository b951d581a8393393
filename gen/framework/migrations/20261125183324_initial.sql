-- Migration 20261125183324_initial.sql of database "framework", planned by dbgen from the schema files.
-- Its down script is down/20261125183324_initial.sql.

-- Create "modules" table
CREATE TABLE modules (
    name         TEXT PRIMARY KEY NOT NULL,
    version      TEXT NOT NULL,
    enabled      BOOLEAN NOT NULL DEFAULT 1,
    installed_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) WITHOUT ROWID;
-- Create "settings" table
CREATE TABLE settings (
    module     TEXT NOT NULL REFERENCES modules (name) ON DELETE CASCADE,
    key        TEXT NOT NULL,
    value      JSON NOT NULL DEFAULT '{}',
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (module, key)
);
-- Create "logs" table
CREATE TABLE logs (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    level      TEXT NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
    module     TEXT,
    message    TEXT NOT NULL,
    attributes JSON,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
-- Create index "logs_by_time" to table: "logs"
CREATE INDEX logs_by_time ON logs (created_at);
-- Create index "logs_errors" to table: "logs"
CREATE INDEX logs_errors ON logs (module, created_at) WHERE level = 'error';
