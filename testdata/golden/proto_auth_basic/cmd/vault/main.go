// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

// Command vault serves the vault services.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/go-kit/log"
	"kitforge.test/golden/proto_auth_basic/pkg/vaultserver"
	"kitforge.test/golden/proto_auth_basic/pkg/vaultservice"
)

func main() {
	cfg := vaultserver.DefaultConfig()
	fs := flag.NewFlagSet("vault", flag.ExitOnError)
	if err := cfg.Parse(fs, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	logger := log.NewLogfmtLogger(log.NewSyncWriter(os.Stderr))
	logger = log.With(logger, "ts", log.DefaultTimestampUTC, "service", "vault")

	services := vaultserver.Services{
		Vault: vaultservice.New(),
	}
	// Run's options survive regeneration, e.g. vaultserver.WithHTTPMiddleware(cors)
	// or vaultserver.WithErrorStatus(statusOf): see the README, "Hooks".
	var opts []vaultserver.Option
	if err := vaultserver.Run(context.Background(), cfg, services, logger, opts...); err != nil {
		_ = logger.Log("err", err)
		os.Exit(1)
	}
}
