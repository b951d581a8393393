-- The framework database: which modules are installed, their settings, and
-- the application log. Files without a DATABASE_NAME directive feed it.

CREATE TABLE modules (
    name         TEXT PRIMARY KEY NOT NULL,
    version      TEXT NOT NULL,
    enabled      BOOLEAN NOT NULL DEFAULT 1,
    installed_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) WITHOUT ROWID;

CREATE TABLE settings (
    module     TEXT NOT NULL REFERENCES modules (name) ON DELETE CASCADE,
    key        TEXT NOT NULL,
    value      JSON NOT NULL DEFAULT '{}',
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (module, key)
);

CREATE TABLE logs (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    level      TEXT NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
    module     TEXT,
    message    TEXT NOT NULL,
    attributes JSON,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX logs_by_time ON logs (created_at);
CREATE INDEX logs_errors ON logs (module, created_at) WHERE level = 'error';
