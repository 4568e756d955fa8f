package cmd

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// grpcurlVersion is the grpcurl the end-to-end test discovers services
// with, by server reflection: a client that knows nothing of kitforge.
const grpcurlVersion = "v1.9.4"

// grpcurlBin builds grpcurl once per test run, from the module proxy.
var grpcurlBin = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "kitforge-grpcurl-")
	if err != nil {
		return "", err
	}
	cmd := exec.Command("go", "install", "github.com/fullstorydev/grpcurl/cmd/grpcurl@"+grpcurlVersion)
	cmd.Env = append(os.Environ(), "GOBIN="+dir, "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go install grpcurl@%s: %v\n%s", grpcurlVersion, err, out)
	}
	return filepath.Join(dir, "grpcurl"), nil
})

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// grpcurl runs `grpcurl -plaintext FLAGS ADDR ARGS` and returns its combined
// output and whether it succeeded.
func grpcurl(t *testing.T, flags []string, addr string, args ...string) (string, bool) {
	t.Helper()
	bin, err := grpcurlBin()
	if err != nil {
		t.Fatal(err)
	}
	argv := append(append(append([]string{"-plaintext"}, flags...), addr), args...)
	out, err := runErr(t, t.TempDir(), bin, argv...)
	return out, err == nil
}

// expectGRPC calls one method with grpcurl and checks the output contains
// every want; ok says whether the call must succeed.
func expectGRPC(t *testing.T, addr, method, body string, ok bool, want ...string) {
	t.Helper()
	var flags []string
	if body != "" {
		flags = []string{"-d", body}
	}
	out, succeeded := grpcurl(t, flags, addr, method)
	if succeeded != ok {
		t.Errorf("grpcurl %s %s: succeeded=%v, want %v:\n%s", method, body, succeeded, ok, out)
		return
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("grpcurl %s %s: output lacks %q:\n%s", method, body, w, out)
		}
	}
}

// startGRPCService starts the service binary with both listeners on free
// ports and returns it with its gRPC address.
func startGRPCService(t *testing.T, bin string) (*service, string) {
	t.Helper()
	addr := freeAddr(t)
	t.Setenv("GRPC_ADDR", addr)
	s := startService(t, bin) // HTTP answers once both listeners are open
	if !strings.Contains(s.log(), "transport=gRPC addr="+addr) {
		t.Errorf("no gRPC listener log line for %s:\n%s", addr, s.log())
	}
	return s, addr
}

// TestGRPCServiceEndToEnd: kitforge new with HTTP and gRPC, build, run, call
// every method through the generated Go kit gRPC client and through grpcurl
// (reflection, health, error codes), SIGTERM; then change the interface,
// check that regeneration keeps every field number, implement it and call
// every method again.
func TestGRPCServiceEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated gRPC service; skipped with -short")
	}
	bin, err := kitforgeBin()
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	run(t, work, bin, "new", "calc", "--module", "example.com/calc", "--transport", "http,grpc")
	mod := filepath.Join(work, "calc")
	cfg, err := os.ReadFile(filepath.Join(mod, "kitforge.yaml"))
	must(t, err)
	if !strings.Contains(string(cfg), "transports: [http, grpc]") {
		t.Errorf("kitforge.yaml does not record the transports:\n%s", cfg)
	}
	svcBin := filepath.Join(work, "calc-bin")
	run(t, mod, "go", "build", "-o", svcBin, "./cmd/calc")
	run(t, mod, "go", "vet", "./...")
	writeFile(t, filepath.Join(mod, "cmd", "calcgrpc", "main.go"), grpcClientProgram+"\nfunc more(calcservice.Service) {}\n")

	// The stubs: Unimplemented through grpcurl and through the Go kit client.
	s, addr := startGRPCService(t, svcBin)
	out, _ := grpcurl(t, nil, addr, "list")
	for _, want := range []string{"calc.Calc", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection"} {
		if !strings.Contains(out, want) {
			t.Errorf("grpcurl list lacks %s:\n%s", want, out)
		}
	}
	out, _ = grpcurl(t, nil, addr, "describe", "calc.Calc")
	for _, want := range []string{"rpc Sum ( .calc.SumRequest ) returns ( .calc.SumResponse );", "rpc Greet ( .calc.GreetRequest ) returns ( .calc.GreetResponse );"} {
		if !strings.Contains(out, want) {
			t.Errorf("grpcurl describe calc.Calc lacks %q:\n%s", want, out)
		}
	}
	out, _ = grpcurl(t, nil, addr, "describe", "calc.GreetRequest")
	if !strings.Contains(out, "string name = 1;") || !strings.Contains(out, "bool excited = 2;") {
		t.Errorf("grpcurl describe calc.GreetRequest:\n%s", out)
	}
	expectGRPC(t, addr, "calc.Calc/Sum", `{"a":1,"b":2}`, false, "Code: Unimplemented", "Message: not implemented")
	expectGRPC(t, addr, "calc.Calc/Greet", `{"name":"bob"}`, false, "Code: Unimplemented")
	expectGRPC(t, addr, "grpc.health.v1.Health/Check", "", true, `"status": "SERVING"`)
	expectGRPC(t, addr, "grpc.health.v1.Health/Check", `{"service":"calc.Calc"}`, true, `"status": "SERVING"`)
	expectGRPC(t, addr, "grpc.health.v1.Health/Check", `{"service":"nope.Nope"}`, false, "Code: NotFound")
	s.expect("POST", "/sum", `{"a":1,"b":2}`, 501, "error", "not implemented") // HTTP still serves
	got := run(t, mod, "go", "run", "./cmd/calcgrpc", addr)
	for _, want := range []string{"sum: err=not implemented notImplemented=true", "greet: err=not implemented notImplemented=true"} {
		if !strings.Contains(got, want) {
			t.Errorf("Go kit gRPC client output lacks %q:\n%s", want, got)
		}
	}
	s.stop()
	if strings.Contains(s.log(), "transport=gRPC err=") {
		t.Errorf("business errors were logged as transport errors:\n%s", s.log())
	}

	// Field numbers survive a new method and a new struct field.
	iface := filepath.Join(mod, "pkg", "calcservice", "service.go")
	protoFile := filepath.Join(mod, "pkg", "calcpb", "calc.proto")
	editFile(t, iface, "//go:generate", pointType+"\n//go:generate")
	editFile(t, iface, "\t// Greet returns", moveMethod+"\n\t// Greet returns")
	run(t, mod, "go", "generate", "./...")
	before := protoNumbers(t, protoFile)
	editFile(t, iface, "\tY int `json:\"y\"`", "\tLabel string `json:\"label\"`\n\tY int `json:\"y\"`")
	editFile(t, iface, "\t// Sum returns", scaleMethod+"\n\t// Sum returns")
	run(t, mod, "go", "generate", "./...")
	after := protoNumbers(t, protoFile)
	for msg, fields := range before {
		for name, n := range fields {
			if after[msg][name] != n {
				t.Errorf("%s.%s: number %d after regeneration, was %d", msg, name, after[msg][name], n)
			}
		}
	}
	if after["Point"]["label"] != 3 || after["ScaleRequest"]["k"] == 0 {
		t.Errorf("new field and method: Point.label = %d (want 3), ScaleRequest = %v", after["Point"]["label"], after["ScaleRequest"])
	}

	// Implement every method; a negative number is a business error (422).
	writeFile(t, filepath.Join(mod, "pkg", "calcservice", "service_impl.go"), grpcImpl)
	writeFile(t, filepath.Join(mod, "cmd", "calcgrpc", "main.go"), grpcClientProgram+grpcClientMore)
	run(t, mod, "go", "build", "-o", svcBin, "./cmd/calc")
	run(t, mod, "go", "vet", "./...")
	run(t, mod, bin, "generate", "--check")

	s, addr = startGRPCService(t, svcBin)
	expectGRPC(t, addr, "calc.Calc/Sum", `{"a":1,"b":2}`, true, `"v": "3"`)
	expectGRPC(t, addr, "calc.Calc/Sum", `{"a":-1,"b":2}`, false, "Code: FailedPrecondition", "Message: negative numbers are not supported")
	expectGRPC(t, addr, "calc.Calc/Greet", `{"name":"bob","excited":true}`, true, `"v": "Hello, bob!"`)
	expectGRPC(t, addr, "calc.Calc/Move", `{"p":{"x":1,"label":"a","y":2},"dx":4}`, true, `"x": "5"`, `"label": "a"`, `"y": "2"`)
	expectGRPC(t, addr, "calc.Calc/Scale", `{"p":{"x":1,"y":2},"k":3}`, true, `"x": "3"`, `"y": "6"`)
	expectGRPC(t, addr, "grpc.health.v1.Health/Check", `{"service":"calc.Calc"}`, true, `"status": "SERVING"`)
	got = run(t, mod, "go", "run", "./cmd/calcgrpc", addr)
	for _, want := range []string{
		"sum: v=5 err=<nil>", "greet: v=Hello, ann! err=<nil>",
		"negative: code=422 message=negative numbers are not supported",
		"move: v={X:3 Label:b Y:4} err=<nil>", "scale: v={X:-2 Label:c Y:-4} err=<nil>",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Go kit gRPC client output lacks %q:\n%s", want, got)
		}
	}
	if !strings.Contains(s.log(), "method=Move") || !strings.Contains(s.log(), `err="negative numbers are not supported"`) {
		t.Errorf("the logging middleware did not see the gRPC calls:\n%s", s.log())
	}
	// A struct parameter is logged as its JSON, not logfmt's "unsupported value type".
	if want := `p="{\"x\":1,\"label\":\"a\",\"y\":2}" dx=4`; !strings.Contains(s.log(), want) {
		t.Errorf("the log lacks %s:\n%s", want, s.log())
	}
	s.expect("POST", "/sum", `{"a":1,"b":2}`, 200, "v", 3)
	resp, err := http.Get(s.base + "/metrics")
	must(t, err)
	metrics, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	must(t, err)
	if !strings.Contains(string(metrics), `calc_requests_total{method="Scale"`) {
		t.Errorf("/metrics does not count the gRPC calls:\n%s", metrics)
	}
	s.stop()
}

// writeFile writes content to p, creating its directory.
func writeFile(t *testing.T, p, content string) {
	t.Helper()
	must(t, os.MkdirAll(filepath.Dir(p), 0o755))
	must(t, os.WriteFile(p, []byte(content), 0o644))
}

// editFile replaces the first old in the file at p with new.
func editFile(t *testing.T, p, old, new string) {
	t.Helper()
	b, err := os.ReadFile(p)
	must(t, err)
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s lacks %q", p, old)
	}
	must(t, os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644))
}

// protoField matches a field line of a generated schema.
var protoField = regexp.MustCompile(`^\s+(?:optional |repeated )?[\w.<>, ]+ (\w+) = (\d+);`)

// protoNumbers reads a generated schema: message → field → number.
func protoNumbers(t *testing.T, p string) map[string]map[string]int {
	t.Helper()
	f, err := os.Open(p)
	must(t, err)
	defer f.Close()
	out := map[string]map[string]int{}
	var msg string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if name, ok := strings.CutPrefix(line, "message "); ok {
			msg = strings.Fields(name)[0]
			out[msg] = map[string]int{}
			continue
		}
		if m := protoField.FindStringSubmatch(line); m != nil && msg != "" {
			n, _ := strconv.Atoi(m[2])
			out[msg][m[1]] = n
		}
	}
	must(t, sc.Err())
	return out
}

// pointType, moveMethod and scaleMethod change the example interface: a
// struct type and two methods that use it.
const (
	pointType = "// Point is a position on a grid.\ntype Point struct {\n\tX int `json:\"x\"`\n\tY int `json:\"y\"`\n}\n"

	moveMethod = "\t// Move moves p right by dx.\n\tMove(ctx context.Context, p Point, dx int) (Point, error)\n"

	scaleMethod = "\t// Scale multiplies both coordinates of p by k.\n\tScale(ctx context.Context, p Point, k float64) (Point, error)\n"
)

// grpcImpl implements the changed interface.
const grpcImpl = `package calcservice

import "context"

type basicService struct{}

// New returns the calc service implementation.
func New() Service { return basicService{} }

func (basicService) Scale(_ context.Context, p Point, k float64) (Point, error) {
	p.X, p.Y = int(float64(p.X)*k), int(float64(p.Y)*k)
	return p, nil
}

func (basicService) Sum(_ context.Context, a, b int) (int, error) {
	if a < 0 || b < 0 {
		return 0, Errorf(422, "negative numbers are not supported")
	}
	return a + b, nil
}

func (basicService) Move(_ context.Context, p Point, dx int) (Point, error) {
	p.X += dx
	return p, nil
}

func (basicService) Greet(_ context.Context, name string, excited bool) (string, error) {
	if excited {
		return "Hello, " + name + "!", nil
	}
	return "Hello, " + name, nil
}
`

// grpcClientProgram calls the service through the generated Go kit gRPC
// client; grpcClientMore adds the methods of the changed interface.
const grpcClientProgram = `package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"example.com/calc/pkg/calcservice"
	"example.com/calc/pkg/calctransport"
)

var ctx = context.Background()

func main() {
	conn, err := grpc.NewClient(os.Args[1], grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		panic(err)
	}
	defer conn.Close()
	c := calctransport.NewGRPCClient(conn)
	sum, err := c.Sum(ctx, 2, 3)
	report("sum", sum, err)
	g, err := c.Greet(ctx, "ann", true)
	report("greet", g, err)
	_, err = c.Sum(ctx, -2, 3)
	var se *calcservice.StatusError
	if errors.As(err, &se) {
		fmt.Printf("negative: code=%d message=%s\n", se.Code, se.Message)
	}
	more(c)
}

func report(method string, v any, err error) {
	if err != nil {
		fmt.Printf("%s: err=%v notImplemented=%v\n", method, err, errors.Is(err, calcservice.ErrNotImplemented))
		return
	}
	fmt.Printf("%s: v=%+v err=%v\n", method, v, err)
}
`

const grpcClientMore = `
func more(c calcservice.Service) {
	p, err := c.Move(ctx, calcservice.Point{X: 1, Label: "b", Y: 4}, 2)
	report("move", p, err)
	p, err = c.Scale(ctx, calcservice.Point{X: 1, Label: "c", Y: 2}, -2)
	report("scale", p, err)
}
`
