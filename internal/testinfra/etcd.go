package testinfra

import (
	"context"
	"os/exec"
	"path/filepath"
	"testing"
)

// Etcd starts a single-member etcd (Debian etcd-server) with its data in a
// temp dir. Addr is the client address (the v3 gRPC API and /health are both
// on it); URL is "http://"+Addr, what clientv3.Config.Endpoints takes.
// Ready when GET /health says {"health":"true"}.
func Etcd(t testing.TB) *Server {
	t.Helper()
	return startEtcd(t)
}

// startEtcd starts etcd as Etcd does, with extra flags.
func startEtcd(t testing.TB, extra ...string) *Server {
	t.Helper()
	bin := lookPath("etcd", "/usr/bin/etcd")
	if bin == "" {
		missing(t, "etcd")
	}
	return launch(t, spec{
		name:  "etcd",
		roles: []string{"client", "peer"},
		setup: func(s *Server) error {
			s.Addr = hostPort(s.Ports["client"])
			s.HTTPAddr = s.Addr
			s.URL = "http://" + s.Addr
			return nil
		},
		command: func(s *Server) *exec.Cmd {
			peer := "http://" + hostPort(s.Ports["peer"])
			return exec.Command(bin, append([]string{
				"--name", "testinfra",
				"--data-dir", filepath.Join(s.Dir, "data"),
				"--listen-client-urls", s.URL,
				"--advertise-client-urls", s.URL,
				"--listen-peer-urls", peer,
				"--initial-advertise-peer-urls", peer,
				"--initial-cluster", "testinfra=" + peer,
				"--initial-cluster-state", "new",
				"--logger", "zap",
				"--log-outputs", "stderr",
			}, extra...)...)
		},
		ready: func(ctx context.Context, s *Server) error {
			return httpOK(ctx, s.URL+"/health", `"health":"true"`)
		},
	})
}
