package pgtest

import (
	"database/sql"
	"testing"
)

func TestMain(m *testing.M) { Main(m) }

func TestServer(t *testing.T) {
	s := Start(t)
	url := s.NewDatabase(t)
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v string
	if err := db.QueryRow("SELECT version()").Scan(&v); err != nil {
		t.Fatal(err)
	}
	t.Log(v)
	if _, err := db.Exec("CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, x text)"); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := db.QueryRow("INSERT INTO t (x) VALUES ($1) RETURNING id", "a").Scan(&id); err != nil || id != 1 {
		t.Fatalf("insert: %d %v", id, err)
	}
}
