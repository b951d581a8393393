-- DATABASE_NAME: blog
CREATE TABLE posts (
    id        INTEGER PRIMARY KEY,
    title     TEXT NOT NULL,
    published BOOLEAN NOT NULL DEFAULT 0
);

CREATE VIEW published_posts AS SELECT id, title FROM posts WHERE published;

CREATE INDEX posts_unpublished ON posts (id) WHERE NOT published;

CREATE TRIGGER posts_title_trim AFTER INSERT ON posts
BEGIN
    UPDATE posts SET title = trim(NEW.title) WHERE id = NEW.id;
END;
