-- Migration 20261125183324_initial.sql of database "content", planned by dbgen from the schema files.
-- Its down script is down/20261125183324_initial.sql.

-- Create "articles" table
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
-- Create index "articles_by_author" to table: "articles"
CREATE INDEX articles_by_author ON articles (author_id, published_at);
-- Create "tags" table
CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
-- Create "article_tags" table
CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id     INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, tag_id)
) WITHOUT ROWID;
-- Create view "published_articles"
CREATE VIEW published_articles AS
    SELECT id, slug, title, author_id, published_at
    FROM articles
    WHERE published;
