package runtime

import (
	"database/sql"
	"strconv"
)

// InsertMany on PostgreSQL. Every statement is a round trip to the server,
// so chunks are longer than SQLite's, and simpler: RETURNING gives the keys
// in the order of the VALUES, and a column that a row leaves unset is
// DEFAULT in that row's tuple, so rows that set different Opt fields still
// share statements. A statement is prepared once per text in the call.

// maxPostgresParams is the most parameters one statement may bind: the
// protocol counts them in 16 bits.
const maxPostgresParams = 65535

// pgBulkRows caps the rows of one INSERT on PostgreSQL.
const pgBulkRows = 1000

// pgBulk is the part of a bulk insert that is PostgreSQL's own.
type pgBulk struct {
	stmts map[string]*sql.Stmt // by text
	setID bool                 // a row wrote the identity column
}

// runPostgres inserts every row on tx; on a retry it starts over.
func (b *bulkInsert[K]) runPostgres(tx *Tx) error {
	b.out = b.out[:0]
	b.pg = pgBulk{stmts: map[string]*sql.Stmt{}}
	defer func() {
		for _, st := range b.pg.stmts {
			st.Close()
		}
	}()
	id := -1
	for i := range b.t.Columns {
		if b.t.Columns[i].RowID {
			id = i
		}
	}
	limit := max(1, min(pgBulkRows, maxPostgresParams/max(len(b.t.Columns), 1)))
	c := &chunk{args: make([]any, 0, min(b.n, limit)*max(len(b.t.Columns), 1))}
	var row Values
	for i := 0; i < b.n; i++ {
		start := len(c.args)
		row = Values{args: c.args}
		b.values(i, &row)
		c.args = row.args
		if err := b.bind(&row, c.args[start:], i); err != nil {
			return err
		}
		wide := !row.cacheable()
		if id >= 0 && row.writes(id) {
			b.pg.setID = true
		}
		if len(c.rows) > 0 && (len(c.rows) == limit || wide != c.wide || wide && !row.sameColumns(&c.rows[0])) {
			own := append([]any(nil), c.args[start:]...)
			c.args = c.args[:start]
			if err := b.flushPostgres(tx, c); err != nil {
				return err
			}
			c.reset()
			start = 0
			c.args = append(c.args, own...)
		}
		if len(c.rows) == 0 {
			c.wide = wide
		}
		c.rows = append(c.rows, Values{mask: row.mask, cols: row.cols})
		c.starts = append(c.starts, start)
		c.union |= row.mask
	}
	if err := b.flushPostgres(tx, c); err != nil {
		return err
	}
	if b.pg.setID {
		return bumpIdentity(b.ctx, tx.c, b.t, b.t.Columns[id].Name)
	}
	return nil
}

// flushPostgres inserts the rows of c with one statement: the columns any
// of them sets, each row's tuple with DEFAULT where it sets none.
func (b *bulkInsert[K]) flushPostgres(tx *Tx, c *chunk) error {
	if len(c.rows) == 0 {
		return nil
	}
	var cols []int
	if c.wide {
		cols = c.rows[0].columns()
	} else {
		cols = (&Values{mask: c.union}).columns()
	}
	var s sqlText
	s.Grow(64 + len(c.rows)*(4+len(cols)*6))
	s.WriteString("INSERT INTO ")
	s.ident(b.t.Name)
	s.WriteString(" (")
	if len(cols) == 0 {
		// No row sets a column: every row is DEFAULT VALUES, which one
		// column written DEFAULT says in a multi-row VALUES.
		s.ident(b.t.Columns[0].Name)
	}
	for i, col := range cols {
		if i > 0 {
			s.WriteString(", ")
		}
		s.ident(b.t.Columns[col].Name)
	}
	s.WriteString(") VALUES ")
	n := 0
	for r := range c.rows {
		if r > 0 {
			s.WriteString(", ")
		}
		s.WriteByte('(')
		if len(cols) == 0 {
			s.WriteString("DEFAULT")
		}
		for i, col := range cols {
			if i > 0 {
				s.WriteString(", ")
			}
			if c.wide || c.rows[r].writes(col) {
				n++
				s.WriteByte('$')
				s.WriteString(strconv.Itoa(n))
			} else {
				s.WriteString("DEFAULT")
			}
		}
		s.WriteByte(')')
	}
	writeReturning(&s, b.returning)
	text := s.String()
	stmt := b.pg.stmts[text]
	if stmt == nil {
		var err error
		// The text has PostgreSQL's placeholders already: prepared on the
		// transaction itself, not through its pgConn.
		if stmt, err = tx.Tx.PrepareContext(b.ctx, text); err != nil {
			return err
		}
		b.pg.stmts[text] = stmt
	}
	if b.key == nil {
		_, err := stmt.ExecContext(b.ctx, c.args...)
		return err
	}
	return queryInto(b.ctx, stmt, c.args, false, b.key, &b.out)
}
