-- Down script of 20261201200733_initial.sql (database "store"): restores the schema from before it.
-- Planned by dbgen from the schema after the migration back to the schema before it.
-- DATA LOSS: this script drops table "price_points", and the data written to it since 20261201200733_initial.sql.
-- DATA LOSS: this script drops table "products", and the data written to it since 20261201200733_initial.sql.
-- DATA LOSS: this script drops table "stock_movements", and the data written to it since 20261201200733_initial.sql.

-- Drop view "live_products"
DROP VIEW "live_products";
-- Drop "price_points" table
DROP TABLE "price_points";
-- Drop "stock_movements" table
DROP TABLE "stock_movements";
-- Drop "products" table
DROP TABLE "products";
