// Package apptest exercises the example application's generated packages
// (gen/) end to end against real database files: the typed API, the
// Manager over the registry, and benchmarks of generated code against
// hand-written database/sql on the same driver.
package apptest
