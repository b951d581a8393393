package runtime

import (
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// The runtime writes its statements with SQLite's ? placeholders, and sqlc
// writes module queries the same way. On PostgreSQL each ? becomes $1, $2,
// ... in order (a ?NNN keeps its number), outside strings, quoted names and
// comments; texts are rebound once and kept, up to maxRebound of them: past
// that, the statements the runtime builds per request (a list's OFFSET, an
// IN of any length) are rebound each time instead of filling memory.

var (
	rebound      sync.Map // SQLite text -> PostgreSQL text
	reboundCount atomic.Int64
)

const maxRebound = 4096

// rebind returns query with PostgreSQL's numbered placeholders.
func rebind(query string) string {
	if !strings.ContainsRune(query, '?') {
		return query
	}
	if q, ok := rebound.Load(query); ok {
		return q.(string)
	}
	q := rebindText(query)
	if reboundCount.Load() < maxRebound {
		if _, loaded := rebound.LoadOrStore(query, q); !loaded {
			reboundCount.Add(1)
		}
	}
	return q
}

func rebindText(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			j := i + 1
			for j < len(query) {
				if query[j] == c {
					if j+1 < len(query) && query[j+1] == c {
						j += 2
						continue
					}
					break
				}
				j++
			}
			b.WriteString(query[i:min(j+1, len(query))])
			i = j
		case c == '-' && i+1 < len(query) && query[i+1] == '-':
			j := strings.IndexByte(query[i:], '\n')
			if j < 0 {
				j = len(query) - i
			}
			b.WriteString(query[i : i+j])
			i += j - 1
		case c == '/' && i+1 < len(query) && query[i+1] == '*':
			j := strings.Index(query[i+2:], "*/")
			end := len(query)
			if j >= 0 {
				end = i + 2 + j + 2
			}
			b.WriteString(query[i:end])
			i = end - 1
		case c == '?':
			j := i + 1
			for j < len(query) && query[j] >= '0' && query[j] <= '9' {
				j++
			}
			if j > i+1 {
				b.WriteByte('$')
				b.WriteString(query[i+1 : j]) // ?NNN keeps its number
				i = j - 1
				continue
			}
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
