-- DATABASE_NAME: links
-- Nullable columns as pointers, type overrides by column and by declared type,
-- and extra initialisms.
CREATE TABLE links (
    id        INTEGER PRIMARY KEY,
    url       TEXT NOT NULL UNIQUE,
    api_key   TEXT,
    clicks    INTEGER,
    rating    REAL,
    pinned    BOOLEAN,
    seen_at   DATETIME,
    price     DECIMAL NOT NULL,
    discount  DECIMAL,
    meta      TEXT
);
