// Package restore ends the silence that package quietinit puts on stderr
// while the program initializes. Import it for its side effect, from the
// package that links sqlc in:
//
//	import _ "github.com/dbgen-dev/dbgen/internal/quietinit/restore"
//
// It imports github.com/ncruces/go-sqlite3/embed itself, so its init is
// ordered after embed's println and as close to it as the initialization
// order allows. See package quietinit for the whole story.
package restore

import (
	"github.com/dbgen-dev/dbgen/internal/quietinit"
	_ "github.com/ncruces/go-sqlite3/embed" // ordering only: init after its println
)

func init() {
	quietinit.Restore()
}
