package cmd

import (
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
