// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

// Command users serves the users service.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"kitforge.test/golden/system/pkg/usersserver"
	"kitforge.test/golden/system/pkg/usersservice"
)

func main() {
	cfg := usersserver.DefaultConfig()
	fs := flag.NewFlagSet("users", flag.ExitOnError)
	if err := cfg.Parse(fs, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	logger := usersservice.NewLogger(os.Stderr, "service", "users")

	svc := usersservice.New()
	// Run's options survive regeneration, e.g. usersserver.WithHTTPMiddleware(cors)
	// or usersserver.WithErrorStatus(statusOf): see the README, "Hooks".
	var opts []usersserver.Option
	if err := usersserver.Run(context.Background(), cfg, svc, logger, opts...); err != nil {
		_ = logger.Log("err", err)
		os.Exit(1)
	}
}
