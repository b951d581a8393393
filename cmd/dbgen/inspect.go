package main

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/dbgen-dev/dbgen/generator"
)

// inspectFormats are the values of inspect --format.
var inspectFormats = []string{"text", "json"}

func newInspectCmd(g *globalFlags) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "inspect",
		Short: "Show the databases, files, tables, columns and constraints dbgen discovers",
		Long: `inspect discovers and loads the schema files as generate does, and shows each
database: its files, its tables and views, their columns, and their UNIQUE and
CHECK constraints, foreign keys (with their ON DELETE and ON UPDATE actions)
and indexes (partial and expression indexes included).`,
		Example: `  dbgen inspect
  dbgen inspect --format json | jq '.[].tables[].name'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !slices.Contains(inspectFormats, format) {
				return fmt.Errorf("unknown --format %q; use text or json", format)
			}
			report, err := generator.InspectReport(cmd.Context(), g.options())
			if err != nil {
				return err
			}
			if format == "json" {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false) // a CHECK reads "price >= 0", not "price \u003e= 0"
				return enc.Encode(report)
			}
			generator.WriteInspectText(cmd.OutOrStdout(), report)
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.RegisterFlagCompletionFunc("format", completeFormats(inspectFormats...))
	return cmd
}
