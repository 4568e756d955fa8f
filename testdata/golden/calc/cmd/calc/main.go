// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

// Command calc serves the calc service.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"kitforge.test/golden/calc/pkg/calcserver"
	"kitforge.test/golden/calc/pkg/calcservice"
)

func main() {
	cfg := calcserver.DefaultConfig()
	fs := flag.NewFlagSet("calc", flag.ExitOnError)
	if err := cfg.Parse(fs, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	logger := calcservice.NewLogger(os.Stderr, "service", "calc")

	svc := calcservice.New()
	// Run's options survive regeneration, e.g. calcserver.WithHTTPMiddleware(cors)
	// or calcserver.WithErrorStatus(statusOf): see the README, "Hooks".
	var opts []calcserver.Option
	if err := calcserver.Run(context.Background(), cfg, svc, logger, opts...); err != nil {
		_ = logger.Log("err", err)
		os.Exit(1)
	}
}
