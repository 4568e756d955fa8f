// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

// Command catalog serves the catalog services.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/go-kit/log"
	"kitforge.test/golden/system/pkg/catalogserver"
	"kitforge.test/golden/system/pkg/catalogservice"
)

func main() {
	cfg := catalogserver.DefaultConfig()
	fs := flag.NewFlagSet("catalog", flag.ExitOnError)
	if err := cfg.Parse(fs, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	logger := log.NewLogfmtLogger(log.NewSyncWriter(os.Stderr))
	logger = log.With(logger, "ts", log.DefaultTimestampUTC, "service", "catalog")

	services := catalogserver.Services{
		Catalog: catalogservice.New(),
	}
	// Run's options survive regeneration, e.g. catalogserver.WithHTTPMiddleware(cors)
	// or catalogserver.WithErrorStatus(statusOf): see the README, "Hooks".
	var opts []catalogserver.Option
	if err := catalogserver.Run(context.Background(), cfg, services, logger, opts...); err != nil {
		_ = logger.Log("err", err)
		os.Exit(1)
	}
}
