// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

// Command user serves the user service.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"kitforge.test/golden/crud/pkg/userserver"
	"kitforge.test/golden/crud/pkg/userservice"
)

func main() {
	cfg := userserver.DefaultConfig()
	fs := flag.NewFlagSet("user", flag.ExitOnError)
	if err := cfg.Parse(fs, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	logger := userservice.NewLogger(os.Stderr, "service", "user")

	svc := userservice.New()
	// Run's options survive regeneration, e.g. userserver.WithHTTPMiddleware(cors)
	// or userserver.WithErrorStatus(statusOf): see the README, "Hooks".
	var opts []userserver.Option
	if err := userserver.Run(context.Background(), cfg, svc, logger, opts...); err != nil {
		_ = logger.Log("err", err)
		os.Exit(1)
	}
}
