package cmd

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/hashicorp/consul/api"
	"github.com/hudl/fargo"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"

	"github.com/kitforge/kitforge/internal/testinfra"
)

// discoveryImpl implements the example service so that a call says which
// instance served it (Greet answers name@INSTANCE).
const discoveryImpl = `// Scaffolded by kitforge: this file is yours to edit.

package tallyservice

import (
	"context"
	"os"
)

type basicService struct{}

// New returns the tally service implementation.
func New() Service { return basicService{} }

// Sum returns a + b.
func (s basicService) Sum(ctx context.Context, a, b int) (int, error) { return a + b, nil }

// Greet says which instance served it.
func (s basicService) Greet(ctx context.Context, name string, excited bool) (string, error) {
	return name + "@" + os.Getenv("INSTANCE"), nil
}
`

// discoveryProbe is a client program built into the generated module: it
// calls Greet through the generated tallyclient (NewInstancer of the
// registry, the default weighted balancer, retry, circuit breakers) without
// pause, and on each "report" line on stdin prints, as JSON, who served the
// calls since the last report and every error a caller saw.
const discoveryProbe = `package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"example.com/tally/pkg/tallyclient"
	"github.com/go-kit/log"
)

type report struct {
	Served map[string]int ` + "`json:\"served\"`" + `
	Errors []string       ` + "`json:\"errors\"`" + `
}

func main() {
	registry := flag.String("registry", "", "registry address for NewInstancer")
	useGRPC := flag.Bool("grpc", false, "call over gRPC")
	dns := flag.String("dns", "", "DNS server for SRV lookups")
	flag.Parse()
	_ = dns
	logger := log.NewLogfmtLogger(log.NewSyncWriter(os.Stderr))
	opts := []tallyclient.InstancerOption{tallyclient.WithRefresh(300 * time.Millisecond)}
	DNS_OPTIONS
	instancer, err := tallyclient.NewInstancer(*registry, logger, opts...)
	if err != nil {
		panic(err)
	}
	var copts []tallyclient.Option
	if *useGRPC {
		copts = append(copts, GRPC_OPTION)
	}
	c := tallyclient.New(instancer, logger, copts...)

	var mu sync.Mutex
	r := report{Served: map[string]int{}}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			g, err := c.Greet(ctx, "probe", false)
			cancel()
			mu.Lock()
			if err != nil {
				r.Errors = append(r.Errors, err.Error())
			} else {
				r.Served[g[strings.Index(g, "@")+1:]]++
			}
			mu.Unlock()
			time.Sleep(3 * time.Millisecond)
		}
	}()
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		mu.Lock()
		_ = json.NewEncoder(os.Stdout).Encode(r)
		r = report{Served: map[string]int{}}
		mu.Unlock()
	}
	close(stop)
	<-done
	c.Close()
	instancer.Stop()
}
`

// discoveryScenario is what the end-to-end test needs to know about one
// registry.
type discoveryScenario struct {
	name      string
	transport string // --transport of kitforge new
	// start starts the registry and returns its address for the servers'
	// and the client's flags.
	start func(t *testing.T) (srv *testinfra.Server, addr string)
	// flags are the registry flags of an instance (fast liveness timing).
	flags func(addr string) []string
	// ports returns the ports of the instances the registry lists (alive:
	// passing, UP, or not expired).
	ports func(ctx context.Context, addr string) ([]int, error)
	// health says how the registry drops a killed instance.
	health string
	// build, when set, builds the service and the probe instead of
	// buildDiscoveryService (the proto scenarios).
	build func(t *testing.T, sc discoveryScenario) (svcBin, probeBin string)
}

// discoveryScenarios are the registries, each as the generated code uses it.
func discoveryScenarios() []discoveryScenario {
	return []discoveryScenario{
		{
			name: "consul", transport: "http",
			start: func(t *testing.T) (*testinfra.Server, string) { s := testinfra.Consul(t); return s, s.Addr },
			flags: func(addr string) []string {
				return []string{"-consul-addr", addr, "-consul-check-interval", "1s"}
			},
			ports:  consulPorts,
			health: "HTTP check of /healthz every 1s",
		},
		{
			name: "etcd", transport: "http,grpc",
			start: func(t *testing.T) (*testinfra.Server, string) { s := testinfra.Etcd(t); return s, s.URL },
			flags: func(addr string) []string {
				return []string{"-etcd-endpoints", addr, "-etcd-ttl", "3s"}
			},
			ports:  etcdPorts,
			health: "lease TTL 3s",
		},
		{
			name: "eureka", transport: "http",
			start: func(t *testing.T) (*testinfra.Server, string) { s := testinfra.Eureka(t); return s, s.URL },
			flags: func(addr string) []string {
				return []string{"-eureka-url", addr, "-eureka-heartbeat", "1s"}
			},
			ports:  eurekaPorts,
			health: "heartbeat 1s, lease 3s (Polaris expires after 3 missed TTLs)",
		},
		{
			name: "zookeeper", transport: "http",
			start: func(t *testing.T) (*testinfra.Server, string) { s := testinfra.ZooKeeper(t); return s, s.Addr },
			flags: func(addr string) []string {
				return []string{"-zk-servers", addr, "-zk-session-timeout", "2s"}
			},
			ports:  zkPorts,
			health: "ephemeral node, session timeout 2s",
		},
		{
			name: "dnssrv", transport: "http",
			// The DNS server is started with the instances' records (below).
			flags: func(addr string) []string {
				return []string{"-dns-srv-name", dnsSRVName}
			},
			health: "none: the records are managed outside; the client's breaker and retry cover a dead target",
		},
	}
}

// dnsSRVName is the SRV name of the DNS scenario.
const dnsSRVName = "_tally._tcp.kitforge.test"

// TestDiscoveryEndToEnd generates a service for each registry, starts
// three instances (weights 1, 1 and 3) against the real registry, and
// calls them through the generated client (over gRPC for etcd): every
// instance serves and the split follows the weights; a SIGTERMed instance
// leaves the registry within seconds with no call failing; a killed one is
// dropped by the registry's health check; with the registry stopped the
// others keep serving and shut down cleanly. The registries run in
// parallel.
func TestDiscoveryEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds generated services and runs them against real registries; skipped with -short")
	}
	for _, sc := range discoveryScenarios() {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			runDiscoveryScenario(t, sc)
		})
	}
}

// discoveryInstance is one running instance of the generated service.
type discoveryInstance struct {
	*service
	name string
	port int
}

func runDiscoveryScenario(t *testing.T, sc discoveryScenario) {
	var (
		srv  *testinfra.Server
		dns  *testinfra.DNS
		addr string
	)
	// Registry first: a missing server skips (fails under CI=true) before
	// anything is built.
	if sc.start != nil {
		srv, addr = sc.start(t)
	} else {
		dns = testinfra.DNSSRV(t)
		srv, addr = dns.Server, dnsSRVName
	}
	build := buildDiscoveryService
	if sc.build != nil {
		build = sc.build
	}
	svcBin, probeBin := build(t, sc)
	grpc := strings.Contains(sc.transport, "grpc")

	// Three instances, c with three times the weight of a and b.
	weights := map[string]int{"a": 1, "b": 1, "c": 3}
	instances := map[string]*discoveryInstance{}
	byPort := map[int]string{}
	ports := map[string]int{}
	for _, name := range []string{"a", "b", "c"} {
		ports[name] = freePort(t)
	}
	if dns != nil { // the operator's records, published before the instances start
		var records []testinfra.SRV
		for _, name := range []string{"a", "b", "c"} {
			records = append(records, testinfra.SRV{Name: dnsSRVName, Port: ports[name], Weight: weights[name]})
		}
		must(t, dns.SetRecords(records...))
		sc.ports = func(ctx context.Context, _ string) ([]int, error) { return dnsPorts(ctx, dns) }
	}
	start := time.Now()
	for _, name := range []string{"a", "b", "c"} {
		args := append([]string{"-advertise-addr", "127.0.0.1", "-weight", strconv.Itoa(weights[name])}, sc.flags(addr)...)
		if grpc {
			args = append(args, "-grpc-addr", "127.0.0.1:"+strconv.Itoa(freePort(t)))
		}
		s := startServiceOn(t, svcBin, ports[name], []string{"INSTANCE=" + name}, args...)
		instances[name] = &discoveryInstance{service: s, name: name, port: ports[name]}
		byPort[ports[name]] = name
	}
	// Each registered, as the registry itself lists it.
	registered := waitPorts(t, sc, addr, func(p []int) bool { return len(p) == 3 }, 20*time.Second)
	t.Logf("%s: 3 instances registered %v after start (%v)", sc.name, registered.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))

	probe := startProbe(t, probeBin, addr, grpc, dns)
	// Every instance serves, and the split follows the weights.
	probe.waitServed(t, []string{"a", "b", "c"}, 20*time.Second)
	time.Sleep(2 * time.Second)
	r := probe.report(t)
	total := r.Served["a"] + r.Served["b"] + r.Served["c"]
	if len(r.Errors) > 0 || total < 100 {
		t.Fatalf("%s: %d calls in 2s, errors %q", sc.name, total, r.Errors)
	}
	for name, w := range weights {
		share, want := float64(r.Served[name])/float64(total), float64(w)/5
		if share < want-0.05 || share > want+0.05 {
			t.Errorf("%s: instance %s (weight %d) served %.1f%% of %d calls, want %.0f%% ± 5", sc.name, name, w, 100*share, total, 100*want)
		}
	}
	t.Logf("%s: split of %d calls over weights 1/1/3: a=%d b=%d c=%d", sc.name, total, r.Served["a"], r.Served["b"], r.Served["c"])

	// SIGTERM a: it leaves the registry within a few seconds, and no call
	// fails (retry covers the window until the client sees it gone).
	a := instances["a"]
	sigterm := time.Now()
	must(t, a.cmd.Process.Signal(syscall.SIGTERM))
	if dns != nil { // DNS: the operator removes the record
		must(t, dns.SetRecords(testinfra.SRV{Name: dnsSRVName, Port: ports["b"], Weight: 1}, testinfra.SRV{Name: dnsSRVName, Port: ports["c"], Weight: 3}))
	}
	gone := waitPorts(t, sc, addr, func(p []int) bool { return !slices.Contains(p, a.port) }, 10*time.Second)
	if gone > 5*time.Second {
		t.Errorf("%s: a left the registry %v after SIGTERM, want within 5s", sc.name, gone)
	}
	waitExit(t, a.service, 20*time.Second)
	exited := time.Since(sigterm)
	if dns == nil && !strings.Contains(a.log(), "msg=deregistered") {
		t.Errorf("%s: a did not log its deregistration:\n%s", sc.name, a.log())
	}
	time.Sleep(1500 * time.Millisecond)
	r = probe.report(t)
	if len(r.Errors) > 0 {
		t.Errorf("%s: %d calls failed around a's SIGTERM: %q", sc.name, len(r.Errors), r.Errors)
	}
	t.Logf("%s: SIGTERM: a deregistered after %v, exited after %v; calls since: %v, failures %d",
		sc.name, gone.Round(time.Millisecond), exited.Round(time.Millisecond), r.Served, len(r.Errors))

	// kill -9 b: the registry's health check drops it; calls keep working.
	b := instances["b"]
	must(t, b.cmd.Process.Kill())
	if dns == nil {
		dropped := waitPorts(t, sc, addr, func(p []int) bool { return !slices.Contains(p, b.port) }, 40*time.Second)
		t.Logf("%s: kill -9: b dropped by the registry after %v (%s)", sc.name, dropped.Round(time.Millisecond), sc.health)
	} else {
		time.Sleep(2 * time.Second)
	}
	r = probe.report(t)
	if len(r.Errors) > 0 {
		t.Errorf("%s: %d calls failed after b was killed: %q", sc.name, len(r.Errors), r.Errors[:min(len(r.Errors), 5)])
	}
	if r.Served["c"] == 0 {
		t.Errorf("%s: c served nothing after b was killed: %v", sc.name, r.Served)
	}

	// The registry stops: c keeps serving (the client keeps the instances
	// it knows), then shuts down cleanly and within bounds.
	srv.Stop()
	time.Sleep(2 * time.Second)
	r = probe.report(t)
	if len(r.Errors) > 0 || r.Served["c"] == 0 {
		t.Errorf("%s: with the registry stopped: served %v, errors %q", sc.name, r.Served, r.Errors[:min(len(r.Errors), 5)])
	}
	probe.close(t)
	c := instances["c"]
	stopping := time.Now()
	c.stop()
	t.Logf("%s: registry stopped: c served %d calls, then shut down in %v", sc.name, r.Served["c"], time.Since(stopping).Round(time.Millisecond))
	if d := time.Since(stopping); d > 12*time.Second {
		t.Errorf("%s: shutdown with the registry down took %v", sc.name, d)
	}
}

// buildDiscoveryService generates the tally service with the scenario's
// registry, implements it, adds the probe client and builds both.
func buildDiscoveryService(t *testing.T, sc discoveryScenario) (svcBin, probeBin string) {
	t.Helper()
	bin, err := kitforgeBin()
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	run(t, work, bin, "new", "tally", "--module", "example.com/tally", "--discovery", sc.name, "--transport", sc.transport)
	mod := filepath.Join(work, "tally")
	must(t, os.WriteFile(filepath.Join(mod, "pkg", "tallyservice", "service_impl.go"), []byte(discoveryImpl), 0o644))
	options, grpcOpt := "", "tallyclient.WithBalancer(tallyclient.Weighted)"
	if sc.start == nil {
		options = `if *dns != "" {
		opts = append(opts, tallyclient.WithResolver(&net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, *dns)
		}}))
	}`
	}
	if strings.Contains(sc.transport, "grpc") {
		grpcOpt = "tallyclient.WithGRPC()"
	}
	probe := strings.NewReplacer("DNS_OPTIONS", options, "GRPC_OPTION", grpcOpt).Replace(discoveryProbe)
	if options == "" {
		probe = strings.Replace(probe, "\t\"net\"\n", "", 1)
	}
	must(t, os.MkdirAll(filepath.Join(mod, "cmd", "probe"), 0o755))
	must(t, os.WriteFile(filepath.Join(mod, "cmd", "probe", "main.go"), []byte(probe), 0o644))
	out := filepath.Join(work, "bin")
	run(t, mod, "go", "build", "-o", out+string(filepath.Separator), "./cmd/tally", "./cmd/probe")
	return filepath.Join(out, "tally"), filepath.Join(out, "probe")
}

// startServiceOn starts bin on 127.0.0.1:port and waits for /healthz, as
// startServiceWith does on a port of its own choosing (the DNS scenario
// publishes the ports before the instances start).
func startServiceOn(t *testing.T, bin string, port int, env []string, args ...string) *service {
	t.Helper()
	addr := "127.0.0.1:" + strconv.Itoa(port)
	s := &service{t: t, base: "http://" + addr, logs: &bytes.Buffer{}, mu: &sync.Mutex{}, done: make(chan error, 1)}
	s.cmd = exec.Command(bin, append([]string{"-http-addr", addr}, args...)...)
	s.cmd.Env = append(os.Environ(), env...)
	stderr, err := s.cmd.StderrPipe()
	must(t, err)
	must(t, s.cmd.Start())
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			s.mu.Lock()
			s.logs.WriteString(sc.Text() + "\n")
			s.mu.Unlock()
		}
		s.done <- s.cmd.Wait()
	}()
	t.Cleanup(func() { _ = s.cmd.Process.Kill() })
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(s.base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s
			}
		}
	}
	t.Fatalf("service did not become healthy; logs:\n%s", s.log())
	return nil
}

// freePort returns a port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// waitPorts polls the registry until ok(ports) and returns how long it
// took.
func waitPorts(t *testing.T, sc discoveryScenario, addr string, ok func([]int) bool, timeout time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	var last []int
	var lastErr error
	for time.Since(start) < timeout {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		last, lastErr = sc.ports(ctx, addr)
		cancel()
		if lastErr == nil && ok(last) {
			return time.Since(start)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s: registry lists ports %v (err %v) after %v", sc.name, last, lastErr, timeout)
	return 0
}

// waitExit waits for s to exit after a signal and requires a clean exit.
func waitExit(t *testing.T, s *service, timeout time.Duration) {
	t.Helper()
	select {
	case err := <-s.done:
		if err != nil {
			t.Fatalf("exited with %v; logs:\n%s", err, s.log())
		}
	case <-time.After(timeout):
		t.Fatalf("did not exit within %v; logs:\n%s", timeout, s.log())
	}
}

// discoveryReport is one report of the probe.
type discoveryReport struct {
	Served map[string]int `json:"served"`
	Errors []string       `json:"errors"`
}

// probeProc is the running probe client.
type probeProc struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	out    *bufio.Scanner
	stderr *strings.Builder
	mu     sync.Mutex
}

// startProbe starts the probe client against the registry at addr.
func startProbe(t *testing.T, bin, addr string, grpc bool, dns *testinfra.DNS) *probeProc {
	t.Helper()
	args := []string{"-registry", addr}
	if grpc {
		args = append(args, "-grpc")
	}
	if dns != nil {
		args = append(args, "-dns", dns.Addr)
	}
	p := &probeProc{cmd: exec.Command(bin, args...), stderr: &strings.Builder{}}
	var err error
	p.stdin, err = p.cmd.StdinPipe()
	must(t, err)
	stdout, err := p.cmd.StdoutPipe()
	must(t, err)
	p.cmd.Stderr = &lockedWriter{w: p.stderr, mu: &p.mu}
	p.out = bufio.NewScanner(stdout)
	p.out.Buffer(make([]byte, 1<<20), 1<<24)
	must(t, p.cmd.Start())
	t.Cleanup(func() { _ = p.cmd.Process.Kill() })
	return p
}

// report asks the probe for what happened since the last report.
func (p *probeProc) report(t *testing.T) discoveryReport {
	t.Helper()
	if _, err := io.WriteString(p.stdin, "report\n"); err != nil {
		t.Fatalf("probe: %v\n%s", err, p.logs())
	}
	if !p.out.Scan() {
		t.Fatalf("probe ended: %v\n%s", p.out.Err(), p.logs())
	}
	var r discoveryReport
	if err := json.Unmarshal(p.out.Bytes(), &r); err != nil {
		t.Fatalf("probe report %q: %v", p.out.Text(), err)
	}
	return r
}

// waitServed waits until every named instance has served a call, then
// starts a fresh report.
func (p *probeProc) waitServed(t *testing.T, names []string, timeout time.Duration) {
	t.Helper()
	seen := map[string]bool{}
	for deadline := time.Now().Add(timeout); len(seen) < len(names); {
		if time.Now().After(deadline) {
			t.Fatalf("only %v served within %v\n%s", seen, timeout, p.logs())
		}
		time.Sleep(100 * time.Millisecond)
		for name := range p.report(t).Served {
			seen[name] = true
		}
	}
}

// close stops the probe and waits for it.
func (p *probeProc) close(t *testing.T) {
	t.Helper()
	p.stdin.Close()
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("probe exited with %v\n%s", err, p.logs())
		}
	case <-time.After(10 * time.Second):
		t.Errorf("probe did not stop\n%s", p.logs())
	}
}

func (p *probeProc) logs() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

// lockedWriter serialises writes to w.
type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// The registries' own listings, read with their client libraries.

func consulPorts(ctx context.Context, addr string) ([]int, error) {
	cfg := api.DefaultConfig()
	cfg.Address = addr
	c, err := api.NewClient(cfg)
	if err != nil {
		return nil, err
	}
	entries, _, err := c.Health().Service("tally", "", true, (&api.QueryOptions{}).WithContext(ctx))
	if err != nil {
		return nil, err
	}
	var ports []int
	for _, e := range entries {
		ports = append(ports, e.Service.Port)
	}
	return ports, nil
}

func etcdPorts(ctx context.Context, addr string) ([]int, error) {
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{addr}, DialTimeout: 2 * time.Second, Logger: zap.NewNop()})
	if err != nil {
		return nil, err
	}
	defer cli.Close()
	resp, err := cli.Get(ctx, "/services/tally/", clientv3.WithPrefix())
	if err != nil {
		return nil, err
	}
	var values []string
	for _, kv := range resp.Kvs {
		values = append(values, string(kv.Value))
	}
	return instancePorts(values)
}

func eurekaPorts(ctx context.Context, addr string) ([]int, error) {
	conn := fargo.NewConn(addr)
	app, err := conn.GetApp("TALLY")
	if _, ok := err.(fargo.AppNotFoundError); ok {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ports []int
	for _, in := range app.Instances {
		if in.Status == fargo.UP {
			ports = append(ports, in.Port)
		}
	}
	return ports, nil
}

func zkPorts(ctx context.Context, addr string) ([]int, error) {
	conn, _, err := zk.Connect([]string{addr}, 2*time.Second, zk.WithLogInfo(false), zk.WithLogger(quietZK{}))
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	children, _, err := conn.Children("/services/tally")
	if err == zk.ErrNoNode {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var values []string
	for _, c := range children {
		data, _, err := conn.Get("/services/tally/" + c)
		if err == nil {
			values = append(values, string(data))
		}
	}
	return instancePorts(values)
}

func dnsPorts(ctx context.Context, d *testinfra.DNS) ([]int, error) {
	srvs, err := d.LookupSRV(ctx, dnsSRVName)
	if err != nil {
		return nil, err
	}
	var ports []int
	for _, s := range srvs {
		ports = append(ports, int(s.Port))
	}
	return ports, nil
}

// instancePorts parses instance strings ("127.0.0.1:8080?weight=3").
func instancePorts(values []string) ([]int, error) {
	var ports []int
	for _, v := range values {
		u, err := url.Parse("http://" + v)
		if err != nil {
			return nil, fmt.Errorf("instance %q: %v", v, err)
		}
		p, err := strconv.Atoi(u.Port())
		if err != nil {
			return nil, fmt.Errorf("instance %q: %v", v, err)
		}
		ports = append(ports, p)
	}
	return ports, nil
}

// quietZK drops the ZooKeeper client's log lines.
type quietZK struct{}

func (quietZK) Printf(string, ...any) {}

// TestDiscoverySwitch checks that the registry is chosen in one place:
// switching is `kitforge generate --discovery X`, which rewrites the
// server's registry_gen.go and the client's sd_gen.go (and the server's
// registry flags), leaves everything else alone, and builds; none deletes
// registry_gen.go.
func TestDiscoverySwitch(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated service; skipped with -short")
	}
	bin, err := kitforgeBin()
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	run(t, work, bin, "new", "tally", "--module", "example.com/tally", "--discovery", "consul")
	checkDiscoverySwitch(t, bin, filepath.Join(work, "tally"), "tallyserver", "tallyclient")
}

// checkDiscoverySwitch regenerates the module at mod, generated with
// --discovery consul, with etcd, ZooKeeper and none in turn: each time only
// kitforge.yaml, the server's registry_gen.go and server_gen.go and the
// client packages' files change, registry_gen.go goes with none, and the
// module builds.
func checkDiscoverySwitch(t *testing.T, bin, mod, server string, clients ...string) {
	t.Helper()
	registry := filepath.Join(mod, "pkg", server, "registry_gen.go")
	read := func(p string) string {
		b, err := os.ReadFile(p)
		if err != nil {
			return ""
		}
		return string(b)
	}
	sds := func() []string {
		var out []string
		for _, c := range clients {
			out = append(out, read(filepath.Join(mod, "pkg", c, "sd_gen.go")))
		}
		return out
	}
	all := func(srcs []string, want string) bool {
		for _, s := range srcs {
			if !strings.Contains(s, want) {
				return false
			}
		}
		return true
	}
	if !strings.Contains(read(registry), "newConsulRegistry") || !all(sds(), "newConsulInstancer") {
		t.Fatal("new --discovery consul: no Consul registration or instancer")
	}
	want := []string{"kitforge.yaml", "pkg/" + server + "/registry_gen.go", "pkg/" + server + "/server_gen.go"}
	for _, c := range clients {
		want = append(want, "pkg/"+c+"/client_gen.go", "pkg/"+c+"/sd_gen.go")
	}
	slices.Sort(want)
	for _, step := range []struct{ discovery, registrar, instancer string }{
		{"etcd", "newEtcdRegistry", "newEtcdInstancer"},
		{"zookeeper", "newZKRegistry", "newZKInstancer"},
		{"none", "", ""},
	} {
		out := run(t, mod, bin, "generate", "--discovery", step.discovery)
		var changed []string
		for _, line := range strings.Split(out, "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] != "unchanged" && f[0] != "kept" && f[0] != "nothing" && f[0] != "kitforge:" {
				changed = append(changed, f[1])
			}
		}
		slices.Sort(changed)
		if !slices.Equal(changed, want) {
			t.Errorf("generate --discovery %s changed %q, want %q\n%s", step.discovery, changed, want, out)
		}
		if step.registrar == "" {
			if _, err := os.Stat(registry); err == nil {
				t.Errorf("--discovery none left %s", registry)
			}
			for _, sd := range sds() {
				if strings.Contains(sd, "NewInstancer") {
					t.Error("--discovery none left NewInstancer in a client")
				}
			}
		} else if !strings.Contains(read(registry), step.registrar) || !all(sds(), step.instancer) {
			t.Errorf("--discovery %s: registry_gen.go or sd_gen.go is not %s's", step.discovery, step.discovery)
		}
		if yaml := read(filepath.Join(mod, "kitforge.yaml")); strings.Contains(yaml, "discovery:") != (step.registrar != "") {
			t.Errorf("--discovery %s: kitforge.yaml is\n%s", step.discovery, yaml)
		}
		run(t, mod, "go", "build", "./...")
	}
}
