-- Down script of 20261125183324_initial.sql (database "framework"): restores the schema from before it.
-- Planned by dbgen from the schema after the migration back to the schema before it.
-- DATA LOSS: this script drops table "logs", and the data written to it since 20261125183324_initial.sql.
-- DATA LOSS: this script drops table "modules", and the data written to it since 20261125183324_initial.sql.
-- DATA LOSS: this script drops table "settings", and the data written to it since 20261125183324_initial.sql.

-- Drop "logs" table
DROP TABLE "logs";
-- Drop "settings" table
DROP TABLE "settings";
-- Drop "modules" table
DROP TABLE "modules";
