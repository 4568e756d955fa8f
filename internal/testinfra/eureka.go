package testinfra

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"go.yaml.in/yaml/v3"
)

// EurekaRefreshSeconds is how often the Polaris that Eureka starts rebuilds
// its Eureka view of the registry (Polaris' default is 10 s): an instance
// registered through the Eureka API shows in /eureka/apps about this soon.
const EurekaRefreshSeconds = 1

// polarisPorts are the Polaris API servers kept, and the port role each
// gets; each listens on 127.0.0.1 on a free port. The others in its release
// config (Nacos, whose UDP push binds 0.0.0.0; xDS; config gRPC) are left
// out: tests need none of them.
var polarisPorts = map[string]string{
	"service-eureka": "eureka",
	"api-http":       "http",
	"service-grpc":   "grpc", // Polaris registers itself over it
}

// Eureka starts a server for the Eureka REST API: Polaris (built by
// scripts/services; no Netflix Eureka server can be had here), standalone
// with its bolt store in a temp dir. Addr and HTTPAddr are the Eureka
// port's address; URL is the Eureka base URL "http://127.0.0.1:P/eureka",
// what fargo's Config.Eureka.ServiceUrls takes (go-kit sd/eureka).
// Ports["http"] is Polaris' own HTTP API. Ready when GET /eureka/apps
// answers 200.
//
// Use fargo's default XML: fargo cannot decode Polaris' JSON (it wants
// "@enabled":"true" where Polaris sends a bool). Polaris turns a lease into
// a heartbeat TTL of min(ceil(DurationInSecs/3), RenewalIntervalInSecs)
// seconds and expires an instance after 3 TTLs; with its check scheduling
// and caches, an instance whose heartbeats stop (TTL 1 s) left /eureka/apps
// ~12 s later in our measurements. Stop takes up to ~5 s while clients hold
// connections open (Polaris drains them); Kill is immediate.
func Eureka(t testing.TB) *Server {
	t.Helper()
	dir := polarisDir()
	bin := filepath.Join(dir, "polaris-server")
	if !fileExists(bin) || !fileExists(filepath.Join(dir, "conf", "polaris-server.yaml")) {
		missing(t, "polaris (Eureka API) in "+dir)
	}
	return launch(t, spec{
		name:  "eureka",
		roles: []string{"eureka", "http", "grpc"},
		setup: func(s *Server) error {
			s.Addr = hostPort(s.Ports["eureka"])
			s.HTTPAddr = s.Addr
			s.URL = "http://" + s.Addr + "/eureka"
			conf := filepath.Join(s.Dir, "conf")
			if err := os.RemoveAll(conf); err != nil {
				return err
			}
			if err := os.CopyFS(conf, os.DirFS(filepath.Join(dir, "conf"))); err != nil {
				return err
			}
			return writePolarisConfig(filepath.Join(conf, "polaris-server.yaml"), s)
		},
		command: func(s *Server) *exec.Cmd {
			// Its logs go under Dir/log (paths in the config are relative).
			return exec.Command(bin, "start", "-c", filepath.Join(s.Dir, "conf", "polaris-server.yaml"))
		},
		ready: func(ctx context.Context, s *Server) error {
			return httpOK(ctx, s.URL+"/apps", "", "Accept", "application/json")
		},
	})
}

// polarisDir is where scripts/services puts Polaris and its release conf.
func polarisDir() string {
	if d := os.Getenv("KITFORGE_POLARIS_DIR"); d != "" {
		return d
	}
	return filepath.Join(CacheDir(), "polaris")
}

// writePolarisConfig rewrites Polaris' release config at path for a test:
// loopback only, the ports in s.Ports, the bolt store in s.Dir, a fast
// Eureka refresh, and its own address given rather than probed.
func writePolarisConfig(path string, s *Server) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var cfg map[string]any
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	servers, _ := cfg["apiservers"].([]any)
	var kept []any
	for _, a := range servers {
		as, _ := a.(map[string]any)
		name, _ := as["name"].(string)
		role, ok := polarisPorts[name]
		if !ok {
			continue
		}
		opt, _ := as["option"].(map[string]any)
		if opt == nil {
			return fmt.Errorf("%s: API server %q has no option", path, name)
		}
		opt["listenIP"] = "127.0.0.1"
		opt["listenPort"] = s.Ports[role]
		if name == "service-eureka" {
			opt["refreshInterval"] = EurekaRefreshSeconds
		}
		kept = append(kept, as)
	}
	if len(kept) != len(polarisPorts) {
		return fmt.Errorf("%s: found %d of the API servers %v", path, len(kept), polarisPorts)
	}
	cfg["apiservers"] = kept
	store, _ := cfg["store"].(map[string]any)
	storeOpt, _ := store["option"].(map[string]any)
	if storeOpt == nil {
		return fmt.Errorf("%s: no store.option", path)
	}
	storeOpt["path"] = filepath.Join(s.Dir, "polaris.bolt")
	boot, _ := cfg["bootstrap"].(map[string]any)
	self, _ := boot["polaris_service"].(map[string]any)
	if self == nil {
		return fmt.Errorf("%s: no bootstrap.polaris_service", path)
	}
	self["self_address"] = "127.0.0.1"
	out, err := yaml.Marshal(cfg)
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, 0o644)
}
