-- DATABASE_NAME: content
-- Articles with tags, and a full-text index kept in step by triggers.

CREATE TABLE articles (
    id           INTEGER PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL DEFAULT '',
    author_id    INTEGER NOT NULL,
    published    BOOLEAN NOT NULL DEFAULT 0,
    published_at TIMESTAMP,
    word_count   INTEGER GENERATED ALWAYS AS (length(body) - length(replace(body, ' ', '')) + 1) STORED
);

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id     INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, tag_id)
) WITHOUT ROWID;

CREATE VIEW published_articles AS
    SELECT id, slug, title, author_id, published_at
    FROM articles
    WHERE published;

CREATE INDEX articles_by_author ON articles (author_id, published_at);
