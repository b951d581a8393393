package migrate

import (
	"fmt"
	"strings"

	"ariga.io/atlas/sql/schema"
)

// describe says what a change does, for messages.
func describe(ch schema.Change) string {
	switch ch := ch.(type) {
	case *schema.AddTable:
		return fmt.Sprintf("create table %q", ch.T.Name)
	case *schema.DropTable:
		return fmt.Sprintf("drop table %q", ch.T.Name)
	case *schema.RenameTable:
		return fmt.Sprintf("rename table %q to %q", ch.From.Name, ch.To.Name)
	case *schema.ModifyTable:
		parts := make([]string, 0, len(ch.Changes))
		for _, mc := range ch.Changes {
			parts = append(parts, describeTableChange(mc))
		}
		return fmt.Sprintf("%s on table %q", strings.Join(parts, ", "), ch.T.Name)
	}
	return fmt.Sprintf("%T", ch)
}

func describeTableChange(ch schema.Change) string {
	switch ch := ch.(type) {
	case *schema.AddColumn:
		return fmt.Sprintf("add column %q", ch.C.Name)
	case *schema.DropColumn:
		return fmt.Sprintf("drop column %q", ch.C.Name)
	case *schema.ModifyColumn:
		return fmt.Sprintf("modify column %q", ch.To.Name)
	case *schema.AddIndex:
		return "add " + indexName(ch.I)
	case *schema.DropIndex:
		return "drop " + indexName(ch.I)
	case *schema.ModifyIndex:
		return "modify " + indexName(ch.To)
	case *schema.AddForeignKey:
		return fmt.Sprintf("add foreign key on %s", columnNames(ch.F.Columns))
	case *schema.DropForeignKey:
		return fmt.Sprintf("drop foreign key on %s", columnNames(ch.F.Columns))
	case *schema.ModifyForeignKey:
		return fmt.Sprintf("modify foreign key on %s", columnNames(ch.To.Columns))
	case *schema.AddCheck:
		return "add check constraint"
	case *schema.DropCheck:
		return "drop check constraint"
	case *schema.ModifyCheck:
		return "modify check constraint"
	case *schema.AddAttr, *schema.DropAttr:
		return "change table options (STRICT, WITHOUT ROWID)"
	case *schema.RenameIndex:
		return fmt.Sprintf("rename index %q to %q", ch.From.Name, ch.To.Name)
	case *schema.RenameColumn:
		return fmt.Sprintf("rename column %q to %q", ch.From.Name, ch.To.Name)
	case *pgRenameConstraint:
		return fmt.Sprintf("rename constraint %q to %q", ch.from, ch.to)
	case *rebuild:
		return ch.reason
	}
	return strings.TrimPrefix(fmt.Sprintf("%T", ch), "*schema.")
}

// indexName names an index for messages; the index of a UNIQUE constraint
// by its columns, as its name is dbgen's.
func indexName(idx *schema.Index) string {
	if origin(idx) != "u" {
		return fmt.Sprintf("index %q", idx.Name)
	}
	cols := make([]*schema.Column, 0, len(idx.Parts))
	for _, p := range idx.Parts {
		if p.C != nil {
			cols = append(cols, p.C)
		}
	}
	return "UNIQUE constraint on " + columnNames(cols)
}

func columnNames(cs []*schema.Column) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = fmt.Sprintf("%q", c.Name)
	}
	return strings.Join(names, ", ")
}
