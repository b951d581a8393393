package runtime

import "strings"

// The SQL of the statements that write one table, shared by the typed table
// API and generic CRUD. Names come from the Table, always quoted; values are
// always bound.

// insertSQL is INSERT INTO t (cols) VALUES (?, ?), ... for rows rows, or
// DEFAULT VALUES when there are no columns, with RETURNING when asked.
func insertSQL(t *Table, columns []string, rows int, returning []string) string {
	var s sqlText
	writeInsert(&s, t, columns, rows)
	writeReturning(&s, returning)
	return s.String()
}

// insertCellsSQL is insertSQL with the text of each column's cell in a
// row given: "?" or an expression with placeholders.
func insertCellsSQL(t *Table, columns, cells []string, rows int, returning []string) string {
	var s sqlText
	writeInsertCells(&s, t, columns, cells, rows)
	writeReturning(&s, returning)
	return s.String()
}

func writeInsert(s *sqlText, t *Table, columns []string, rows int) {
	writeInsertCells(s, t, columns, nil, rows)
}

// writeInsertCells writes INSERT INTO t (columns) VALUES with rows tuples of
// cells ("?" each when cells is nil), or DEFAULT VALUES for no columns.
func writeInsertCells(s *sqlText, t *Table, columns, cells []string, rows int) {
	s.WriteString("INSERT INTO ")
	s.ident(t.Name)
	if len(columns) == 0 {
		s.WriteString(" DEFAULT VALUES")
		return
	}
	s.WriteString(" (")
	s.identList(columns)
	s.WriteString(") VALUES ")
	tuple := "(" + strings.Repeat("?, ", len(columns)-1) + "?)"
	if cells != nil {
		tuple = "(" + strings.Join(cells, ", ") + ")"
	}
	s.Grow(rows * (len(tuple) + 2))
	for i := range rows {
		if i > 0 {
			s.WriteString(", ")
		}
		s.WriteString(tuple)
	}
}

func writeReturning(s *sqlText, returning []string) {
	if len(returning) > 0 {
		s.WriteString(" RETURNING ")
		s.identList(returning)
	}
}

// upsertSQL is the insert of one row that, when it conflicts with an
// existing row on the target columns (the primary key or a UNIQUE set),
// updates that row's set columns instead and returns it as stored. With no
// column to set, the update assigns the first target column to itself, so
// that RETURNING still has the row.
func upsertSQL(t *Table, columns, target, set, returning []string) string {
	return upsertCellsSQL(t, columns, nil, target, set, returning)
}

// upsertCellsSQL is upsertSQL with the text of each column's cell given
// (nil: "?" each), as insertCellsSQL takes them.
func upsertCellsSQL(t *Table, columns, cells, target, set, returning []string) string {
	var s sqlText
	writeInsertCells(&s, t, columns, cells, 1)
	if len(columns) > 0 {
		s.WriteString(" ON CONFLICT (")
		s.identList(target)
		s.WriteString(") DO UPDATE SET ")
		if len(set) == 0 {
			set = target[:1]
		}
		for i, c := range set {
			if i > 0 {
				s.WriteString(", ")
			}
			s.ident(c)
			s.WriteString(" = excluded.")
			s.ident(c)
		}
	}
	writeReturning(&s, returning)
	return s.String()
}

// writeSet writes SET a = ?, b = ? with placeholders only.
func writeSet(s *sqlText, columns []string) { writeSetCells(s, columns, nil) }

// writeSetCells is writeSet with the text of each column's value given
// (nil: "?" each).
func writeSetCells(s *sqlText, columns, cells []string) {
	s.WriteString(" SET ")
	for i, c := range columns {
		if i > 0 {
			s.WriteString(", ")
		}
		s.ident(c)
		s.WriteString(" = ")
		if cells != nil {
			s.WriteString(cells[i])
		} else {
			s.WriteString("?")
		}
	}
}

// writeKeyWhere writes WHERE k1 = ? AND k2 = ? with placeholders only.
func writeKeyWhere(s *sqlText, key []string) {
	s.WriteString(" WHERE ")
	for i, c := range key {
		if i > 0 {
			s.WriteString(" AND ")
		}
		s.ident(c)
		s.WriteString(" = ?")
	}
}

// selectByKeySQL is SELECT <columns> FROM t WHERE <key> = ?.
func selectByKeySQL(t *Table, columns, key []string) string {
	var s sqlText
	s.WriteString("SELECT ")
	s.identList(columns)
	s.WriteString(" FROM ")
	s.ident(t.Name)
	writeKeyWhere(&s, key)
	return s.String()
}

// updateByKeySQL is UPDATE t SET <columns> WHERE <key> RETURNING ....
func updateByKeySQL(t *Table, columns, key, returning []string) string {
	return updateByKeyCellsSQL(t, columns, nil, key, returning)
}

// updateByKeyCellsSQL is updateByKeySQL with the text of each column's
// value given (nil: "?" each).
func updateByKeyCellsSQL(t *Table, columns, cells, key, returning []string) string {
	var s sqlText
	s.WriteString("UPDATE ")
	s.ident(t.Name)
	writeSetCells(&s, columns, cells)
	writeKeyWhere(&s, key)
	writeReturning(&s, returning)
	return s.String()
}

// deleteByKeySQL is DELETE FROM t WHERE <key>.
func deleteByKeySQL(t *Table, key []string) string {
	var s sqlText
	s.WriteString("DELETE FROM ")
	s.ident(t.Name)
	writeKeyWhere(&s, key)
	return s.String()
}
