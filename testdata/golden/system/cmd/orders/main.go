// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

// Command orders serves the orders service.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"kitforge.test/golden/system/pkg/ordersserver"
	"kitforge.test/golden/system/pkg/ordersservice"
)

func main() {
	cfg := ordersserver.DefaultConfig()
	callsCfg := ordersserver.DefaultCallsConfig()
	fs := flag.NewFlagSet("orders", flag.ExitOnError)
	callsCfg.Register(fs)
	if err := cfg.Parse(fs, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	logger := ordersservice.NewLogger(os.Stderr, "service", "orders")

	// The clients of the services orders calls (kitforge.yaml calls:).
	calls, err := callsCfg.Dial(logger)
	if err != nil {
		_ = logger.Log("err", err)
		os.Exit(2)
	}
	defer calls.Close()
	svc := ordersservice.New(calls.Users, calls.Catalog)
	// Run's options survive regeneration, e.g. ordersserver.WithHTTPMiddleware(cors)
	// or ordersserver.WithErrorStatus(statusOf): see the README, "Hooks".
	var opts []ordersserver.Option
	if err := ordersserver.Run(context.Background(), cfg, svc, logger, opts...); err != nil {
		_ = logger.Log("err", err)
		calls.Close()
		os.Exit(1)
	}
}
