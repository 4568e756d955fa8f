package cmd

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The middleware end-to-end tests generate services with the middleware
// toggles, build them and run them as real processes: rate limit, circuit
// breaker, JWT (HS256 and RS256), validation and tracing in one service
// (shop, HTTP and gRPC), basic auth in another (vault).

// shopService is the interface of the shop test service: Place takes a
// parameter with a Validate method, Flaky fails on demand, Whoami reads the
// caller's JWT claims.
const shopService = `// Package shopservice is a shop.
package shopservice

import (
	"context"
	"errors"
)

// Order is an order line.
type Order struct {
	Item string ` + "`json:\"item\"`" + `
	Qty  int    ` + "`json:\"qty\"`" + `
}

// Validate is kitforge's validation hook: the server calls it before Place.
func (o Order) Validate() error {
	if o.Qty <= 0 {
		return errors.New("qty must be positive")
	}
	return nil
}

// Service is the shop.
//
//kitforge:service
type Service interface {
	// Place places an order.
	Place(ctx context.Context, o Order) (string, error)
	// Flaky fails with status code, unless code is 0.
	Flaky(ctx context.Context, code int) (string, error)
	// Whoami returns the subject of the caller's JWT.
	Whoami(ctx context.Context) (string, error)
}
`

// shopImpl implements shopService.
const shopImpl = `// Scaffolded by kitforge: this file is yours to edit. kitforge adds stubs for new methods and never deletes your code.

package shopservice

import (
	"context"
	"errors"
	"fmt"

	kitjwt "github.com/go-kit/kit/auth/jwt"
	"github.com/golang-jwt/jwt/v5"
)

type basicService struct{}

// New returns the shop.
func New() Service { return basicService{} }

func (basicService) Place(_ context.Context, o Order) (string, error) {
	return fmt.Sprintf("%d x %s", o.Qty, o.Item), nil
}

func (basicService) Flaky(_ context.Context, code int) (string, error) {
	if code != 0 {
		return "", Errorf(code, "backend down")
	}
	return "ok", nil
}

func (basicService) Whoami(ctx context.Context) (string, error) {
	claims, ok := ctx.Value(kitjwt.JWTClaimsContextKey).(*jwt.RegisteredClaims)
	if !ok {
		return "", errors.New("no claims")
	}
	return claims.Subject, nil
}
`

// mwcheckProgram is a helper built in the shop module: it signs tokens with
// the JWT library the generated code uses, calls a running server through
// the generated clients with their bearer options, and checks that spans are
// linked across the generated clients and servers (HTTP and gRPC) with an
// in-memory span recorder.
const mwcheckProgram = `package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/go-kit/log"
	"github.com/golang-jwt/jwt/v5"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"example.com/shop/pkg/shopendpoint"
	"example.com/shop/pkg/shoppb"
	"example.com/shop/pkg/shopservice"
	"example.com/shop/pkg/shoptransport"
)

func main() {
	var err error
	switch os.Args[1] {
	case "keygen": // keygen PRIVATE.pem PUBLIC.pem
		err = keygen(os.Args[2], os.Args[3])
	case "token": // token hs256|rs256 SECRET|PRIVATE.pem SUBJECT TTL
		err = token(os.Args[2], os.Args[3], os.Args[4], os.Args[5])
	case "clients": // clients HTTPADDR GRPCADDR TOKEN
		err = clients(os.Args[2], os.Args[3], os.Args[4])
	case "trace":
		err = traces()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func keygen(private, public string) error {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return err
	}
	if err := os.WriteFile(private, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}), 0o600); err != nil {
		return err
	}
	return os.WriteFile(public, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}), 0o644)
}

func token(alg, key, subject, ttl string) error {
	d, err := time.ParseDuration(ttl)
	if err != nil {
		return err
	}
	claims := jwt.RegisteredClaims{Subject: subject, ExpiresAt: jwt.NewNumericDate(time.Now().Add(d))}
	var signed string
	switch alg {
	case "hs256":
		signed, err = jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(key))
	case "rs256":
		data, rerr := os.ReadFile(key)
		if rerr != nil {
			return rerr
		}
		private, perr := jwt.ParseRSAPrivateKeyFromPEM(data)
		if perr != nil {
			return perr
		}
		signed, err = jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(private)
	}
	fmt.Print(signed)
	return err
}

// outcome renders a call's result as "ok:VALUE" or "status:CODE".
func outcome(v string, err error) string {
	var se *shopservice.StatusError
	if errors.As(err, &se) {
		return fmt.Sprintf("status:%d", se.Code)
	}
	if err != nil {
		return "error:" + err.Error()
	}
	return "ok:" + v
}

func clients(httpAddr, grpcAddr, tok string) error {
	ctx := context.Background()
	out := map[string]string{}
	anon, err := shoptransport.NewHTTPClient(httpAddr)
	if err != nil {
		return err
	}
	out["http-anonymous"] = outcome(anon.Whoami(ctx))
	authed, err := shoptransport.NewHTTPClient(httpAddr, shoptransport.HTTPClientBearer(tok))
	if err != nil {
		return err
	}
	out["http-bearer"] = outcome(authed.Whoami(ctx))
	conn, err := grpc.NewClient(grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	out["grpc-anonymous"] = outcome(shoptransport.NewGRPCClient(conn).Whoami(ctx))
	out["grpc-bearer"] = outcome(shoptransport.NewGRPCClient(conn, shoptransport.GRPCClientBearer(tok)).Whoami(ctx))
	return json.NewEncoder(os.Stdout).Encode(out)
}

// span is what the test checks of a recorded span.
type span struct {
	Name, Kind, Trace, ID, Parent string
	Remote                        bool
}

// traces serves the shop in this process over HTTP and gRPC with server
// spans, calls it through the generated clients with client spans, and
// prints every span the recorder saw.
func traces() error {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	prop := propagation.TraceContext{}
	logger := log.NewNopLogger()
	server := shopendpoint.Wrap(shopendpoint.New(shopservice.New()), shopendpoint.TracingMiddleware(tp.Tracer("server"), trace.SpanKindServer))

	hl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go http.Serve(hl, shoptransport.NewHTTPHandler(server, logger, shoptransport.HTTPServerTracing(prop)))
	gl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	gs := grpc.NewServer()
	shoppb.RegisterShopServer(gs, shoptransport.NewGRPCServer(server, logger, shoptransport.GRPCServerTracing(prop)))
	go gs.Serve(gl)
	defer gs.Stop()

	clientSpans := shopendpoint.TracingMiddleware(tp.Tracer("client"), trace.SpanKindClient)
	hc, err := shoptransport.NewHTTPClient(hl.Addr().String(), shoptransport.HTTPClientTracing(prop))
	if err != nil {
		return err
	}
	if _, err := shopendpoint.Wrap(hc.(shopendpoint.Set), clientSpans).Place(context.Background(), shopservice.Order{Item: "tea", Qty: 1}); err != nil {
		return fmt.Errorf("http call: %w", err)
	}
	conn, err := grpc.NewClient(gl.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	gc := shoptransport.NewGRPCClient(conn, shoptransport.GRPCClientTracing(prop))
	if _, err := shopendpoint.Wrap(gc.(shopendpoint.Set), clientSpans).Flaky(context.Background(), 500); err == nil {
		return errors.New("grpc call: Flaky(500) succeeded")
	}
	var out []span
	for _, s := range rec.Ended() {
		out = append(out, span{
			Name: s.Name(), Kind: s.SpanKind().String(),
			Trace: s.SpanContext().TraceID().String(), ID: s.SpanContext().SpanID().String(),
			Parent: s.Parent().SpanID().String(), Remote: s.Parent().IsRemote(),
		})
	}
	return json.NewEncoder(os.Stdout).Encode(out)
}
`

// callWith makes one HTTP request with headers and returns the status, the
// response headers and the decoded JSON body.
func (s *service) callWith(method, path, body string, header http.Header) (int, http.Header, map[string]any) {
	s.t.Helper()
	req, err := http.NewRequest(method, s.base+path, strings.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(data, &out)
	return resp.StatusCode, resp.Header, out
}

// bearer is the Authorization header of a bearer token.
func bearer(token string) http.Header { return http.Header{"Authorization": {"Bearer " + token}} }

// shopBuild is the built shop service.
type shopBuild struct{ dir, bin, helper string }

// buildShop generates the shop with every toggle but basicauth, builds it
// and its helper program, and returns where they are.
func buildShop(t *testing.T) shopBuild {
	t.Helper()
	bin, err := kitforgeBin()
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	run(t, work, bin, "new", "shop", "--module", "example.com/shop", "--transport", "http,grpc",
		"--middleware", "tracing,ratelimit,jwt,validate,circuitbreaker")
	mod := filepath.Join(work, "shop")
	cfg, err := os.ReadFile(filepath.Join(mod, "kitforge.yaml"))
	must(t, err)
	if !strings.Contains(string(cfg), "middleware: [tracing, ratelimit, jwt, validate, circuitbreaker]") {
		t.Errorf("kitforge.yaml does not record the middleware:\n%s", cfg)
	}
	writeFile(t, filepath.Join(mod, "pkg", "shopservice", "service.go"), shopService)
	writeFile(t, filepath.Join(mod, "pkg", "shopservice", "service_impl.go"), shopImpl)
	run(t, mod, bin, "generate")
	writeFile(t, filepath.Join(mod, "cmd", "mwcheck", "main.go"), mwcheckProgram)
	bins := filepath.Join(work, "bin")
	b := shopBuild{dir: mod, bin: filepath.Join(bins, "shop"), helper: filepath.Join(bins, "mwcheck")}
	run(t, mod, "go", "build", "-o", bins+string(filepath.Separator), "./cmd/shop", "./cmd/mwcheck")
	run(t, mod, "go", "vet", "./...")
	return b
}

// TestMiddlewareEndToEnd runs the shop with each middleware's settings and
// checks what callers see over HTTP (net/http), over gRPC (grpcurl) and
// through the generated clients.
func TestMiddlewareEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs generated services; skipped with -short")
	}
	shop := buildShop(t)
	const secret = "s3cret-for-tests-of-32-bytes-min"
	token := func(args ...string) string {
		return run(t, shop.dir, shop.helper, append([]string{"token"}, args...)...)
	}
	alice := token("hs256", secret, "alice", "1h")
	jwtEnv := []string{"JWT_SECRET=" + secret}

	t.Run("jwt", func(t *testing.T) {
		grpcAddr := freeAddr(t)
		s := startServiceWith(t, shop.bin, append(jwtEnv, "GRPC_ADDR="+grpcAddr))
		code, h, body := s.callWith("POST", "/whoami", "", nil)
		if code != 401 || h.Get("WWW-Authenticate") != `Bearer realm="shop"` {
			t.Errorf("no token: %d %q %v, want 401 with a Bearer challenge", code, h.Get("WWW-Authenticate"), body)
		}
		for name, bad := range map[string]string{
			"other key":  token("hs256", "another-secret", "alice", "1h"),
			"expired":    token("hs256", secret, "alice", "-1m"),
			"malformed":  "not.a.jwt",
			"empty":      "",
			"basic auth": "",
		} {
			hdr := bearer(bad)
			if name == "basic auth" {
				hdr = http.Header{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte("alice:x"))}}
			}
			if code, _, body := s.callWith("POST", "/whoami", "", hdr); code != 401 {
				t.Errorf("%s token: status %d (%v), want 401", name, code, body)
			}
		}
		if code, _, body := s.callWith("POST", "/whoami", "", bearer(alice)); code != 200 || body["v"] != "alice" {
			t.Errorf("valid token: %d %v, want 200 alice", code, body)
		}
		expectGRPC(t, grpcAddr, "shop.Shop/Whoami", "", false, "Code: Unauthenticated")
		out, ok := grpcurl(t, []string{"-H", "authorization: Bearer " + alice}, grpcAddr, "shop.Shop/Whoami")
		if !ok || !strings.Contains(out, `"v": "alice"`) {
			t.Errorf("grpcurl with a valid token:\n%s", out)
		}
		// The generated clients send the token with their bearer options.
		var clients map[string]string
		must(t, json.Unmarshal([]byte(run(t, shop.dir, shop.helper, "clients", strings.TrimPrefix(s.base, "http://"), grpcAddr, alice)), &clients))
		for k, want := range map[string]string{"http-anonymous": "status:401", "http-bearer": "ok:alice", "grpc-anonymous": "status:401", "grpc-bearer": "ok:alice"} {
			if clients[k] != want {
				t.Errorf("generated client %s: %s, want %s", k, clients[k], want)
			}
		}
		s.stop()
	})

	t.Run("jwt-rs256", func(t *testing.T) {
		dir := t.TempDir()
		private, public := filepath.Join(dir, "key.pem"), filepath.Join(dir, "key.pub.pem")
		run(t, shop.dir, shop.helper, "keygen", private, public)
		s := startServiceWith(t, shop.bin, []string{"GRPC_ADDR=" + freeAddr(t)}, "-jwt-public-key", public)
		if code, _, body := s.callWith("POST", "/whoami", "", bearer(token("rs256", private, "bob", "1h"))); code != 200 || body["v"] != "bob" {
			t.Errorf("RS256 token: %d %v, want 200 bob", code, body)
		}
		if code, _, _ := s.callWith("POST", "/whoami", "", bearer(alice)); code != 401 {
			t.Errorf("HS256 token on an RS256 server: %d, want 401", code)
		}
		s.stop()
	})

	t.Run("jwt-no-key", func(t *testing.T) {
		out, err := runErr(t, shop.dir, shop.bin, "-http-addr", freeAddr(t), "-grpc-addr", freeAddr(t))
		if err == nil || !strings.Contains(out, "jwt: set -jwt-secret") {
			t.Errorf("a JWT server without a key must refuse to start: %v\n%s", err, out)
		}
	})

	t.Run("ratelimit", func(t *testing.T) {
		grpcAddr := freeAddr(t)
		// One call every 5 s after a burst of 3: the calls below come faster.
		s := startServiceWith(t, shop.bin, append(jwtEnv, "GRPC_ADDR="+grpcAddr), "-rate-limit", "0.2", "-rate-burst", "3")
		var codes []int
		for range 5 {
			code, _, _ := s.callWith("POST", "/whoami", "", bearer(alice))
			codes = append(codes, code)
		}
		if want := []int{200, 200, 200, 429, 429}; !equalInts(codes, want) {
			t.Errorf("statuses %v, want %v", codes, want)
		}
		code, _, body := s.callWith("POST", "/whoami", "", bearer(alice))
		if code != 429 || body["error"] != "rate limit exceeded" {
			t.Errorf("over the limit: %d %v", code, body)
		}
		out, _ := grpcurl(t, []string{"-H", "authorization: Bearer " + alice}, grpcAddr, "shop.Shop/Whoami")
		if !strings.Contains(out, "Code: ResourceExhausted") {
			t.Errorf("grpcurl over the limit:\n%s", out)
		}
		s.stop()
	})

	t.Run("validate", func(t *testing.T) {
		grpcAddr := freeAddr(t)
		s := startServiceWith(t, shop.bin, append(jwtEnv, "GRPC_ADDR="+grpcAddr))
		if code, _, body := s.callWith("POST", "/place", `{"o":{"item":"tea","qty":0}}`, bearer(alice)); code != 400 || body["error"] != "qty must be positive" {
			t.Errorf("invalid order: %d %v, want 400 qty must be positive", code, body)
		}
		if code, _, body := s.callWith("POST", "/place", `{"o":{"item":"tea","qty":2}}`, bearer(alice)); code != 200 || body["v"] != "2 x tea" {
			t.Errorf("valid order: %d %v", code, body)
		}
		// Authentication comes first: an anonymous invalid order is a 401.
		if code, _, _ := s.callWith("POST", "/place", `{"o":{"item":"tea","qty":0}}`, nil); code != 401 {
			t.Errorf("anonymous invalid order: %d, want 401", code)
		}
		out, _ := grpcurl(t, []string{"-H", "authorization: Bearer " + alice, "-d", `{"o":{"item":"tea","qty":0}}`}, grpcAddr, "shop.Shop/Place")
		if !strings.Contains(out, "Code: InvalidArgument") || !strings.Contains(out, "qty must be positive") {
			t.Errorf("grpcurl invalid order:\n%s", out)
		}
		s.stop()
	})

	t.Run("circuitbreaker", func(t *testing.T) {
		grpcAddr := freeAddr(t)
		s := startServiceWith(t, shop.bin, append(jwtEnv, "GRPC_ADDR="+grpcAddr), "-breaker-failures", "3", "-breaker-timeout", "2s")
		flaky := func(status int) (int, map[string]any) {
			code, _, body := s.callWith("POST", "/flaky", fmt.Sprintf(`{"code":%d}`, status), bearer(alice))
			return code, body
		}
		// Business errors that are not failures (4xx, 501) do not count.
		for _, status := range []int{404, 409, 501, 404, 409} {
			if code, _ := flaky(status); code != status {
				t.Fatalf("Flaky(%d): %d", status, code)
			}
		}
		for i := range 3 {
			if code, body := flaky(500); code != 500 || body["error"] != "backend down" {
				t.Fatalf("failure %d: %d %v, want 500 backend down", i+1, code, body)
			}
		}
		opened := time.Now()
		if code, body := flaky(0); code != 503 || body["error"] != "circuit breaker is open" {
			t.Errorf("after 3 failures: %d %v, want 503 circuit breaker is open", code, body)
		}
		out, _ := grpcurl(t, []string{"-H", "authorization: Bearer " + alice, "-d", `{"code":0}`}, grpcAddr, "shop.Shop/Flaky")
		if !strings.Contains(out, "Code: Unavailable") {
			t.Errorf("grpcurl while open:\n%s", out)
		}
		// One breaker per method: the others still serve.
		if code, _, _ := s.callWith("POST", "/whoami", "", bearer(alice)); code != 200 {
			t.Errorf("Whoami while Flaky's breaker is open: %d", code)
		}
		if time.Since(opened) > 2*time.Second {
			t.Fatalf("the checks of the open breaker took %v, longer than its timeout", time.Since(opened))
		}
		time.Sleep(2*time.Second - time.Since(opened) + 200*time.Millisecond)
		for i := range 3 { // the trial call closes it again
			if code, body := flaky(0); code != 200 || body["v"] != "ok" {
				t.Errorf("after the timeout, call %d: %d %v, want 200", i+1, code, body)
			}
		}
		for _, want := range []string{"circuitbreaker=Flaky from=closed to=open", "circuitbreaker=Flaky from=open to=half-open", "circuitbreaker=Flaky from=half-open to=closed"} {
			if !strings.Contains(s.log(), want) {
				t.Errorf("log lacks %q:\n%s", want, s.log())
			}
		}
		s.stop()
	})

	t.Run("tracing", func(t *testing.T) {
		var spans []struct {
			Name, Kind, Trace, ID, Parent string
			Remote                        bool
		}
		must(t, json.Unmarshal([]byte(run(t, shop.dir, shop.helper, "trace")), &spans))
		for _, method := range []string{"Place", "Flaky"} {
			name := "shop.Shop/" + method
			var client, server int = -1, -1
			for i, s := range spans {
				if s.Name == name && s.Kind == "client" {
					client = i
				}
				if s.Name == name && s.Kind == "server" {
					server = i
				}
			}
			if client < 0 || server < 0 {
				t.Errorf("%s: no client and server spans in %+v", name, spans)
				continue
			}
			c, s := spans[client], spans[server]
			if s.Trace != c.Trace || s.Parent != c.ID || !s.Remote {
				t.Errorf("%s: server span %+v is not the remote child of client span %+v", name, s, c)
			}
		}
	})

	t.Run("tracing-otlp", func(t *testing.T) {
		// A stand-in OTLP/HTTP collector on 127.0.0.1: the server's batch of
		// spans must carry the trace and parent ids of the caller's traceparent.
		collector := newOTLPCollector(t)
		s := startServiceWith(t, shop.bin, append(jwtEnv, "GRPC_ADDR="+freeAddr(t)), "-otlp-endpoint", collector.URL)
		traceID, parentID := randomBytes(t, 16), randomBytes(t, 8)
		hdr := bearer(alice)
		hdr.Set("traceparent", "00-"+hex.EncodeToString(traceID)+"-"+hex.EncodeToString(parentID)+"-01")
		if code, _, body := s.callWith("POST", "/whoami", "", hdr); code != 200 {
			t.Fatalf("traced call: %d %v", code, body)
		}
		s.stop() // flushes the batch
		all, n := collector.received()
		if n == 0 || !bytes.Contains(all, traceID) || !bytes.Contains(all, parentID) || !bytes.Contains(all, []byte("shop.Shop/Whoami")) {
			t.Errorf("the collector got %d batches without the span of shop.Shop/Whoami in trace %x under %x", n, traceID, parentID)
		}
	})
}

// TestBasicAuthEndToEnd generates a service with basic auth and checks that
// calls without the right credentials answer 401 / Unauthenticated, and that
// the generated clients send credentials.
func TestBasicAuthEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated service; skipped with -short")
	}
	bin, err := kitforgeBin()
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	run(t, work, bin, "new", "vault", "--module", "example.com/vault", "--transport", "http,grpc", "--middleware", "basicauth")
	mod := filepath.Join(work, "vault")
	writeFile(t, filepath.Join(mod, "cmd", "basiccheck", "main.go"), basicCheckProgram)
	bins := filepath.Join(work, "bin")
	svcBin, helper := filepath.Join(bins, "vault"), filepath.Join(bins, "basiccheck")
	run(t, mod, "go", "build", "-o", bins+string(filepath.Separator), "./cmd/vault", "./cmd/basiccheck")
	run(t, mod, "go", "vet", "./...")

	out, err := runErr(t, mod, svcBin, "-http-addr", freeAddr(t), "-grpc-addr", freeAddr(t))
	if err == nil || !strings.Contains(out, "basic auth: set -basic-auth-user") {
		t.Errorf("a basic auth server without credentials must refuse to start: %v\n%s", err, out)
	}
	out, err = runEnvErr(t, svcBin, []string{"BASIC_AUTH_USER=ann", "BASIC_AUTH_PASSWORD="}, "-http-addr", freeAddr(t), "-grpc-addr", freeAddr(t))
	if err == nil || !strings.Contains(out, "basic auth: the password is empty") {
		t.Errorf("a basic auth server with an empty password must refuse to start: %v\n%s", err, out)
	}

	grpcAddr := freeAddr(t)
	s := startServiceWith(t, svcBin, []string{"GRPC_ADDR=" + grpcAddr, "BASIC_AUTH_USER=ann", "BASIC_AUTH_PASSWORD=pw"})
	basic := func(user, password string) http.Header {
		return http.Header{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))}}
	}
	code, h, _ := s.callWith("POST", "/sum", `{"a":1,"b":2}`, nil)
	if code != 401 || h.Get("WWW-Authenticate") != `Basic realm="vault"` {
		t.Errorf("no credentials: %d %q, want 401 with a Basic challenge", code, h.Get("WWW-Authenticate"))
	}
	for _, hdr := range []http.Header{basic("ann", "wrong"), basic("bob", "pw"), bearer("pw")} {
		if code, _, _ := s.callWith("POST", "/sum", `{"a":1,"b":2}`, hdr); code != 401 {
			t.Errorf("%v: %d, want 401", hdr, code)
		}
	}
	// The right credentials reach the scaffolded stub.
	if code, _, _ := s.callWith("POST", "/sum", `{"a":1,"b":2}`, basic("ann", "pw")); code != 501 {
		t.Errorf("right credentials: %d, want 501 from the stub", code)
	}
	// The scheme is matched in any case (RFC 7617).
	for _, scheme := range []string{"basic", "BASIC"} {
		hdr := http.Header{"Authorization": {scheme + " " + base64.StdEncoding.EncodeToString([]byte("ann:pw"))}}
		if code, _, _ := s.callWith("POST", "/sum", `{"a":1,"b":2}`, hdr); code != 501 {
			t.Errorf("scheme %q with the right credentials: %d, want 501", scheme, code)
		}
	}
	out, _ = grpcurl(t, []string{"-H", "authorization: basic " + base64.StdEncoding.EncodeToString([]byte("ann:pw"))}, grpcAddr, "vault.Vault/Sum")
	if !strings.Contains(out, "Code: Unimplemented") {
		t.Errorf("grpcurl with the lowercase basic scheme:\n%s", out)
	}
	expectGRPC(t, grpcAddr, "vault.Vault/Sum", `{"a":1}`, false, "Code: Unauthenticated")
	expectGRPC(t, grpcAddr, "grpc.health.v1.Health/Check", "", true, `"status": "SERVING"`) // probes need no credentials
	out, _ = grpcurl(t, []string{"-H", "authorization: Basic " + base64.StdEncoding.EncodeToString([]byte("ann:pw"))}, grpcAddr, "vault.Vault/Sum")
	if !strings.Contains(out, "Code: Unimplemented") {
		t.Errorf("grpcurl with the right credentials:\n%s", out)
	}
	got := run(t, mod, helper, strings.TrimPrefix(s.base, "http://"), grpcAddr)
	if want := "http wrong:401 http right:501 grpc wrong:401 grpc right:501\n"; got != want {
		t.Errorf("generated clients: %q, want %q", got, want)
	}
	s.stop()
}

// basicCheckProgram calls the vault through the generated clients with their
// basic auth options, with wrong and right credentials.
const basicCheckProgram = `package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"example.com/vault/pkg/vaultservice"
	"example.com/vault/pkg/vaulttransport"
)

func status(err error) int {
	var se *vaultservice.StatusError
	if errors.As(err, &se) {
		return se.Code
	}
	return 0
}

func main() {
	ctx := context.Background()
	conn, err := grpc.NewClient(os.Args[2], grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		panic(err)
	}
	for _, pw := range []string{"wrong", "right"} {
		password := map[string]string{"wrong": "nope", "right": "pw"}[pw]
		c, err := vaulttransport.NewHTTPClient(os.Args[1], vaulttransport.HTTPClientBasicAuth("ann", password))
		if err != nil {
			panic(err)
		}
		_, err = c.Sum(ctx, 1, 2)
		fmt.Printf("http %s:%d ", pw, status(err))
	}
	for i, pw := range []string{"wrong", "right"} {
		password := map[string]string{"wrong": "nope", "right": "pw"}[pw]
		_, err := vaulttransport.NewGRPCClient(conn, vaulttransport.GRPCClientBasicAuth("ann", password)).Sum(ctx, 1, 2)
		sep := " "
		if i == 1 {
			sep = "\n"
		}
		fmt.Printf("grpc %s:%d%s", pw, status(err), sep)
	}
}
`

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func randomBytes(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// TestMiddlewareToggleOff turns the middlewares on and off again with
// --middleware: their files come and go, and without them the server is
// generated as if they had never been on.
func TestMiddlewareToggleOff(t *testing.T) {
	dir := t.TempDir()
	gen := func(args ...string) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if code := Execute(context.Background(), append([]string{"-C", dir}, args...), &stdout, &stderr); code != 0 {
			t.Fatalf("kitforge %s exited %d:\n%s%s", strings.Join(args, " "), code, stdout.String(), stderr.String())
		}
	}
	gen("new", "calc", "--dir", "calc")
	dir = filepath.Join(dir, "calc")
	server := filepath.Join(dir, "pkg", "calcserver", "server_gen.go")
	plain, err := os.ReadFile(server)
	must(t, err)
	files := []string{"pkg/calcendpoint/middleware_gen.go", "pkg/calctransport/middleware_gen.go", "pkg/calcserver/middleware_gen.go"}
	gen("generate", "--middleware", "tracing,jwt,ratelimit")
	for _, f := range files {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s not generated: %v", f, err)
		}
	}
	gen("generate", "--middleware", "")
	for _, f := range files {
		if _, err := os.Stat(filepath.Join(dir, f)); !os.IsNotExist(err) {
			t.Errorf("%s not deleted with the middlewares off: %v", f, err)
		}
	}
	again, err := os.ReadFile(server)
	must(t, err)
	if !bytes.Equal(plain, again) {
		t.Errorf("server_gen.go differs after the middlewares were turned off")
	}
	cfg, err := os.ReadFile(filepath.Join(dir, "kitforge.yaml"))
	must(t, err)
	if strings.Contains(string(cfg), "middleware") {
		t.Errorf("kitforge.yaml still records middleware:\n%s", cfg)
	}
}

// otlpCollector is a stand-in OTLP/HTTP collector on 127.0.0.1 that keeps
// the trace batches it is sent.
type otlpCollector struct {
	*httptest.Server
	mu      sync.Mutex
	batches [][]byte
}

// newOTLPCollector starts a collector, closed when the test ends.
func newOTLPCollector(t *testing.T) *otlpCollector {
	c := &otlpCollector{}
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, _ := io.ReadAll(r.Body)
		c.mu.Lock()
		if r.URL.Path == "/v1/traces" {
			c.batches = append(c.batches, data)
		}
		c.mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	t.Cleanup(c.Close)
	return c
}

// received returns the batches so far, joined, and how many there were.
func (c *otlpCollector) received() ([]byte, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return bytes.Join(c.batches, nil), len(c.batches)
}
