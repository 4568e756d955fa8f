// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

// Command library serves the library services.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/go-kit/log"
	"kitforge.test/golden/proto_library/pkg/libraryserver"
	"kitforge.test/golden/proto_library/pkg/libraryservice"
)

func main() {
	cfg := libraryserver.DefaultConfig()
	fs := flag.NewFlagSet("library", flag.ExitOnError)
	if err := cfg.Parse(fs, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	logger := log.NewLogfmtLogger(log.NewSyncWriter(os.Stderr))
	logger = log.With(logger, "ts", log.DefaultTimestampUTC, "service", "library")

	services := libraryserver.Services{
		LibraryService: libraryservice.New(),
	}
	// Run's options survive regeneration, e.g. libraryserver.WithHTTPMiddleware(cors)
	// or libraryserver.WithErrorStatus(statusOf): see the README, "Hooks".
	var opts []libraryserver.Option
	if err := libraryserver.Run(context.Background(), cfg, services, logger, opts...); err != nil {
		_ = logger.Log("err", err)
		os.Exit(1)
	}
}
