-- Migration 20261125183324_initial.sql of database "accounts", planned by dbgen from the schema files.
-- Its down script is down/20261125183324_initial.sql.

-- Create "sessions" table
CREATE TABLE sessions (
    token      TEXT PRIMARY KEY NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_agent TEXT,
    expires_at DATETIME NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) WITHOUT ROWID;
-- Create index "sessions_by_user" to table: "sessions"
CREATE INDEX sessions_by_user ON sessions (user_id);
-- Create "api_tokens" table
CREATE TABLE api_tokens (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    hash       BLOB NOT NULL UNIQUE,
    scopes     JSON NOT NULL DEFAULT '[]',
    revoked    BOOLEAN NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (user_id, name)
);
-- Create "organizations" table
CREATE TABLE organizations (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
) STRICT;
-- Create "users" table
CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    email           TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name    TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'deleted')),
    avatar          BLOB,
    last_login_at   DATETIME,
    created_at      DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    email_domain    TEXT GENERATED ALWAYS AS (substr(email, instr(email, '@') + 1)) VIRTUAL
);
-- Create index "users_by_org_status" to table: "users"
CREATE INDEX users_by_org_status ON users (organization_id, status);
-- Create trigger "users_delete_sessions"
CREATE TRIGGER users_delete_sessions AFTER UPDATE OF status ON users
WHEN NEW.status <> 'active'
BEGIN
    DELETE FROM sessions WHERE user_id = NEW.id;
END;
-- Create view "active_users"
CREATE VIEW active_users AS
    SELECT id, organization_id, email, display_name, created_at
    FROM users
    WHERE status = 'active';
