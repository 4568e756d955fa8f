// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

// Command store serves the store service.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"kitforge.test/golden/middleware/pkg/storeserver"
	"kitforge.test/golden/middleware/pkg/storeservice"
)

func main() {
	cfg := storeserver.DefaultConfig()
	fs := flag.NewFlagSet("store", flag.ExitOnError)
	if err := cfg.Parse(fs, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	logger := storeservice.NewLogger(os.Stderr, "service", "store")

	svc := storeservice.New()
	// Run's options survive regeneration, e.g. storeserver.WithHTTPMiddleware(cors)
	// or storeserver.WithErrorStatus(statusOf): see the README, "Hooks".
	var opts []storeserver.Option
	if err := storeserver.Run(context.Background(), cfg, svc, logger, opts...); err != nil {
		_ = logger.Log("err", err)
		os.Exit(1)
	}
}
