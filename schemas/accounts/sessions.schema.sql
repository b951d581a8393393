-- DATABASE_NAME: accounts
-- Login sessions and API tokens.

CREATE TABLE sessions (
    token      TEXT PRIMARY KEY NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_agent TEXT,
    expires_at DATETIME NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) WITHOUT ROWID;

CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE api_tokens (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    hash       BLOB NOT NULL UNIQUE,
    scopes     JSON NOT NULL DEFAULT '[]',
    revoked    BOOLEAN NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (user_id, name)
);

CREATE TRIGGER users_delete_sessions AFTER UPDATE OF status ON users
WHEN NEW.status <> 'active'
BEGIN
    DELETE FROM sessions WHERE user_id = NEW.id;
END;
