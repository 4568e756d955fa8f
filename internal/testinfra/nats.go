package testinfra

import (
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// NATS starts a nats-server (Debian nats-server). Addr is its client
// address and URL "nats://"+Addr, what nats.Connect takes. Ready when a
// client connection gets the server's INFO greeting.
func NATS(t testing.TB) *Server {
	t.Helper()
	bin := lookPath("nats-server", "/usr/bin/nats-server")
	if bin == "" {
		missing(t, "nats-server")
	}
	return launch(t, spec{
		name:  "nats",
		roles: []string{"client"},
		setup: func(s *Server) error {
			s.Addr = hostPort(s.Ports["client"])
			s.URL = "nats://" + s.Addr
			return nil
		},
		command: func(s *Server) *exec.Cmd {
			return exec.Command(bin,
				"--addr", "127.0.0.1",
				"--port", strconv.Itoa(s.Ports["client"]),
			)
		},
		ready: func(ctx context.Context, s *Server) error {
			line, err := tcpGreeting(ctx, s.Addr)
			if err != nil {
				return err
			}
			if !strings.HasPrefix(line, "INFO ") {
				return fmt.Errorf("greeting %.100q", line)
			}
			return nil
		},
	})
}
