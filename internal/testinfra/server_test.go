package testinfra

import (
	"context"
	"errors"
	"os/exec"
	"testing"
)

// TestLaunchRetriesAndStops runs launch on a stand-in process: the first
// start exits at once (as a server whose port was taken does), the retry
// runs until stopped.
func TestLaunchRetriesAndStops(t *testing.T) {
	starts := 0
	s := launch(t, spec{
		name:  "standin",
		roles: []string{"main"},
		setup: func(s *Server) error { s.Addr = hostPort(s.Ports["main"]); return nil },
		command: func(s *Server) *exec.Cmd {
			starts++
			if starts == 1 {
				return exec.Command("sh", "-c", "echo port taken >&2; exit 3")
			}
			return exec.Command("sleep", "60")
		},
		ready: func(ctx context.Context, s *Server) error {
			if starts == 1 {
				return errors.New("not yet")
			}
			return nil
		},
	})
	if starts != 2 || !s.Running() {
		t.Fatalf("starts %d, running %v", starts, s.Running())
	}
	s.Kill()
	if s.Running() {
		t.Fatal("running after Kill")
	}
	if err := s.Start(); err != nil || !s.Running() || starts != 3 {
		t.Fatalf("Start after Kill: %v, running %v, starts %d", err, s.Running(), starts)
	}
	if err := s.Start(); err != nil || starts != 3 {
		t.Fatalf("Start while running started again: %v, starts %d", err, starts)
	}
	s.Stop()
	if s.Running() {
		t.Fatal("running after Stop")
	}
	if got := s.Log(); got != "port taken\n" {
		t.Errorf("log %q", got)
	}
}
