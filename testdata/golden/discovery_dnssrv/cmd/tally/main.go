// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

// Command tally serves the tally service.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"kitforge.test/golden/discovery_dnssrv/pkg/tallyserver"
	"kitforge.test/golden/discovery_dnssrv/pkg/tallyservice"
)

func main() {
	cfg := tallyserver.DefaultConfig()
	fs := flag.NewFlagSet("tally", flag.ExitOnError)
	if err := cfg.Parse(fs, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	logger := tallyservice.NewLogger(os.Stderr, "service", "tally")

	svc := tallyservice.New()
	// Run's options survive regeneration, e.g. tallyserver.WithHTTPMiddleware(cors)
	// or tallyserver.WithErrorStatus(statusOf): see the README, "Hooks".
	var opts []tallyserver.Option
	if err := tallyserver.Run(context.Background(), cfg, svc, logger, opts...); err != nil {
		_ = logger.Log("err", err)
		os.Exit(1)
	}
}
