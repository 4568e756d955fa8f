// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

// Command accounts serves the accounts services.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/go-kit/log"
	"kitforge.test/golden/proto_middleware/pkg/accountsserver"
	"kitforge.test/golden/proto_middleware/pkg/accountsservice"
)

func main() {
	cfg := accountsserver.DefaultConfig()
	fs := flag.NewFlagSet("accounts", flag.ExitOnError)
	if err := cfg.Parse(fs, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	logger := log.NewLogfmtLogger(log.NewSyncWriter(os.Stderr))
	logger = log.With(logger, "ts", log.DefaultTimestampUTC, "service", "accounts")

	services := accountsserver.Services{
		Accounts: accountsservice.New(),
	}
	// Run's options survive regeneration, e.g. accountsserver.WithHTTPMiddleware(cors)
	// or accountsserver.WithErrorStatus(statusOf): see the README, "Hooks".
	var opts []accountsserver.Option
	if err := accountsserver.Run(context.Background(), cfg, services, logger, opts...); err != nil {
		_ = logger.Log("err", err)
		os.Exit(1)
	}
}
