// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

// Command chat serves the chat services.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/go-kit/log"
	"kitforge.test/golden/proto_streaming/pkg/chatserver"
	"kitforge.test/golden/proto_streaming/pkg/chatservice"
)

func main() {
	cfg := chatserver.DefaultConfig()
	fs := flag.NewFlagSet("chat", flag.ExitOnError)
	if err := cfg.Parse(fs, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	logger := log.NewLogfmtLogger(log.NewSyncWriter(os.Stderr))
	logger = log.With(logger, "ts", log.DefaultTimestampUTC, "service", "chat")

	services := chatserver.Services{
		Chat: chatservice.New(),
	}
	// Run's options survive regeneration, e.g. chatserver.WithHTTPMiddleware(cors)
	// or chatserver.WithErrorStatus(statusOf): see the README, "Hooks".
	var opts []chatserver.Option
	if err := chatserver.Run(context.Background(), cfg, services, logger, opts...); err != nil {
		_ = logger.Log("err", err)
		os.Exit(1)
	}
}
