-- Down script of 20261125183324_initial.sql (database "billing"): restores the schema from before it.
-- Planned by dbgen from the schema after the migration back to the schema before it.
-- DATA LOSS: this script drops table "invoices", and the data written to it since 20261125183324_initial.sql.
-- DATA LOSS: this script drops table "plans", and the data written to it since 20261125183324_initial.sql.
-- DATA LOSS: this script drops table "subscriptions", and the data written to it since 20261125183324_initial.sql.

-- Drop "invoices" table
DROP TABLE "invoices";
-- Drop "subscriptions" table
DROP TABLE "subscriptions";
-- Drop "plans" table
DROP TABLE "plans";
