-- name: RestockedSince :many
-- RestockedSince lists the products that received stock at or after since.
SELECT p.id, p.sku, sum(m.delta) AS received
FROM stock_movements AS m
JOIN products AS p ON p.id = m.product_id
WHERE m.delta > 0 AND m.moved_at >= ?
GROUP BY p.id, p.sku
ORDER BY p.sku;

-- name: LaunchingOn :many
-- LaunchingOn lists the products launched on a day.
SELECT * FROM products WHERE launch_on = ? ORDER BY id;

-- name: SetAttributes :one
-- SetAttributes replaces a product's attributes and returns the product.
UPDATE products SET attributes = ?, updated_at = CURRENT_TIMESTAMP
WHERE id = ?
RETURNING *;

-- name: AddProduct :one
-- AddProduct inserts a product with every column given, as an import does.
INSERT INTO products (sku, name, description, status, stock, reorder_level, price, list_price,
    rating, weight_kg, featured, gift_wrap, launch_on, discontinued_on, attributes, dimensions,
    thumbnail, image, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
RETURNING *;
