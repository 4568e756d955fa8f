package cmd

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// kitforgeBin builds the kitforge binary once per test run.
var kitforgeBin = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "kitforge-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "kitforge")
	out, err := exec.Command("go", "build", "-o", bin, "..").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build kitforge: %v\n%s", err, out)
	}
	return bin, nil
})

// run runs a command in dir with kitforge on PATH and fails the test on error.
func run(t *testing.T, dir string, name string, args ...string) string {
	t.Helper()
	out, err := runErr(t, dir, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

func runErr(t *testing.T, dir string, name string, args ...string) (string, error) {
	t.Helper()
	bin, err := kitforgeBin()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// service is a generated service running as a real process.
type service struct {
	t    *testing.T
	cmd  *exec.Cmd
	base string
	logs *bytes.Buffer
	mu   *sync.Mutex
	done chan error
}

// startService starts bin on a free port and waits for /healthz.
func startService(t *testing.T, bin string) *service {
	t.Helper()
	return startServiceWith(t, bin, nil)
}

// startServiceWith is startService with extra environment variables and
// arguments.
func startServiceWith(t *testing.T, bin string, env []string, args ...string) *service {
	t.Helper()
	return startServiceOver(t, "http", http.DefaultClient, bin, env, args...)
}

// startServiceOver is startServiceWith with the scheme of the HTTP listener
// and the client that waits for its /healthz.
func startServiceOver(t *testing.T, scheme string, client *http.Client, bin string, env []string, args ...string) *service {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s := &service{t: t, base: scheme + "://" + addr, logs: &bytes.Buffer{}, mu: &sync.Mutex{}, done: make(chan error, 1)}
	s.cmd = exec.Command(bin, append([]string{"-http-addr", addr}, args...)...)
	s.cmd.Env = append(os.Environ(), env...)
	stderr, err := s.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
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
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := client.Get(s.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("service did not become healthy; logs:\n%s", s.log())
	return nil
}

func (s *service) log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logs.String()
}

// stop sends SIGTERM and requires a clean exit.
func (s *service) stop() {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.t.Fatal(err)
	}
	select {
	case err := <-s.done:
		if err != nil {
			s.t.Fatalf("service exited with %v after SIGTERM; logs:\n%s", err, s.log())
		}
	case <-time.After(20 * time.Second):
		s.t.Fatalf("service did not exit after SIGTERM; logs:\n%s", s.log())
	}
	if !strings.Contains(s.log(), "shut down") {
		s.t.Errorf("no shutdown log line:\n%s", s.log())
	}
}

// call makes one HTTP request and returns the status and decoded JSON body.
func (s *service) call(method, path, body string) (int, map[string]any) {
	s.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.base+path, rd)
	if err != nil {
		s.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(data, &out)
	return resp.StatusCode, out
}

// expect checks one call's status and, when field is set, a JSON field.
func (s *service) expect(method, path, body string, status int, field string, want any) {
	s.t.Helper()
	got, out := s.call(method, path, body)
	if got != status {
		s.t.Errorf("%s %s %s: status %d, want %d (body %v)", method, path, body, got, status, out)
		return
	}
	if field != "" && fmt.Sprint(out[field]) != fmt.Sprint(want) {
		s.t.Errorf("%s %s %s: %s = %v, want %v (body %v)", method, path, body, field, out[field], want, out)
	}
}

// TestNewServiceEndToEnd is the first thing a user does: kitforge new, build,
// run, call every route, stop; then implement it, change the interface and
// regenerate with go generate.
func TestNewServiceEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated service; skipped with -short")
	}
	bin, err := kitforgeBin()
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	run(t, work, bin, "new", "calc", "--module", "example.com/calc")
	mod := filepath.Join(work, "calc")
	run(t, mod, "go", "build", "./...")
	run(t, mod, "go", "vet", "./...")
	svcBin := filepath.Join(work, "calc-bin")
	run(t, mod, "go", "build", "-o", svcBin, "./cmd/calc")

	// The scaffolded stubs answer 501; decoding errors answer 400.
	s := startService(t, svcBin)
	s.expect("POST", "/sum", `{"a":1,"b":2}`, 501, "error", "not implemented")
	s.expect("GET", "/greet/bob?excited=true", "", 501, "error", "not implemented")
	s.expect("POST", "/sum", `{"a":`, 400, "", nil)
	s.expect("GET", "/greet/bob?excited=maybe", "", 400, "", nil)
	s.expect("GET", "/nowhere", "", 404, "", nil)
	if code, _ := s.call("GET", "/metrics", ""); code != 200 {
		t.Errorf("/metrics: status %d", code)
	}
	checkProbesServed(t, s, filepath.Join(mod, "deploy", "k8s", "deployment.yaml"))
	checkReadmeCurls(t, s, filepath.Join(mod, "README.md"), 501)
	s.expect("GET", "/openapi.json", "", 200, "openapi", "3.0.3")
	s.stop()

	// Implement the service, with a business error that carries a status.
	impl := filepath.Join(mod, "pkg", "calcservice", "service_impl.go")
	src, err := os.ReadFile(impl)
	must(t, err)
	implemented := strings.Replace(string(src), "return 0, ErrNotImplemented", `if a < 0 || b < 0 {
		return 0, Errorf(422, "negative numbers are not supported")
	}
	return a + b, nil`, 1)
	implemented = strings.Replace(implemented, `return "", ErrNotImplemented`, `if excited {
		return "Hello, " + name + "!", nil
	}
	return "Hello, " + name, nil`, 1)
	must(t, os.WriteFile(impl, []byte(implemented), 0o644))

	// A program that uses the generated HTTP client against the server.
	clientDir := filepath.Join(mod, "cmd", "calcclient")
	must(t, os.MkdirAll(clientDir, 0o755))
	must(t, os.WriteFile(filepath.Join(clientDir, "main.go"), []byte(clientProgram), 0o644))

	// Change the interface: a new method with a path parameter.
	iface := filepath.Join(mod, "pkg", "calcservice", "service.go")
	isrc, err := os.ReadFile(iface)
	must(t, err)
	changed := strings.Replace(string(isrc), "\t// Greet returns", `	// Square returns x*x.
	//
	// kitforge:http GET /square/{x}
	Square(ctx context.Context, x int) (int, error)

	// Greet returns`, 1)
	must(t, os.WriteFile(iface, []byte(changed), 0o644))
	out := run(t, mod, "go", "generate", "./...")
	if !strings.Contains(out, "Square") {
		t.Errorf("go generate did not report the new stub:\n%s", out)
	}
	run(t, mod, "go", "build", "-o", svcBin, "./cmd/calc")
	run(t, mod, "go", "vet", "./...")

	s = startService(t, svcBin)
	s.expect("POST", "/sum", `{"a":1,"b":2}`, 200, "v", 3)
	s.expect("POST", "/sum", `{"a":-1,"b":2}`, 422, "error", "negative numbers are not supported")
	s.expect("GET", "/greet/bob?excited=true", "", 200, "v", "Hello, bob!")
	s.expect("GET", "/greet/al%2Fice", "", 200, "v", "Hello, al/ice")
	s.expect("GET", "/square/7", "", 501, "error", "not implemented")
	s.expect("GET", "/square/seven", "", 400, "", nil)

	got := run(t, mod, "go", "run", "./cmd/calcclient", s.base)
	for _, want := range []string{"sum=5", "greet=Hello, ann!", "negative: code=422", "square: not implemented=true"} {
		if !strings.Contains(got, want) {
			t.Errorf("generated client output lacks %q:\n%s", want, got)
		}
	}
	s.stop()

	// Nothing changed: a rerun writes nothing and --check passes.
	out = run(t, mod, bin, "generate")
	if !strings.Contains(out, "nothing to do") {
		t.Errorf("rerun was not a no-op:\n%s", out)
	}
	run(t, mod, bin, "generate", "--check")
}

const clientProgram = `package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"example.com/calc/pkg/calcservice"
	"example.com/calc/pkg/calctransport"
)

func main() {
	c, err := calctransport.NewHTTPClient(os.Args[1])
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	sum, err := c.Sum(ctx, 2, 3)
	fmt.Printf("sum=%d err=%v\n", sum, err)
	g, err := c.Greet(ctx, "ann", true)
	fmt.Printf("greet=%s err=%v\n", g, err)
	_, err = c.Sum(ctx, -2, 3)
	var se *calcservice.StatusError
	if errors.As(err, &se) {
		fmt.Printf("negative: code=%d msg=%s\n", se.Code, se.Message)
	}
	_, err = c.Square(ctx, 3)
	fmt.Printf("square: not implemented=%v\n", errors.Is(err, calcservice.ErrNotImplemented))
}
`

// checkProbesServed requires every probe path of the Kubernetes Deployment
// to answer 200 on the running service.
func checkProbesServed(t *testing.T, s *service, manifest string) {
	t.Helper()
	data, err := os.ReadFile(manifest)
	must(t, err)
	n := 0
	for _, line := range strings.Split(string(data), "\n") {
		if p, ok := strings.CutPrefix(strings.TrimSpace(line), "path: "); ok {
			n++
			if code, _ := s.call("GET", p, ""); code != 200 {
				t.Errorf("probe %s from %s answers %d", p, filepath.Base(manifest), code)
			}
		}
	}
	if n < 2 {
		t.Errorf("%s has %d probe paths, want liveness and readiness", manifest, n)
	}
}

// checkReadmeCurls runs every curl example of the service's README against
// the running service and requires status want from each.
func checkReadmeCurls(t *testing.T, s *service, readme string, want int) {
	t.Helper()
	if _, err := exec.LookPath("curl"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("curl not found (CI=true): install curl")
		}
		t.Log("curl not found: README examples not run")
		return
	}
	data, err := os.ReadFile(readme)
	must(t, err)
	n := 0
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(line, "curl ") || strings.Contains(line, "/healthz") {
			continue
		}
		n++
		cmdline := strings.Replace(line, "localhost:8080", strings.TrimPrefix(s.base, "http://"), 1) + " -o /dev/null -w '%{http_code}'"
		out, err := exec.Command("sh", "-c", cmdline).Output()
		if err != nil || strings.TrimSpace(string(out)) != fmt.Sprint(want) {
			t.Errorf("README example %q: status %s (err %v), want %d", line, out, err, want)
		}
	}
	if n == 0 {
		t.Errorf("README has no curl examples")
	}
}
