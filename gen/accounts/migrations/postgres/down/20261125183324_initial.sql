-- Down script of 20261125183324_initial.sql (database "accounts"): restores the schema from before it.
-- Planned by dbgen from the schema after the migration back to the schema before it.
-- DATA LOSS: this script drops table "api_tokens", and the data written to it since 20261125183324_initial.sql.
-- DATA LOSS: this script drops table "organizations", and the data written to it since 20261125183324_initial.sql.
-- DATA LOSS: this script drops table "sessions", and the data written to it since 20261125183324_initial.sql.
-- DATA LOSS: this script drops table "users", and the data written to it since 20261125183324_initial.sql.
-- It leaves extension citext installed: the database's other schemas may use it.

-- Drop trigger "users_delete_sessions"
DROP TRIGGER "users_delete_sessions" ON "users";
-- Drop view "active_users"
DROP VIEW "active_users";
-- Drop function "users_delete_sessions()"
DROP FUNCTION "users_delete_sessions"();
-- Drop "api_tokens" table
DROP TABLE "api_tokens";
-- Drop "sessions" table
DROP TABLE "sessions";
-- Drop "users" table
DROP TABLE "users";
-- Drop "organizations" table
DROP TABLE "organizations";
