package testinfra

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// consulNode is the node name of every Consul agent started here.
const consulNode = "testinfra"

// Consul starts a Consul dev agent (server mode, in memory; the binary
// scripts/services builds) with every port on 127.0.0.1 and free. Addr and
// HTTPAddr are its HTTP API address, what consul/api's Config.Address and
// CONSUL_HTTP_ADDR take; URL is "http://"+Addr; Ports["dns"] is its DNS
// interface. Ready when /v1/status/leader names a leader and the agent's own
// node is in the catalog, so a service can register at once.
func Consul(t testing.TB) *Server {
	t.Helper()
	bin := lookPath(consulBinary(), "consul")
	if bin == "" {
		missing(t, "consul")
	}
	return launch(t, spec{
		name:  "consul",
		roles: []string{"http", "dns", "grpc", "grpc_tls", "serf_lan", "serf_wan", "server"},
		setup: func(s *Server) error {
			s.Addr = hostPort(s.Ports["http"])
			s.HTTPAddr = s.Addr
			s.URL = "http://" + s.Addr
			return nil
		},
		command: func(s *Server) *exec.Cmd {
			p := func(role string) string { return strconv.Itoa(s.Ports[role]) }
			return exec.Command(bin, "agent", "-dev",
				"-node", consulNode,
				"-bind", "127.0.0.1",
				"-client", "127.0.0.1",
				"-advertise", "127.0.0.1",
				"-http-port", p("http"),
				"-https-port", "-1",
				"-dns-port", p("dns"),
				"-grpc-port", p("grpc"),
				"-grpc-tls-port", p("grpc_tls"),
				"-serf-lan-port", p("serf_lan"),
				"-serf-wan-port", p("serf_wan"),
				"-server-port", p("server"),
				"-data-dir", filepath.Join(s.Dir, "data"),
				// Never call home.
				"-hcl", "disable_update_check = true",
				"-hcl", "disable_anonymous_signature = true",
				"-log-level", "info",
			)
		},
		ready: func(ctx context.Context, s *Server) error {
			code, body, err := httpGet(ctx, s.URL+"/v1/status/leader")
			if err != nil {
				return err
			}
			if code != 200 || strings.TrimSpace(body) == `""` || strings.TrimSpace(body) == "" {
				return fmt.Errorf("no leader yet: %d %.100q", code, body)
			}
			return httpOK(ctx, s.URL+"/v1/catalog/node/"+consulNode, `"Node"`)
		},
	})
}

// consulBinary is where scripts/services puts the Consul it builds.
func consulBinary() string {
	if p := os.Getenv("KITFORGE_CONSUL"); p != "" {
		return p
	}
	return filepath.Join(CacheDir(), "bin", "consul")
}
