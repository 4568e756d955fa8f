// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

// Command shop serves the shop service.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"kitforge.test/golden/grpc/pkg/shopserver"
	"kitforge.test/golden/grpc/pkg/shopservice"
)

func main() {
	cfg := shopserver.DefaultConfig()
	fs := flag.NewFlagSet("shop", flag.ExitOnError)
	if err := cfg.Parse(fs, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	logger := shopservice.NewLogger(os.Stderr, "service", "shop")

	svc := shopservice.New()
	// Run's options survive regeneration, e.g. shopserver.WithHTTPMiddleware(cors)
	// or shopserver.WithErrorStatus(statusOf): see the README, "Hooks".
	var opts []shopserver.Option
	if err := shopserver.Run(context.Background(), cfg, svc, logger, opts...); err != nil {
		_ = logger.Log("err", err)
		os.Exit(1)
	}
}
