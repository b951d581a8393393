package discover

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/dbgen-dev/dbgen/generator/config"
)

// TestLookalikeDirective: a leading comment line that looks like the
// DATABASE_NAME directive but is not one is an error at its line with the
// directive it means; prose comments and the directive itself are not.
func TestLookalikeDirective(t *testing.T) {
	flagged := []struct{ line, fix string }{
		{"-- DATABASE: shop", "-- DATABASE_NAME: shop"},
		{"-- DATABASE_NAME shop", "-- DATABASE_NAME: shop"},
		{"-- database_name: shop", "-- DATABASE_NAME: shop"},
		{"--DATABASE-NAME: shop", "-- DATABASE_NAME: shop"},
		{"-- DATABSE_NAME: shop", "-- DATABASE_NAME: shop"},
		{"-- DATABASE_NAME : shop", "-- DATABASE_NAME: shop"},
		{"-- DATABASE_NAME=shop", "-- DATABASE_NAME: shop"},
		{"-- DATABASE NAME: shop", "-- DATABASE_NAME: shop"},
		{"-- Database Name: shop", "-- DATABASE_NAME: shop"},
		{"-- DATABASE_NAMES: shop", "-- DATABASE_NAME: shop"},
		{"-- DB_NAME: shop", "-- DATABASE_NAME: shop"},
		{"-- DBNAME shop", "-- DATABASE_NAME: shop"},
		{"-- DATABASE shop", "-- DATABASE_NAME: shop"},
		{"--   DATABASE:shop", "-- DATABASE_NAME: shop"},
		{"-- database: Shop", "-- DATABASE_NAME: shop"},
		{"-- DATABASE_NAME shop-db", "-- DATABASE_NAME: shop_db"},
		{"-- database_name: my shop", "-- DATABASE_NAME: my"},
		{"-- DATABASE: 店", "-- DATABASE_NAME: <name>"},
	}
	for _, tt := range flagged {
		fix, ok := lookalike(body(tt.line))
		if !ok || fix != tt.fix {
			t.Errorf("%q: lookalike = %q, %v; want %q", tt.line, fix, ok, tt.fix)
		}
	}
	prose := []string{
		"-- DATABASE_NAME: shop", // the directive
		"--DATABASE_NAME:shop",
		"-- Database of the shop module",
		"-- database shop",
		"-- DATABASE: the shop's tables",
		"-- Databases: one file per module, see README",
		"-- name: ListUsers :many", // a queries file's annotation
		"-- DATABASE_TYPE: sqlite",
		"-- TABLE_NAME: users",
		"-- DB: sqlite",
		"-- Data: base64 blobs",
		"-- DATABASE_NAME",
		"-- Datenbank: Laden",
		"-- Base de données : boutique",
		"-- データベース: shop",
		"--",
		"-- -",
		"-- ::",
	}
	for _, line := range prose {
		if fix, ok := lookalike(body(line)); ok {
			t.Errorf("%q: flagged as a directive (fix %q); it is prose", line, fix)
		}
	}
}

func body(line string) string { return strings.TrimSpace(strings.TrimLeft(line, "-")) }

// TestLookalikeInFiles: where the check runs: the leading comment block
// only, with BOMs, CRLF line endings and block comments, in schema and
// queries files alike.
func TestLookalikeInFiles(t *testing.T) {
	tests := []struct {
		name, content, want string
	}{
		{"CRLF and a BOM", "\uFEFF-- Shop module\r\n-- DATABASE: shop\r\nCREATE TABLE t (x);\r\n",
			"schema.sql:2: `-- DATABASE: shop` looks like a DATABASE_NAME directive but is not one: dbgen would ignore it, and the file would not feed the database it names (the directive is `-- DATABASE_NAME: <name>`, in capitals, with a colon); did you mean `-- DATABASE_NAME: shop`?"},
		{"after a block comment", "/* the shop\n   module */\n-- DATABASE_NAME shop\nCREATE TABLE t (x);\n", "schema.sql:3: `-- DATABASE_NAME shop` looks like"},
		{"inside a block comment", "/*\n-- DATABASE: shop\n*/\nCREATE TABLE t (x);\n", ""},
		{"after the first statement", "CREATE TABLE t (x);\n-- DATABASE: shop\n", ""},
		{"prose and the directive", "-- Database of the shop module.\n-- DATABASE_NAME: shop\nCREATE TABLE t (x);\n", ""},
		{"unicode prose", "-- Base de données de la boutique — 店\n-- DATABASE_NAME: shop\nCREATE TABLE t (x);\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := module(t)
			writeFile(t, filepath.Join(dir, "schema.sql"), tt.content)
			_, err := Run(dir, config.Default())
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("error %v, want none", err)
			case tt.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.want)):
				t.Fatalf("error %v, want one starting %q", err, tt.want)
			}
		})
	}
	// A queries file's leading block is checked the same way, and its
	// annotations are not directives.
	dir := module(t)
	writeFile(t, filepath.Join(dir, "schema.sql"), "-- DATABASE_NAME: shop\nCREATE TABLE t (x);\n")
	writeFile(t, filepath.Join(dir, "queries.sql"), "-- name: ListT :many\nSELECT * FROM t;\n")
	if _, err := Run(dir, config.Default()); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "queries.sql"), "-- database: shop\n-- name: ListT :many\nSELECT * FROM t;\n")
	if _, err := Run(dir, config.Default()); err == nil || !strings.HasPrefix(err.Error(), "queries.sql:1: `-- database: shop` looks like") {
		t.Fatalf("error %v, want one at queries.sql:1", err)
	}
}
