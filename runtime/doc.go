// Package runtime opens the SQLite databases that dbgen's generated packages
// describe and keeps them healthy: tuned pragmas, one writer and a read pool,
// retries on lock contention, migrations at Open, a Manager over every
// database of an application, generic CRUD by table name and an admin API.
//
// It never imports the generator: an application links only this package,
// the SQLite driver and its generated packages.
package runtime
