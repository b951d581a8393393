// Package apptest exercises the example application's generated packages
// (gen/) end to end against real database files: the typed API, the
// Manager over the registry, the round trip of every type family through
// every write and read path (typed methods, module queries, generic CRUD,
// the admin API), and benchmarks of generated code against hand-written
// database/sql on the same driver.
package apptest
