package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dbgen-dev/dbgen/generator"
	"github.com/dbgen-dev/dbgen/generator/load"
)

// The JSON shape of `dbgen inspect --format json`.
type inspectDB struct {
	Name        string         `json:"name"`
	SchemaFiles []string       `json:"schema_files"`
	QueryFiles  []string       `json:"query_files"`
	Tables      []inspectTable `json:"tables"`
}

type inspectTable struct {
	Name       string          `json:"name"`
	Kind       string          `json:"kind"` // table, view or virtual table
	PrimaryKey []string        `json:"primary_key,omitempty"`
	Columns    []inspectColumn `json:"columns"`
}

type inspectColumn struct {
	Name       string `json:"name"`
	Type       string `json:"type"`
	Nullable   bool   `json:"nullable"`
	Default    string `json:"default,omitempty"`
	PrimaryKey bool   `json:"primary_key,omitempty"`
	Generated  bool   `json:"generated,omitempty"`
}

func newInspectCmd(g *globalFlags) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "inspect",
		Short: "Show the databases, files, tables and columns dbgen discovers",
		Example: `  dbgen inspect
  dbgen inspect --format json | jq '.[].tables[].name'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "text" && format != "json" {
				return fmt.Errorf("unknown --format %q; use text or json", format)
			}
			dbs, err := generator.Inspect(cmd.Context(), g.options())
			if err != nil {
				return err
			}
			report := inspectReport(dbs)
			if format == "json" {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(report)
			}
			printInspect(cmd.OutOrStdout(), report)
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func inspectReport(dbs []*load.Database) []inspectDB {
	out := []inspectDB{}
	for _, db := range dbs {
		r := inspectDB{Name: db.Name, SchemaFiles: []string{}, QueryFiles: []string{}, Tables: []inspectTable{}}
		seen := map[string]bool{}
		for _, s := range db.Statements {
			if !seen[s.File.Path] {
				seen[s.File.Path] = true
				r.SchemaFiles = append(r.SchemaFiles, s.File.Path)
			}
		}
		for _, f := range db.Queries {
			r.QueryFiles = append(r.QueryFiles, f.Path)
		}
		for _, t := range db.Tables {
			it := inspectTable{Name: t.Name, Kind: "table", Columns: []inspectColumn{}}
			switch {
			case t.View:
				it.Kind = "view"
			case t.Virtual:
				it.Kind = "virtual table"
			default:
				it.PrimaryKey = t.PrimaryKey
			}
			for _, c := range t.Columns {
				it.Columns = append(it.Columns, inspectColumn{
					Name: c.Name, Type: c.SQLType, Nullable: c.Nullable, Default: c.Default,
					PrimaryKey: c.PrimaryKey, Generated: c.Generated,
				})
			}
			r.Tables = append(r.Tables, it)
		}
		out = append(out, r)
	}
	return out
}

func printInspect(w io.Writer, dbs []inspectDB) {
	for i, db := range dbs {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "database %s\n", db.Name)
		fmt.Fprintf(w, "  schema files: %s\n", strings.Join(db.SchemaFiles, ", "))
		if len(db.QueryFiles) > 0 {
			fmt.Fprintf(w, "  query files:  %s\n", strings.Join(db.QueryFiles, ", "))
		}
		for _, t := range db.Tables {
			fmt.Fprintf(w, "  %s %s\n", t.Kind, t.Name)
			for _, c := range t.Columns {
				var notes []string
				if c.PrimaryKey {
					notes = append(notes, "primary key")
				}
				if !c.Nullable {
					notes = append(notes, "not null")
				}
				if c.Default != "" {
					notes = append(notes, "default "+c.Default)
				}
				if c.Generated {
					notes = append(notes, "generated")
				}
				typ := c.Type
				if typ == "" {
					typ = "(no type)"
				}
				line := fmt.Sprintf("    %-24s %s", c.Name, typ)
				if len(notes) > 0 {
					line += "  " + strings.Join(notes, ", ")
				}
				fmt.Fprintln(w, line)
			}
		}
	}
}
