package runtime

import (
	"database/sql"
	"sync/atomic"
)

// Stats is a snapshot of a DB's counters, for metrics and the admin API.
type Stats struct {
	WriteTxs   int64 // write transactions committed
	ReadTxs    int64 // reads completed: ReadTx calls and list pages
	Retries    int64 // attempts run again after a lock error
	LockErrors int64 // lock errors seen, retried or not
	GaveUp     int64 // transactions that still failed on a lock after every retry
	Writer     sql.DBStats
	Reader     sql.DBStats
}

// counters are updated lock-free on every transaction.
type counters struct {
	writeTxs, readTxs, retries, lockErrors, gaveUp atomic.Int64
}

// Stats returns the counters and both pools' database/sql statistics.
func (db *DB) Stats() Stats {
	return Stats{
		WriteTxs:   db.counters.writeTxs.Load(),
		ReadTxs:    db.counters.readTxs.Load(),
		Retries:    db.counters.retries.Load(),
		LockErrors: db.counters.lockErrors.Load(),
		GaveUp:     db.counters.gaveUp.Load(),
		Writer:     db.writer.Stats(),
		Reader:     db.reader.Stats(),
	}
}
