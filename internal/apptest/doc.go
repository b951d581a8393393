// Package apptest exercises the example application's generated packages
// (gen/) end to end against real databases: the typed API, the Manager
// over the registry, the round trip of every type family through every
// write and read path (typed methods, module queries, generic CRUD, the
// admin API), and benchmarks of generated code against hand-written
// database/sql on the same driver. The tests run on both engines from the
// same packages (subtests sqlite and postgres, see engine_test.go): SQLite
// files in a temporary folder, and a fresh database on the throwaway
// PostgreSQL server of internal/pgtest.
package apptest
