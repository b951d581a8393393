package runtime

import (
	"context"
	"database/sql"
	"os"
	"testing"
)

// shopDDL is the schema most tests use: it has every shape the runtime must
// handle (rowid alias key, composite key WITHOUT ROWID, no declared key,
// a generated column, UNIQUE, CHECK, NOT NULL, foreign keys, a view).
const shopDDL = `
CREATE TABLE users (
	id         INTEGER PRIMARY KEY,
	email      TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL,
	age        INTEGER CHECK (age >= 0),
	status     TEXT,
	score      REAL,
	avatar     BLOB,
	name_upper TEXT GENERATED ALWAYS AS (upper(name)) VIRTUAL
);
CREATE INDEX users_status ON users(status);
CREATE TABLE posts (
	id      INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id),
	title   TEXT NOT NULL
);
CREATE TABLE tags (
	post_id INTEGER NOT NULL REFERENCES posts(id),
	tag     TEXT NOT NULL,
	PRIMARY KEY (post_id, tag)
) WITHOUT ROWID;
CREATE TABLE notes (body TEXT);
CREATE VIEW active_users AS SELECT id, email, name FROM users WHERE status = 'active';
`

func shopDef() *Definition {
	return &Definition{
		Name:     "shop",
		DDL:      shopDDL,
		Postgres: &PostgresSchema{Schema: "shop", DDL: shopPostgresDDL},
		Tables: []Table{
			{
				Name: "users",
				Columns: []Column{
					{Name: "id", SQLType: "INTEGER", GoType: "int64", PrimaryKey: true, RowID: true},
					{Name: "email", SQLType: "TEXT", GoType: "string"},
					{Name: "name", SQLType: "TEXT", GoType: "string"},
					{Name: "age", SQLType: "INTEGER", GoType: "sql.NullInt64", Nullable: true},
					{Name: "status", SQLType: "TEXT", GoType: "sql.NullString", Nullable: true},
					{Name: "score", SQLType: "REAL", GoType: "sql.NullFloat64", Nullable: true},
					{Name: "avatar", SQLType: "BLOB", GoType: "[]byte", Nullable: true},
					{Name: "name_upper", SQLType: "TEXT", GoType: "sql.NullString", Nullable: true, Generated: true},
				},
				PrimaryKey: []string{"id"},
				Unique:     [][]string{{"email"}},
				Indexes:    []Index{{Name: "users_status", Columns: []string{"status"}}},
			},
			{
				Name: "posts",
				Columns: []Column{
					{Name: "id", SQLType: "INTEGER", GoType: "int64", PrimaryKey: true, RowID: true},
					{Name: "user_id", SQLType: "INTEGER", GoType: "int64"},
					{Name: "title", SQLType: "TEXT", GoType: "string"},
				},
				PrimaryKey:  []string{"id"},
				ForeignKeys: []ForeignKey{{Columns: []string{"user_id"}, RefTable: "users", RefColumns: []string{"id"}}},
			},
			{
				Name:         "tags",
				WithoutRowID: true,
				Columns: []Column{
					{Name: "post_id", SQLType: "INTEGER", GoType: "int64", PrimaryKey: true},
					{Name: "tag", SQLType: "TEXT", GoType: "string", PrimaryKey: true},
				},
				PrimaryKey:  []string{"post_id", "tag"},
				ForeignKeys: []ForeignKey{{Columns: []string{"post_id"}, RefTable: "posts", RefColumns: []string{"id"}}},
			},
			{
				Name:       "notes",
				Columns:    []Column{{Name: "body", SQLType: "TEXT", GoType: "sql.NullString", Nullable: true}},
				PrimaryKey: []string{"rowid"},
			},
			{
				Name: "active_users",
				View: true,
				Columns: []Column{
					{Name: "id", SQLType: "INTEGER", GoType: "int64"},
					{Name: "email", SQLType: "TEXT", GoType: "string"},
					{Name: "name", SQLType: "TEXT", GoType: "string"},
				},
			},
		},
	}
}

// user is what sqlc would generate for the users table.
type user struct {
	ID        int64
	Email     string
	Name      string
	Age       sql.NullInt64
	Status    sql.NullString
	Score     sql.NullFloat64
	Avatar    []byte
	NameUpper sql.NullString
}

func scanUser(s Scanner) (user, error) {
	var u user
	err := s.Scan(&u.ID, &u.Email, &u.Name, &u.Age, &u.Status, &u.Score, &u.Avatar, &u.NameUpper)
	return u, err
}

// openShop opens a fresh shop database in a temporary folder.
func openShop(t testing.TB, opts ...Option) *DB {
	t.Helper()
	return openAt(t, t.TempDir(), shopDef(), opts...)
}

// openShopOn opens a fresh shop database on e.
func openShopOn(t testing.TB, e engine, opts ...Option) *DB {
	t.Helper()
	return e.open(t, shopDef(), opts...)
}

// openAt opens def at dir (a folder or a PostgreSQL URL), closed when t ends.
func openAt(t testing.TB, dir string, def *Definition, opts ...Option) *DB {
	t.Helper()
	db, err := Open(context.Background(), dir, def, opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return db
}

// cleanEnv unsets every variable Open reads, so the host cannot leak in.
func cleanEnv(t *testing.T) {
	t.Helper()
	for _, name := range []string{EnvDatabaseURL, EnvMaxRetries, EnvConnectionTimeout, EnvJournalMode, EnvSynchronous, EnvCacheSize} {
		t.Setenv(name, "") // registers the restore
		if err := os.Unsetenv(name); err != nil {
			t.Fatal(err)
		}
	}
}
