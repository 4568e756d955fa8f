package cmd

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// sdgraceRegistries are the registries whose restart without their catalog
// TestRegistryRestartKeepsCalling checks.
var sdgraceRegistries = []string{"consul", "etcd", "zookeeper"}

// sdgraceReregisterBound is how soon after the registry is back both
// instances must be listed again: the servers notice within about a second
// (Consul's watch, etcd's lease keepalive, ZooKeeper's expired session) and
// retry at most every 3 s; the rest is margin for a loaded machine.
const sdgraceReregisterBound = 10 * time.Second

// TestRegistryRestartKeepsCalling generates a service for each registry,
// starts two instances, calls them through the generated client without
// pause, and restarts the registry with its data wiped, as a Consul dev
// agent restart does: the registry lists no instance until they register
// again. No call fails meanwhile (the client keeps the last known
// instances for its grace period, and logs it), and both instances are
// listed again within sdgraceReregisterBound of the registry being back.
// Consul, etcd and ZooKeeper run in parallel.
func TestRegistryRestartKeepsCalling(t *testing.T) {
	if testing.Short() {
		t.Skip("builds generated services and runs them against real registries; skipped with -short")
	}
	for _, sc := range discoveryScenarios() {
		if !slices.Contains(sdgraceRegistries, sc.name) {
			continue
		}
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			runRegistryRestart(t, sc)
		})
	}
}

func runRegistryRestart(t *testing.T, sc discoveryScenario) {
	srv, addr := sc.start(t)
	svcBin, probeBin := buildDiscoveryService(t, sc)
	grpc := strings.Contains(sc.transport, "grpc")
	for _, name := range []string{"a", "b"} {
		args := append([]string{"-advertise-addr", "127.0.0.1"}, sc.flags(addr)...)
		if grpc {
			args = append(args, "-grpc-addr", "127.0.0.1:"+strconv.Itoa(freePort(t)))
		}
		startServiceOn(t, svcBin, freePort(t), []string{"INSTANCE=" + name}, args...)
	}
	waitPorts(t, sc, addr, func(p []int) bool { return len(p) == 2 }, 20*time.Second)
	probe := startProbe(t, probeBin, addr, grpc, nil)
	probe.waitServed(t, []string{"a", "b"}, 20*time.Second)

	stopped := time.Now()
	srv.Stop()
	data := filepath.Join(srv.Dir, "data")
	must(t, os.RemoveAll(data))
	must(t, os.MkdirAll(data, 0o755))
	must(t, srv.Start())
	back := time.Now()
	gap := waitPorts(t, sc, addr, func(p []int) bool { return len(p) == 2 }, 30*time.Second)
	t.Logf("%s: registry down for %v; both instances listed again %v after it was back",
		sc.name, back.Sub(stopped).Round(time.Millisecond), gap.Round(time.Millisecond))
	if gap > sdgraceReregisterBound {
		t.Errorf("%s: instances listed again %v after the registry was back, want within %v", sc.name, gap, sdgraceReregisterBound)
	}
	time.Sleep(time.Second) // the client sees them listed again
	r := probe.report(t)
	if len(r.Errors) > 0 {
		t.Errorf("%s: %d calls failed across the registry restart: %q", sc.name, len(r.Errors), r.Errors[:min(len(r.Errors), 5)])
	}
	if r.Served["a"] == 0 || r.Served["b"] == 0 {
		t.Errorf("%s: across the registry restart a served %d calls, b %d; want both", sc.name, r.Served["a"], r.Served["b"])
	}
	logs := probe.logs()
	kept := strings.Contains(logs, "keeping the last known ones")
	t.Logf("%s: %d calls across the restart, %d failed; the client kept the last known instances through an empty answer: %v; client log:\n%s",
		sc.name, r.Served["a"]+r.Served["b"], len(r.Errors), kept, logs)
	// Whether the client saw the registry's empty answer at all depends on
	// who is quicker after the restart, the instances registering again or
	// the client asking: the grace period itself is tested in
	// sdruntime/client (grace_test.go); here, what counts is that no call
	// fails either way.
	probe.close(t)
}
