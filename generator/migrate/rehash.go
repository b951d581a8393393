package migrate

import (
	atlas "ariga.io/atlas/sql/migrate"
)

// Rehash rewrites the atlas.sum of dir from the files in it, for a migration
// edited on purpose before it was shipped (atlas migrate hash).
func Rehash(dir string) error {
	d, err := atlas.NewLocalDir(dir)
	if err != nil {
		return err
	}
	sum, err := d.Checksum()
	if err != nil {
		return err
	}
	return atlas.WriteSumFile(d, sum)
}
