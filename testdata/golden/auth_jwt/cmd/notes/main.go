// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

// Command notes serves the notes service.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"kitforge.test/golden/auth_jwt/pkg/notesserver"
	"kitforge.test/golden/auth_jwt/pkg/notesservice"
)

func main() {
	cfg := notesserver.DefaultConfig()
	fs := flag.NewFlagSet("notes", flag.ExitOnError)
	if err := cfg.Parse(fs, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	logger := notesservice.NewLogger(os.Stderr, "service", "notes")

	svc := notesservice.New()
	// Run's options survive regeneration, e.g. notesserver.WithHTTPMiddleware(cors)
	// or notesserver.WithErrorStatus(statusOf): see the README, "Hooks".
	var opts []notesserver.Option
	if err := notesserver.Run(context.Background(), cfg, svc, logger, opts...); err != nil {
		_ = logger.Log("err", err)
		os.Exit(1)
	}
}
