// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

// Command notes serves the notes services.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/go-kit/log"
	"kitforge.test/golden/proto_crud/pkg/notesserver"
	"kitforge.test/golden/proto_crud/pkg/notesservice"
)

func main() {
	cfg := notesserver.DefaultConfig()
	fs := flag.NewFlagSet("notes", flag.ExitOnError)
	if err := cfg.Parse(fs, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	logger := log.NewLogfmtLogger(log.NewSyncWriter(os.Stderr))
	logger = log.With(logger, "ts", log.DefaultTimestampUTC, "service", "notes")

	services := notesserver.Services{
		Notes: notesservice.New(),
	}
	// Run's options survive regeneration, e.g. notesserver.WithHTTPMiddleware(cors)
	// or notesserver.WithErrorStatus(statusOf): see the README, "Hooks".
	var opts []notesserver.Option
	if err := notesserver.Run(context.Background(), cfg, services, logger, opts...); err != nil {
		_ = logger.Log("err", err)
		os.Exit(1)
	}
}
