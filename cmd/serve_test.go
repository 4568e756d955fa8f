package cmd

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestGoldenServicesServe builds the server of every golden case, starts it
// and checks that it is healthy and that a scaffolded method answers 501.
func TestGoldenServicesServe(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs generated services; skipped with -short")
	}
	mains, err := filepath.Glob(filepath.Join(goldenDir, "*", "cmd", "*", "main.go"))
	if err != nil || len(mains) == 0 {
		t.Fatalf("no golden main packages: %v", err)
	}
	// One route per case that is served by a scaffolded stub.
	stub := map[string][3]string{
		"calc":       {"POST", "/sum", `{"a":1,"b":2}`},
		"crud":       {"GET", "/users/42", ""},
		"domain":     {"POST", "/stock", `{"sku":"A-1"}`},
		"grpc":       {"POST", "/count", ""},
		"middleware": {"POST", "/count", ""},
		// Auth: every method wants credentials (see authCases).
		"auth_jwt":         {"POST", "/count", ""},
		"proto_auth_basic": {"GET", "/v1/secrets/1", ""},
		// Discovery: each registers with a registry that is not running here;
		// the service serves anyway and shuts down cleanly.
		"discovery_consul":    {"POST", "/add", `{"name":"a","n":1}`},
		"discovery_etcd":      {"POST", "/add", `{"name":"a","n":1}`},
		"discovery_eureka":    {"POST", "/add", `{"name":"a","n":1}`},
		"discovery_zookeeper": {"POST", "/add", `{"name":"a","n":1}`},
		"discovery_dnssrv":    {"POST", "/add", `{"name":"a","n":1}`},
		// Generated from .proto files: HTTP/JSON transcoding of gRPC statuses.
		"proto_amqp":             {"GET", "/v1/orders/1", ""}, // RabbitMQ absent: it serves anyway
		"proto_crud":             {"GET", "/v1/notes/1", ""},
		"proto_discovery_consul": {"GET", "/v1/items/1", ""},
		"proto_imports":          {"GET", "/v1/items/abc/quote", ""},
		"proto_library":          {"GET", "/v1/shelves/1/books/2", ""},
		"proto_middleware":       {"GET", "/v1/accounts/a/balance", ""},
		"proto_nats":             {"GET", "/v1/orders/1", ""}, // NATS absent: it serves anyway
		"proto_streaming":        {"GET", "/v1/ping", ""},
		"proto_versioned":        {"GET", "/v1/users/7", ""},
		// A module of several services: one route per service.
		"system/users":   {"GET", "/users/1", ""},
		"system/catalog": {"GET", "/v1/items/1", ""},
		"system/orders":  {"POST", "/place", `{"user":"u","item":"i"}`},
	}
	// Services from .proto files besides the proto_* cases'.
	protoServices := map[string]bool{"system/catalog": true}
	// Settings a service needs to start besides its defaults: the callees'
	// addresses of a service that calls others.
	startEnv := map[string][]string{"system/orders": {"CATALOG_ADDR=127.0.0.1:1?grpc=1"}}
	perCase := map[string]int{}
	for _, m := range mains {
		perCase[filepath.Base(filepath.Dir(filepath.Dir(filepath.Dir(m))))]++
	}
	for _, m := range mains {
		pkgDir := filepath.Dir(m)
		caseName := filepath.Base(filepath.Dir(filepath.Dir(pkgDir)))
		key, readme := caseName, filepath.Join(goldenDir, caseName, "README.md")
		if perCase[caseName] > 1 { // each service's README is beside its main.go
			key, readme = caseName+"/"+filepath.Base(pkgDir), filepath.Join(pkgDir, "README.md")
		}
		t.Run(key, func(t *testing.T) {
			grpcAddr := "127.0.0.1:" + strconv.Itoa(freePort(t)) // for services with gRPC
			t.Setenv("GRPC_ADDR", grpcAddr)
			bin := filepath.Join(t.TempDir(), "svc")
			rel, _ := filepath.Rel(goldenDir, pkgDir)
			run(t, goldenDir, "go", "build", "-o", bin, "./"+filepath.ToSlash(rel))
			auth, authed := authCases[caseName]
			s := startServiceWith(t, bin, append(auth.env, startEnv[key]...))
			want := readmeAnswer{http: "501", grpc: "Unimplemented"}
			if r, ok := stub[key]; ok {
				switch {
				case authed: // the README's examples carry no credentials
					want = readmeAnswer{http: "401", grpc: "Unauthenticated"}
					s.expect(r[0], r[1], r[2], 401, "", nil)
				case strings.HasPrefix(caseName, "proto_") || protoServices[key]: // {"error": {"code", "message", "status"}}
					s.expect(r[0], r[1], r[2], 501, "error", map[string]any{"code": 501, "message": "not implemented", "status": "UNIMPLEMENTED"})
				default:
					s.expect(r[0], r[1], r[2], 501, "error", "not implemented")
				}
				s.expect("GET", "/openapi.json", "", 200, "openapi", "3.0.3")
			} else {
				t.Errorf("no stub route listed for golden case %s", key)
			}
			// The middleware case validates e-mail addresses; "example" is not one.
			want.rejected = map[string]string{"middleware": "not an e-mail address"}[caseName]
			checkReadmeExamples(t, readme, s.base, grpcAddr, want)
			s.stop()
		})
	}
}

// readmeAnswer is what a README example must get from a golden service:
// the stub's 501 and Unimplemented, or 401 and Unauthenticated where the
// service requires credentials the examples do not carry; a 400 whose
// body holds rejected is a validation hook at work.
type readmeAnswer struct{ http, grpc, rejected string }

// authCases are the golden services that refuse to start without their
// credentials (secure defaults), with the settings the test gives them.
var authCases = map[string]struct{ env []string }{
	"auth_jwt":         {env: []string{"JWT_SECRET=0123456789abcdef0123456789abcdef"}},
	"proto_auth_basic": {env: []string{"BASIC_AUTH_USER=kit", "BASIC_AUTH_PASSWORD=forge-secret"}},
}

// checkReadmeExamples runs the curl and grpcurl lines of a service's README
// against the running service (with its stubs): each must reach the method,
// so curl gets 501 and grpcurl Unimplemented, never a 400 or an
// InvalidArgument from a sample the service cannot decode. A 400 whose body
// holds rejected (non-empty) is a validation hook turning the sample down,
// which is what the hook is for.
func checkReadmeExamples(t *testing.T, readme, httpBase, grpcAddr string, want readmeAnswer) {
	rejected := want.rejected
	t.Helper()
	data, err := os.ReadFile(readme)
	must(t, err)
	table := string(data)
	if i := strings.Index(table, "<!-- kitforge:endpoints:start -->"); i >= 0 {
		table = table[i:]
	}
	ran := 0
	for line := range strings.Lines(table) {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "curl "):
			line = strings.Replace(line, "localhost:8080", strings.TrimPrefix(httpBase, "http://"), 1)
			out, _ := exec.Command("bash", "-c", line+` -w '\n%{http_code}'`).CombinedOutput()
			i := strings.LastIndexByte(string(out), '\n')
			body, code := string(out[:i+1]), string(out[i+1:])
			if code != want.http && !(code == "400" && rejected != "" && strings.Contains(body, rejected)) {
				t.Errorf("README example %s\nanswered %s %s, want %s", line, code, body, want.http)
			}
		case strings.HasPrefix(line, "grpcurl ") && strings.Contains(line, " -d "):
			bin, err := grpcurlBin()
			if err != nil {
				t.Fatal(err)
			}
			line = strings.Replace(strings.Replace(line, "grpcurl", bin, 1), "localhost:8081", grpcAddr, 1)
			out, _ := exec.Command("bash", "-c", line).CombinedOutput()
			if !strings.Contains(string(out), "Code: "+want.grpc) &&
				!(strings.Contains(string(out), "Code: InvalidArgument") && rejected != "" && strings.Contains(string(out), rejected)) {
				t.Errorf("README example %s\nanswered %s, want %s", line, out, want.grpc)
			}
		default:
			continue
		}
		ran++
	}
	if ran == 0 {
		t.Errorf("%s has no curl or grpcurl example", readme)
	}
}

// TestGenerateIntoExistingModule runs the first `generate` in a module that
// kitforge did not make: go.mod gains the requirements (and the go version)
// the generated code needs, go.sum its checksums, and the module builds.
func TestGenerateIntoExistingModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated service; skipped with -short")
	}
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/shop\n\ngo 1.22\n",
		"pkg/orders/service.go": `// Package orders takes orders.
package orders

import "context"

// Service takes orders.
type Service interface {
	// Place places an order and returns its id.
	Place(ctx context.Context, sku string, qty int) (string, error)
}
`,
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, []byte(data), 0o644))
	}
	var stdout, stderr bytes.Buffer
	if code := Execute(context.Background(), []string{"-C", dir, "generate", "./pkg/orders"}, &stdout, &stderr); code != 0 {
		t.Fatalf("generate exited %d:\n%s%s", code, stdout.String(), stderr.String())
	}
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	must(t, err)
	for _, want := range []string{"github.com/go-kit/kit v0.13.0", "go 1.26.0"} {
		if !strings.Contains(string(gomod), want) {
			t.Errorf("go.mod lacks %q:\n%s", want, gomod)
		}
	}
	if !strings.Contains(stdout.String(), "merged     go.mod") && !strings.Contains(stdout.String(), "go.mod") {
		t.Errorf("generate did not report the go.mod change:\n%s", stdout.String())
	}
	run(t, dir, "go", "build", "./...")
	run(t, dir, "go", "vet", "./...")
}
