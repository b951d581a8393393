//go:build !unix

package sqlcgen

import "time"

func childCPU() time.Duration { return 0 }
