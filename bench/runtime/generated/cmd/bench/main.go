// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

// Command bench serves the bench service.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/kitforge/kitforge/bench/runtime/generated/pkg/benchserver"
	"github.com/kitforge/kitforge/bench/runtime/generated/pkg/benchservice"
)

func main() {
	cfg := benchserver.DefaultConfig()
	fs := flag.NewFlagSet("bench", flag.ExitOnError)
	if err := cfg.Parse(fs, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	logger := benchservice.NewLogger(os.Stderr, "service", "bench")

	svc := benchservice.New()
	if err := benchserver.Run(context.Background(), cfg, svc, logger); err != nil {
		_ = logger.Log("err", err)
		os.Exit(1)
	}
}
