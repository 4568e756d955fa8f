package cmd

import (
	"bytes"
	"encoding/hex"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// protoMiddlewareProto declares the service of the proto middleware test.
const protoMiddlewareProto = `syntax = "proto3";

package bank.v1;

import "google/api/annotations.proto";

// Accounts moves money.
service Accounts {
  // GetBalance returns the balance of an account.
  rpc GetBalance(GetBalanceRequest) returns (Balance) {
    option (google.api.http) = {get: "/v1/accounts/{id}/balance"};
  }
  // Transfer moves an amount between two accounts.
  rpc Transfer(TransferRequest) returns (Balance) {
    option (google.api.http) = {post: "/v1/transfers" body: "*"};
  }
}

message GetBalanceRequest {
  string id = 1;
}

message TransferRequest {
  string from = 1;
  string to = 2;
  int64 cents = 3;
}

message Balance {
  string id = 1;
  int64 cents = 2;
}
`

// protoMiddlewareImpl implements Accounts: every account holds 100 cents.
const protoMiddlewareImpl = `// Scaffolded by kitforge: this file is yours to edit.

package accountsservice

import (
	"context"

	bankv1 "example.com/bank/pkg/pb/bank/v1"
)

type basicService struct{}

// New returns the Accounts implementation.
func New() Service { return basicService{} }

// GetBalance answers 100 cents.
func (basicService) GetBalance(_ context.Context, in *bankv1.GetBalanceRequest) (*bankv1.Balance, error) {
	return &bankv1.Balance{Id: in.GetId(), Cents: 100}, nil
}

// Transfer answers the balance left.
func (basicService) Transfer(_ context.Context, in *bankv1.TransferRequest) (*bankv1.Balance, error) {
	return &bankv1.Balance{Id: in.GetFrom(), Cents: 100 - in.GetCents()}, nil
}
`

// protoMiddlewareValidate is the user's Validate method on a generated
// request message, in the message's package.
const protoMiddlewareValidate = `package bankv1

import "errors"

// Validate refuses transfers of nothing.
func (r *TransferRequest) Validate() error {
	if r.GetCents() <= 0 {
		return errors.New("cents must be positive")
	}
	return nil
}
`

// protoMiddlewareHelper mints tokens and calls the service over gRPC with
// the generated transport client and its bearer option, or through the
// generated load-balancing client (lb), printing the status code.
const protoMiddlewareHelper = `package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/golang-jwt/jwt/v5"
	grpctransport "github.com/go-kit/kit/transport/grpc"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"example.com/bank/pkg/accountsclient"
	"example.com/bank/pkg/accountstransport"
	bankv1 "example.com/bank/pkg/pb/bank/v1"
)

func main() {
	switch os.Args[1] {
	case "token": // token SECRET
		claims := jwt.RegisteredClaims{Subject: "ann", ExpiresAt: jwt.NewNumericDate(time.Now().Add(time.Hour))}
		signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(os.Args[2]))
		if err != nil {
			panic(err)
		}
		fmt.Print(signed)
	case "call": // call GRPCADDR TOKEN get|transfer|transfer-nothing [lb]
		conn, err := grpc.NewClient(os.Args[2], grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			panic(err)
		}
		defer conn.Close()
		var opts []grpctransport.ClientOption
		if os.Args[3] != "" {
			opts = append(opts, accountstransport.GRPCClientBearer(os.Args[3]))
		}
		if tp := os.Getenv("TRACEPARENT"); tp != "" { // the caller's trace context
			opts = append(opts, grpctransport.ClientBefore(func(ctx context.Context, md *metadata.MD) context.Context {
				md.Set("traceparent", tp)
				return ctx
			}))
		}
		var c interface {
			GetBalance(context.Context, *bankv1.GetBalanceRequest) (*bankv1.Balance, error)
			Transfer(context.Context, *bankv1.TransferRequest) (*bankv1.Balance, error)
		} = accountstransport.NewGRPCClient(conn, opts...)
		if len(os.Args) > 5 && os.Args[5] == "lb" {
			lb := accountsclient.New(accountsclient.Static(os.Args[2]), nil, accountsclient.WithGRPCOptions(opts...))
			defer lb.Close()
			c = lb
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		switch os.Args[4] {
		case "get":
			_, err = c.GetBalance(ctx, &bankv1.GetBalanceRequest{Id: "a"})
		case "transfer":
			_, err = c.Transfer(ctx, &bankv1.TransferRequest{From: "a", To: "b", Cents: 5})
		case "transfer-nothing":
			_, err = c.Transfer(ctx, &bankv1.TransferRequest{From: "a", To: "b"})
		}
		fmt.Print(status.Code(err).String())
	}
}
`

// TestProtoMiddlewareEndToEnd generates a proto service with every endpoint
// middleware but basicauth, serves it, and checks over HTTP (net/http) and
// gRPC (the generated client): a missing or wrongly signed JWT is refused
// with 401 and a Bearer challenge / Unauthenticated, a valid one accepted
// (through the load-balancing client too); a request message whose Validate
// fails is InvalidArgument / 400; past the rate limit calls are refused with
// 429 / ResourceExhausted; and the server's spans continue the callers'
// traces (traceparent over HTTP headers and gRPC metadata), exported to a
// stand-in OTLP collector.
func TestProtoMiddlewareEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated proto service; skipped with -short")
	}
	bin, err := kitforgeBin()
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	writeFile(t, filepath.Join(work, "api", "bank", "v1", "bank.proto"), protoMiddlewareProto)
	run(t, work, bin, "new", "bank", "--module", "example.com/bank", "--proto", "api/bank/v1/bank.proto", "-I", "api",
		"--middleware", "tracing,ratelimit,jwt,validate,circuitbreaker")
	mod := filepath.Join(work, "bank")
	writeFile(t, filepath.Join(mod, "pkg", "accountsservice", "service_impl.go"), protoMiddlewareImpl)
	writeFile(t, filepath.Join(mod, "pkg", "pb", "bank", "v1", "validate.go"), protoMiddlewareValidate)
	writeFile(t, filepath.Join(mod, "cmd", "helper", "main.go"), protoMiddlewareHelper)
	binDir := filepath.Join(work, "bin")
	run(t, mod, "go", "build", "-o", binDir+string(filepath.Separator), "./cmd/bank", "./cmd/helper")
	run(t, mod, "go", "vet", "./...")
	svcBin, helper := filepath.Join(binDir, "bank"), filepath.Join(binDir, "helper")
	const secret = "s3cret-for-tests-of-32-bytes-min"
	token := run(t, mod, helper, "token", secret)
	forged := run(t, mod, helper, "token", "other")

	start := func(args ...string) (*service, string) {
		grpcAddr := "127.0.0.1:" + strconv.Itoa(freePort(t))
		return startServiceWith(t, svcBin, []string{"JWT_SECRET=" + secret, "GRPC_ADDR=" + grpcAddr}, args...), grpcAddr
	}
	grpcCall := func(addr, tok, call, want string, lb ...string) {
		t.Helper()
		if got := run(t, mod, helper, append([]string{"call", addr, tok, call}, lb...)...); got != want {
			t.Errorf("gRPC %s %v (token: %v): %s, want %s", call, lb, tok != "", got, want)
		}
	}
	httpCall := func(s *service, method, path, body string, tok string, wantCode int, wantStatus string) {
		t.Helper()
		var h map[string][]string
		if tok != "" {
			h = bearer(tok)
		}
		code, header, out := s.callWith(method, path, body, h)
		if code != wantCode {
			t.Errorf("%s %s: %d %v, want %d", method, path, code, out, wantCode)
			return
		}
		if wantStatus == "" {
			return
		}
		e, _ := out["error"].(map[string]any)
		if e["status"] != wantStatus {
			t.Errorf("%s %s: body %v, want status %s", method, path, out, wantStatus)
		}
		if wantCode == 401 && header.Get("WWW-Authenticate") != `Bearer realm="bank"` {
			t.Errorf("%s %s: 401 without the Bearer challenge: %v", method, path, header)
		}
	}

	// Authentication and validation, under a generous rate limit.
	s, grpcAddr := start()
	httpCall(s, "GET", "/v1/accounts/a/balance", "", "", 401, "UNAUTHENTICATED")
	httpCall(s, "GET", "/v1/accounts/a/balance", "", forged, 401, "UNAUTHENTICATED")
	httpCall(s, "GET", "/v1/accounts/a/balance", "", token, 200, "")
	httpCall(s, "POST", "/v1/transfers", `{"from":"a","to":"b","cents":5}`, token, 200, "")
	httpCall(s, "POST", "/v1/transfers", `{"from":"a","to":"b"}`, token, 400, "INVALID_ARGUMENT")
	grpcCall(grpcAddr, "", "get", "Unauthenticated")
	grpcCall(grpcAddr, forged, "get", "Unauthenticated")
	grpcCall(grpcAddr, token, "get", "OK")
	grpcCall(grpcAddr, token, "transfer", "OK")
	grpcCall(grpcAddr, token, "transfer-nothing", "InvalidArgument")
	// The load-balancing client sends the token too, and hands statuses back
	// as the instance answered them.
	grpcCall(grpcAddr, token, "get", "OK", "lb")
	grpcCall(grpcAddr, "", "get", "Unauthenticated", "lb")
	grpcCall(grpcAddr, token, "transfer-nothing", "InvalidArgument", "lb")
	// The health probes stay open.
	if code, _, _ := s.callWith("GET", "/healthz", "", nil); code != 200 {
		t.Errorf("/healthz without a token: %d", code)
	}
	s.stop()

	// The audience and issuer when required, and exp always, over both
	// transports (tokens signed here, see signJWT).
	s, grpcAddr = start("-jwt-audience", jwtAudience, "-jwt-issuer", jwtIssuer)
	hs := func(changes map[string]any) string {
		return signJWT(t, "HS256", "", []byte(secret), claimsWith(changes))
	}
	for _, c := range []struct {
		name, token string
		code        int
		status      string
		grpc        string
	}{
		{"valid", hs(nil), 200, "", "OK"},
		{"no exp", hs(map[string]any{"exp": nil}), 401, "UNAUTHENTICATED", "Unauthenticated"},
		{"other audience", hs(map[string]any{"aud": "billing"}), 401, "UNAUTHENTICATED", "Unauthenticated"},
		{"other issuer", hs(map[string]any{"iss": "https://evil.test"}), 401, "UNAUTHENTICATED", "Unauthenticated"},
		{"the unchecked token of the helper", token, 401, "UNAUTHENTICATED", "Unauthenticated"},
	} {
		t.Run(c.name, func(t *testing.T) {
			httpCall(s, "GET", "/v1/accounts/a/balance", "", c.token, c.code, c.status)
			grpcCall(grpcAddr, c.token, "get", c.grpc)
		})
	}
	s.stop()

	// The rate limit: a bucket of two, refilled once in 1000 s, shared by
	// both transports.
	s, grpcAddr = start("-rate-limit", "0.001", "-rate-burst", "2")
	httpCall(s, "GET", "/v1/accounts/a/balance", "", token, 200, "")
	grpcCall(grpcAddr, token, "get", "OK")
	httpCall(s, "GET", "/v1/accounts/a/balance", "", token, 429, "RESOURCE_EXHAUSTED")
	grpcCall(grpcAddr, token, "get", "ResourceExhausted")
	s.stop()

	// Tracing: a stand-in OTLP/HTTP collector on 127.0.0.1 gets the server's
	// spans, children of the callers' traceparent over HTTP and over gRPC.
	collector := newOTLPCollector(t)
	s, grpcAddr = start("-otlp-endpoint", collector.URL)
	httpTrace, httpParent := randomBytes(t, 16), randomBytes(t, 8)
	hdr := bearer(token)
	hdr.Set("traceparent", "00-"+hex.EncodeToString(httpTrace)+"-"+hex.EncodeToString(httpParent)+"-01")
	if code, _, body := s.callWith("GET", "/v1/accounts/a/balance", "", hdr); code != 200 {
		t.Errorf("traced HTTP call: %d %v", code, body)
	}
	grpcTrace, grpcParent := randomBytes(t, 16), randomBytes(t, 8)
	t.Setenv("TRACEPARENT", "00-"+hex.EncodeToString(grpcTrace)+"-"+hex.EncodeToString(grpcParent)+"-01")
	grpcCall(grpcAddr, token, "transfer", "OK")
	s.stop() // flushes the batch
	all, n := collector.received()
	for _, want := range [][]byte{httpTrace, httpParent, grpcTrace, grpcParent, []byte("bank.v1.Accounts/GetBalance"), []byte("bank.v1.Accounts/Transfer")} {
		if !bytes.Contains(all, want) {
			t.Errorf("the collector got %d batches without %q (the spans of both calls, in the callers' traces)", n, want)
		}
	}
	if t.Failed() {
		t.Logf("service log:\n%s", strings.TrimSpace(s.log()))
	}
}
