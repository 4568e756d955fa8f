package cmd

import (
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The server end-to-end tests run a generated service (HTTP and gRPC) as a
// real process and check its server: graceful shutdown, the options of Run,
// the gRPC server's limits and the flags that turn endpoints off.

// slowService is the interface of the test service: Sleep is the slow method
// in-flight calls use; Find fails with a sentinel error.
const slowService = `// Package slowservice is slow on purpose.
package slowservice

import "context"

// Service is the slow service.
//
//kitforge:service
type Service interface {
	// Sleep waits ms milliseconds, then returns ms.
	Sleep(ctx context.Context, ms int) (int, error)
	// Find finds name; only "x" exists.
	Find(ctx context.Context, name string) (string, error)
}
`

// slowImpl implements slowService.
const slowImpl = `// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

package slowservice

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is what Find answers for anything but "x".
var ErrNotFound = errors.New("not found")

type basicService struct{}

// New returns the slow service.
func New() Service { return basicService{} }

func (basicService) Sleep(_ context.Context, ms int) (int, error) {
	time.Sleep(time.Duration(ms) * time.Millisecond)
	return ms, nil
}

func (basicService) Find(_ context.Context, name string) (string, error) {
	if name != "x" {
		return "", ErrNotFound
	}
	return name, nil
}
`

// shutcheckProgram drives a shutdown: it starts three slow calls over HTTP
// and three over gRPC, sends SIGTERM to the server, then reports what new
// callers see (readiness, health, new calls on both transports) and how the
// calls in flight ended. Arguments: HTTP base URL, gRPC address, server pid,
// the slow calls' milliseconds, the server's shutdown delay.
const shutcheckProgram = `package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"example.com/slow/pkg/slowtransport"
)

func main() {
	base, addr := os.Args[1], os.Args[2]
	pid, _ := strconv.Atoi(os.Args[3])
	ms, _ := strconv.Atoi(os.Args[4])
	delay, _ := time.ParseDuration(os.Args[5])
	ctx := context.Background()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		panic(err)
	}
	c := slowtransport.NewGRPCClient(conn)
	if _, err := c.Sleep(ctx, 0); err != nil {
		panic(err)
	}

	var wg sync.WaitGroup
	var mu sync.Mutex
	results := map[string][]string{}
	add := func(k, v string) { mu.Lock(); results[k] = append(results[k], v); mu.Unlock() }
	for i := 0; i < 3; i++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			resp, err := http.Post(base+"/sleep", "application/json", strings.NewReader(fmt.Sprintf("{\"ms\":%d}", ms)))
			if err != nil {
				add("http-inflight", "err")
				return
			}
			resp.Body.Close()
			add("http-inflight", strconv.Itoa(resp.StatusCode))
		}()
		go func() {
			defer wg.Done()
			_, err := c.Sleep(ctx, ms)
			add("grpc-inflight", strings.Fields(outcome(err))[0])
		}()
	}
	time.Sleep(300 * time.Millisecond) // the calls are in the server
	fmt.Printf("sigterm %d\n", time.Now().UnixNano())
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		panic(err)
	}
	time.Sleep(100 * time.Millisecond)
	if delay > 0 {
		fmt.Printf("readyz-during-delay %s\n", get(base+"/readyz"))
		fmt.Printf("healthz-during-delay %s\n", get(base+"/healthz"))
		h, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{})
		fmt.Printf("health-during-delay %s %v\n", h.GetStatus(), err)
		time.Sleep(delay)
	}
	fmt.Printf("http-new %s\n", get(base+"/healthz"))
	fresh, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		panic(err)
	}
	cctx, cancel := context.WithTimeout(ctx, time.Second)
	_, err = slowtransport.NewGRPCClient(fresh).Sleep(cctx, 0)
	cancel()
	fmt.Printf("grpc-new-conn %s\n", outcome(err))
	cctx, cancel = context.WithTimeout(ctx, time.Second)
	_, err = c.Sleep(cctx, 0)
	cancel()
	fmt.Printf("grpc-old-conn %s\n", outcome(err))
	wg.Wait()
	for _, k := range []string{"http-inflight", "grpc-inflight"} {
		fmt.Printf("%s %s\n", k, strings.Join(results[k], ","))
	}
}

// outcome is "served" or "refused" and the error.
func outcome(err error) string {
	if err == nil {
		return "served"
	}
	return "refused (" + err.Error() + ")"
}

// get answers the status of GET url on a new connection, or "refused".
func get(url string) string {
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get(url)
	if err != nil {
		return "refused"
	}
	resp.Body.Close()
	return strconv.Itoa(resp.StatusCode)
}
`

// slowBuild is the built slow service: its module, server binary and the
// directory of its helper programs' binaries.
type slowBuild struct{ mod, bin, bins string }

// buildSlow generates the slow service (HTTP and gRPC), writes the helper
// programs (extra: path under cmd/ → source) and builds everything.
func buildSlow(t *testing.T, extra map[string]string) slowBuild {
	t.Helper()
	bin, err := kitforgeBin()
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	run(t, work, bin, "new", "slow", "--module", "example.com/slow", "--transport", "http,grpc")
	mod := filepath.Join(work, "slow")
	writeFile(t, filepath.Join(mod, "pkg", "slowservice", "service.go"), slowService)
	writeFile(t, filepath.Join(mod, "pkg", "slowservice", "service_impl.go"), slowImpl)
	run(t, mod, bin, "generate")
	pkgs := []string{"./cmd/slow"}
	for name, src := range extra {
		writeFile(t, filepath.Join(mod, "cmd", name, "main.go"), src)
		pkgs = append(pkgs, "./cmd/"+name)
	}
	bins := filepath.Join(work, "bin")
	run(t, mod, "go", append([]string{"build", "-o", bins + string(filepath.Separator)}, pkgs...)...)
	run(t, mod, "go", "vet", "./...")
	return slowBuild{mod: mod, bin: filepath.Join(bins, "slow"), bins: bins}
}

// shutdownRun is the report of one shutdown driven by shutcheck.
type shutdownRun struct {
	lines map[string]string // first word → the rest
	took  time.Duration     // from SIGTERM to the server's exit
	log   string
}

// driveShutdown starts the server with args, runs shutcheck against it and
// measures how long the server takes to exit after SIGTERM.
func driveShutdown(t *testing.T, b slowBuild, ms int, delay string, args ...string) shutdownRun {
	t.Helper()
	addr := freeAddr(t)
	s := startServiceWith(t, b.bin, []string{"GRPC_ADDR=" + addr}, args...)
	cmd := exec.Command(filepath.Join(b.bins, "shutcheck"), s.base, addr, strconv.Itoa(s.cmd.Process.Pid), strconv.Itoa(ms), delay)
	type result struct {
		out []byte
		err error
	}
	ran := make(chan result, 1)
	go func() {
		out, err := cmd.CombinedOutput()
		ran <- result{out, err}
	}()
	var exited time.Time
	select {
	case err := <-s.done:
		exited = time.Now()
		if err != nil {
			t.Errorf("server exited with %v; logs:\n%s", err, s.log())
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("server did not exit; logs:\n%s", s.log())
	}
	r := <-ran
	if r.err != nil {
		t.Fatalf("shutcheck: %v\n%s", r.err, r.out)
	}
	run := shutdownRun{lines: map[string]string{}, log: s.log()}
	for _, line := range strings.Split(strings.TrimSpace(string(r.out)), "\n") {
		k, v, _ := strings.Cut(line, " ")
		run.lines[k] = v
	}
	ns, err := strconv.ParseInt(run.lines["sigterm"], 10, 64)
	if err != nil {
		t.Fatalf("shutcheck output:\n%s", r.out)
	}
	run.took = exited.Sub(time.Unix(0, ns))
	t.Logf("shutdown took %v; shutcheck:\n%s", run.took, r.out)
	return run
}

// expectLines checks report lines of a shutdown: each starts with its want.
func (r shutdownRun) expectLines(t *testing.T, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if !strings.HasPrefix(r.lines[k], v) {
			t.Errorf("%s: %q, want %q; logs:\n%s", k, r.lines[k], v, r.log)
		}
	}
}

// TestServerShutdownEndToEnd: on SIGTERM, calls in flight over HTTP and gRPC
// finish, new calls are refused on both transports at once, readiness and
// gRPC health flip first (during -shutdown-delay the server still serves),
// and the whole shutdown ends within one -shutdown-timeout even when a call
// outlives it (HTTP and gRPC drain in parallel, not one after the other).
func TestServerShutdownEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated service; skipped with -short")
	}
	b := buildSlow(t, map[string]string{"shutcheck": shutcheckProgram})

	t.Run("in-flight calls finish, new calls are refused", func(t *testing.T) {
		r := driveShutdown(t, b, 1500, "0s", "-shutdown-timeout", "5s")
		r.expectLines(t, map[string]string{
			"http-inflight": "200,200,200", "grpc-inflight": "served,served,served",
			"http-new": "refused", "grpc-new-conn": "refused", "grpc-old-conn": "refused",
		})
		if r.took < time.Second || r.took > 3*time.Second {
			t.Errorf("shutdown took %v: want the 1.5 s calls drained (1.2 s left), well within the 5 s timeout", r.took)
		}
	})

	t.Run("one timeout bounds the whole shutdown", func(t *testing.T) {
		r := driveShutdown(t, b, 10000, "0s", "-shutdown-timeout", "2s")
		r.expectLines(t, map[string]string{"http-new": "refused", "grpc-new-conn": "refused"})
		if r.took < 2*time.Second || r.took > 3*time.Second {
			t.Errorf("shutdown took %v with -shutdown-timeout 2s and calls of 10 s: want 2 s (not 2 × 2 s)", r.took)
		}
		if !strings.Contains(r.log, "shut down") {
			t.Errorf("no shutdown log line:\n%s", r.log)
		}
	})

	t.Run("readiness and health flip first, during the delay", func(t *testing.T) {
		r := driveShutdown(t, b, 500, "1s", "-shutdown-timeout", "5s", "-shutdown-delay", "1s")
		r.expectLines(t, map[string]string{
			"readyz-during-delay": "503", "healthz-during-delay": "200", "health-during-delay": "NOT_SERVING <nil>",
			"http-new": "refused", "grpc-new-conn": "refused",
			"http-inflight": "200,200,200", "grpc-inflight": "served,served,served",
		})
		if r.took < time.Second || r.took > 2500*time.Millisecond {
			t.Errorf("shutdown took %v: want the 1 s delay, then a prompt drain", r.took)
		}
	})
}

// hookedMain is a main.go that passes every option of Run: a CORS-like
// header, an extra route, an endpoint middleware counting calls in a
// collector of the caller's registry, 404 for ErrNotFound, a gRPC message
// size limit and interceptors that set response headers.
const hookedMain = `package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"

	"github.com/go-kit/kit/endpoint"
	"github.com/go-kit/log"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"example.com/slow/pkg/slowserver"
	"example.com/slow/pkg/slowservice"
)

func main() {
	cfg := slowserver.DefaultConfig()
	fs := flag.NewFlagSet("hooked", flag.ExitOnError)
	if err := cfg.Parse(fs, os.Args[1:]); err != nil {
		panic(err)
	}
	logger := log.NewLogfmtLogger(log.NewSyncWriter(os.Stderr))

	reg := prometheus.NewRegistry()
	calls := prometheus.NewCounter(prometheus.CounterOpts{Name: "hooked_endpoint_calls_total", Help: "Calls seen by the endpoint middleware."})
	reg.MustRegister(calls)
	counting := func(next endpoint.Endpoint) endpoint.Endpoint {
		return func(ctx context.Context, req any) (any, error) {
			calls.Inc()
			return next(ctx, req)
		}
	}
	cors := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Access-Control-Allow-Origin", "*")
			next.ServeHTTP(w, r)
		})
	}
	unary := func(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		_ = grpc.SetHeader(ctx, metadata.Pairs("x-unary-hooked", info.FullMethod))
		return h(ctx, req)
	}
	stream := func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, h grpc.StreamHandler) error {
		_ = ss.SetHeader(metadata.Pairs("x-stream-hooked", info.FullMethod))
		return h(srv, ss)
	}
	opts := []slowserver.Option{
		slowserver.WithHTTPMiddleware(cors),
		slowserver.WithHTTPRoute("GET /version", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "v1.2.3") })),
		slowserver.WithEndpointMiddleware(counting),
		slowserver.WithRegistry(reg),
		slowserver.WithErrorStatus(func(err error) int {
			if errors.Is(err, slowservice.ErrNotFound) {
				return http.StatusNotFound
			}
			return 0
		}),
		slowserver.WithGRPCServerOptions(grpc.MaxRecvMsgSize(256)),
		slowserver.WithGRPCUnaryInterceptors(unary),
		slowserver.WithGRPCStreamInterceptors(stream),
	}
	if err := slowserver.Run(context.Background(), cfg, slowservice.New(), logger, opts...); err != nil {
		_ = logger.Log("err", err)
		os.Exit(1)
	}
}
`

// hookcheckProgram calls the hooked server over gRPC and reports what the
// options changed: the unary and stream interceptors' headers, the status of
// ErrNotFound, and the message size limit.
const hookcheckProgram = `package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"example.com/slow/pkg/slowpb"
)

func main() {
	ctx := context.Background()
	conn, err := grpc.NewClient(os.Args[1], grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		panic(err)
	}
	c := slowpb.NewSlowClient(conn)
	var md metadata.MD
	_, err = c.Find(ctx, &slowpb.FindRequest{Name: "x"}, grpc.Header(&md))
	fmt.Printf("find-x %s %v\n", status.Code(err), md.Get("x-unary-hooked"))
	_, err = c.Find(ctx, &slowpb.FindRequest{Name: "y"})
	fmt.Printf("find-y %s %s\n", status.Code(err), status.Convert(err).Message())
	_, err = c.Find(ctx, &slowpb.FindRequest{Name: strings.Repeat("z", 1000)})
	fmt.Printf("find-large %s\n", status.Code(err))
	w, err := healthpb.NewHealthClient(conn).Watch(ctx, &healthpb.HealthCheckRequest{})
	if err != nil {
		panic(err)
	}
	h, err := w.Header()
	fmt.Printf("watch %v %v\n", h.Get("x-stream-hooked"), err)
}
`

// TestServerOptionsEndToEnd: every option of Run, passed from a main.go,
// changes what callers of the real process see over HTTP and gRPC.
func TestServerOptionsEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated service; skipped with -short")
	}
	b := buildSlow(t, map[string]string{"hooked": hookedMain, "hookcheck": hookcheckProgram})
	addr := freeAddr(t)
	s := startServiceWith(t, filepath.Join(b.bins, "hooked"), []string{"GRPC_ADDR=" + addr})

	// WithHTTPMiddleware wraps every route, WithHTTPRoute adds one.
	resp, body := httpGet(t, s.base+"/version")
	if resp.StatusCode != 200 || body != "v1.2.3" || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("GET /version: %d %q, CORS header %q", resp.StatusCode, body, resp.Header.Get("Access-Control-Allow-Origin"))
	}
	// WithErrorStatus: the sentinel error answers 404; other errors are unchanged.
	s.expect("POST", "/find", `{"name":"y"}`, 404, "error", "not found")
	s.expect("POST", "/find", `{"name":"x"}`, 200, "", nil)

	out := run(t, b.mod, filepath.Join(b.bins, "hookcheck"), addr)
	for _, want := range []string{
		"find-x OK [/slow.Slow/Find]",                // WithGRPCUnaryInterceptors
		"find-y NotFound not found",                  // WithErrorStatus over gRPC
		"find-large ResourceExhausted",               // WithGRPCServerOptions(grpc.MaxRecvMsgSize(256))
		"watch [/grpc.health.v1.Health/Watch] <nil>", // WithGRPCStreamInterceptors
	} {
		if !strings.Contains(out, want) {
			t.Errorf("hookcheck output lacks %q:\n%s", want, out)
		}
	}
	// WithEndpointMiddleware and WithRegistry: the caller's collector counts
	// the four calls that reached an endpoint (two over HTTP, two over gRPC),
	// served on /metrics beside Run's own metrics.
	_, metrics := httpGet(t, s.base+"/metrics")
	if !strings.Contains(metrics, "hooked_endpoint_calls_total 4") || !strings.Contains(metrics, `slow_requests_total{method="Find"`) {
		t.Errorf("/metrics lacks the caller's counter at 4 or Run's own metrics:\n%s", metrics)
	}
	s.stop()
}

// httpGet answers the response and body of GET url.
func httpGet(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	must(t, err)
	return resp, string(data)
}

// limitcheckProgram checks the gRPC server's limits: five connections that
// send half of the HTTP/2 client preface and then nothing, and six 1 s
// calls at once on one connection. It reports when the server closed the
// half-open connections and how long the six calls took.
const limitcheckProgram = `package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"example.com/slow/pkg/slowpb"
)

func main() {
	addr := os.Args[1]
	start := time.Now()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var latest time.Duration
	open := 0
	for i := 0; i < 5; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			panic(err)
		}
		if _, err := c.Write([]byte("PRI * HTTP/2.0\r\n")); err != nil {
			panic(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
			buf := make([]byte, 1024)
			for {
				if _, err := c.Read(buf); err != nil {
					mu.Lock()
					if ne, ok := err.(net.Error); ok && ne.Timeout() {
						open++
					}
					latest = max(latest, time.Since(start))
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	fmt.Printf("halfopen open=%d closed-after=%dms\n", open, latest.Milliseconds())

	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		panic(err)
	}
	c := slowpb.NewSlowClient(conn)
	if _, err := c.Sleep(context.Background(), &slowpb.SleepRequest{Ms: 0}); err != nil {
		panic(err)
	}
	start = time.Now()
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Sleep(context.Background(), &slowpb.SleepRequest{Ms: 1000}); err != nil {
				fmt.Println("sleep error:", err)
			}
		}()
	}
	wg.Wait()
	fmt.Printf("streams took=%dms\n", time.Since(start).Milliseconds())
}
`

// reflectcheck reports the gRPC status of a server reflection request.
const reflectcheckProgram = `package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	reflectionpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/grpc/status"
)

func main() {
	conn, err := grpc.NewClient(os.Args[1], grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		panic(err)
	}
	stream, err := reflectionpb.NewServerReflectionClient(conn).ServerReflectionInfo(context.Background())
	if err == nil {
		err = stream.Send(&reflectionpb.ServerReflectionRequest{MessageRequest: &reflectionpb.ServerReflectionRequest_ListServices{}})
	}
	// Send says io.EOF when the server has already ended the stream (with
	// Unimplemented, reflection off): Recv then returns the stream's status.
	if err == nil || err == io.EOF {
		_, err = stream.Recv()
	}
	fmt.Printf("reflection %s\n", status.Code(err))
}
`

// TestServerGRPCLimitsEndToEnd: the gRPC server closes connections that do
// not finish their handshake within -grpc-connection-timeout, and serves at
// most -grpc-max-concurrent-streams calls of one connection at once.
func TestServerGRPCLimitsEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated service; skipped with -short")
	}
	b := buildSlow(t, map[string]string{"limitcheck": limitcheckProgram, "reflectcheck": reflectcheckProgram})
	addr := freeAddr(t)
	s := startServiceWith(t, b.bin, []string{"GRPC_ADDR=" + addr}, "-grpc-connection-timeout", "1s", "-grpc-max-concurrent-streams", "2")
	out := run(t, b.mod, filepath.Join(b.bins, "limitcheck"), addr)
	t.Logf("limitcheck:\n%s", out)
	var open, closedAfter, took int
	if _, err := fmt.Sscanf(out, "halfopen open=%d closed-after=%dms\nstreams took=%dms", &open, &closedAfter, &took); err != nil {
		t.Fatalf("limitcheck output: %v\n%s", err, out)
	}
	if open != 0 || closedAfter < 900 || closedAfter > 3000 {
		t.Errorf("half-open connections: %d still open after 10 s, last closed after %d ms; want all closed after the 1 s handshake timeout", open, closedAfter)
	}
	// Six 1 s calls, two at a time: three rounds.
	if took < 2900 {
		t.Errorf("six 1 s calls on one connection took %d ms: the limit of 2 concurrent streams was not enforced", took)
	}
	// Reflection and /openapi.json are on by default, and can be turned off.
	expectDocs(t, s, b, addr, 200, "reflection OK")
	s.stop()
	addr = freeAddr(t)
	s = startServiceWith(t, b.bin, []string{"GRPC_ADDR=" + addr, "OPENAPI=false"}, "-grpc-reflection=false")
	expectDocs(t, s, b, addr, 404, "reflection Unimplemented")
	s.stop()
}

// expectDocs checks the status of GET /openapi.json and what reflectcheck says.
func expectDocs(t *testing.T, s *service, b slowBuild, addr string, openapi int, reflection string) {
	t.Helper()
	if resp, _ := httpGet(t, s.base+"/openapi.json"); resp.StatusCode != openapi {
		t.Errorf("GET /openapi.json: %d, want %d", resp.StatusCode, openapi)
	}
	if out := run(t, b.mod, filepath.Join(b.bins, "reflectcheck"), addr); !strings.Contains(out, reflection) {
		t.Errorf("reflectcheck: %s, want %s", out, reflection)
	}
}
