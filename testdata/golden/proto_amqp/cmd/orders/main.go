// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

// Command orders serves the orders services.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/go-kit/log"
	"kitforge.test/golden/proto_amqp/pkg/inventoryservice"
	"kitforge.test/golden/proto_amqp/pkg/ordersserver"
	"kitforge.test/golden/proto_amqp/pkg/ordersservice"
)

func main() {
	cfg := ordersserver.DefaultConfig()
	fs := flag.NewFlagSet("orders", flag.ExitOnError)
	if err := cfg.Parse(fs, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	logger := log.NewLogfmtLogger(log.NewSyncWriter(os.Stderr))
	logger = log.With(logger, "ts", log.DefaultTimestampUTC, "service", "orders")

	services := ordersserver.Services{
		Orders:    ordersservice.New(),
		Inventory: inventoryservice.New(),
	}
	// Run's options survive regeneration, e.g. ordersserver.WithHTTPMiddleware(cors)
	// or ordersserver.WithErrorStatus(statusOf): see the README, "Hooks".
	var opts []ordersserver.Option
	if err := ordersserver.Run(context.Background(), cfg, services, logger, opts...); err != nil {
		_ = logger.Log("err", err)
		os.Exit(1)
	}
}
