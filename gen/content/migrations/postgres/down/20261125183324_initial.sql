-- Down script of 20261125183324_initial.sql (database "content"): restores the schema from before it.
-- Planned by dbgen from the schema after the migration back to the schema before it.
-- DATA LOSS: this script drops table "article_tags", and the data written to it since 20261125183324_initial.sql.
-- DATA LOSS: this script drops table "articles", and the data written to it since 20261125183324_initial.sql.
-- DATA LOSS: this script drops table "tags", and the data written to it since 20261125183324_initial.sql.

-- Drop view "published_articles"
DROP VIEW "published_articles";
-- Drop "article_tags" table
DROP TABLE "article_tags";
-- Drop "articles" table
DROP TABLE "articles";
-- Drop "tags" table
DROP TABLE "tags";
