package migrate

import "fmt"

// downHeader returns the header of the down script of the migration file
// up. The down script is planned on its own, from the schema after up back
// to the schema before it, so it undoes table rebuilds that Atlas's
// statement-by-statement reverse cannot. What it cannot undo is data: the
// header says which data the migration destroyed (upChange.lost) and which
// the down script destroys (downChange.lost).
func downHeader(database, up string, upChange, downChange *change) []string {
	h := []string{
		fmt.Sprintf("Down script of %s (database %q): restores the schema from before it.", up, database),
		"Planned by dbgen from the schema after the migration back to the schema before it.",
	}
	for _, l := range upChange.lost {
		h = append(h, fmt.Sprintf("IRREVERSIBLE: %s dropped %s; this script re-creates it without its data.", up, l))
	}
	for _, l := range downChange.lost {
		h = append(h, fmt.Sprintf("DATA LOSS: this script drops %s, and the data written to it since %s.", l, up))
	}
	return h
}
