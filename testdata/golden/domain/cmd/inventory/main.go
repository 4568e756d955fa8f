// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

// Command inventory serves the inventory service.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"kitforge.test/golden/domain/pkg/inventory"
	"kitforge.test/golden/domain/pkg/inventoryserver"
)

func main() {
	cfg := inventoryserver.DefaultConfig()
	fs := flag.NewFlagSet("inventory", flag.ExitOnError)
	if err := cfg.Parse(fs, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	logger := inventory.NewLogger(os.Stderr, "service", "inventory")

	svc := inventory.New()
	// Run's options survive regeneration, e.g. inventoryserver.WithHTTPMiddleware(cors)
	// or inventoryserver.WithErrorStatus(statusOf): see the README, "Hooks".
	var opts []inventoryserver.Option
	if err := inventoryserver.Run(context.Background(), cfg, svc, logger, opts...); err != nil {
		_ = logger.Log("err", err)
		os.Exit(1)
	}
}
