package main

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/dbgen-dev/dbgen/generator"
)

// devURLEnv gives the dev database when --dev-url is not set, as CI sets it
// once for every job.
const devURLEnv = "DBGEN_DEV_URL"

// devURLFlag is --dev-url of generate and check: a PostgreSQL server to
// check the postgres target on.
type devURLFlag struct{ url string }

func (d *devURLFlag) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&d.url, "dev-url", "", "postgres:// URL of a server to check the postgres target on: the derived schemas are created and the module queries prepared in scratch schemas, dropped afterwards (default $"+devURLEnv+")")
}

// apply puts the dev database into opts: the flag, else the environment.
func (d *devURLFlag) apply(opts *generator.Options) {
	switch {
	case d.url != "":
		opts.DevURL, opts.DevURLSource = d.url, "--dev-url"
	case os.Getenv(devURLEnv) != "":
		opts.DevURL, opts.DevURLSource = os.Getenv(devURLEnv), devURLEnv
	}
}
