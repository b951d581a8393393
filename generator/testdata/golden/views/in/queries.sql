-- name: Publish :execrows
UPDATE posts SET published = 1 WHERE id = ?;

-- name: TitlesLike :many
SELECT id, title FROM posts WHERE title LIKE ? ORDER BY id;
