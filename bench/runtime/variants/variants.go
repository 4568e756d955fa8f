// Package variants lists the servers the runtime benchmark compares, all
// answering the same three calls with the same results, over HTTP/JSON or
// gRPC, and builds them.
package variants

import (
	"fmt"
	"io"
	"net/http"

	"github.com/go-kit/log"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"

	"github.com/kitforge/kitforge/bench/runtime/floor"
	"github.com/kitforge/kitforge/bench/runtime/generated/pkg/benchpb"
	"github.com/kitforge/kitforge/bench/runtime/generated/pkg/benchserver"
	"github.com/kitforge/kitforge/bench/runtime/generated/pkg/benchservice"
)

// Protocols of the variants.
const (
	HTTP = "http"
	GRPC = "grpc"
)

// Variant is one server of the comparison.
type Variant struct {
	// Name identifies the variant on the command line and in tables.
	Name string
	// Doc says in a few words what the variant is.
	Doc string
	// Protocol is HTTP or GRPC.
	Protocol string
	// Handler builds the handler of an HTTP variant.
	Handler func() http.Handler
	// GRPC builds the service implementation of a gRPC variant.
	GRPC func() benchpb.BenchServer
	// Run, when set, serves the variant with the generated server's own
	// wiring (HTTP on httpAddr, gRPC on grpcAddr) until it fails; the variant
	// is reached on the address of its Protocol.
	Run func(httpAddr, grpcAddr string) error
}

// All are the variants of the comparison, in the order of the tables; the
// first of each protocol is the floor the others are compared with.
var All = []Variant{
	{Name: "floor", Protocol: HTTP, Doc: "net/http + encoding/json", Handler: floor.NewHandler},
	{Name: "handkit", Protocol: HTTP, Doc: "hand-written Go kit, logging + Prometheus + recovery", Handler: HandkitHandler},
	{Name: "handkit-bare", Protocol: HTTP, Doc: "hand-written Go kit, no middleware", Handler: HandkitBareHandler},
	{Name: "kitforge", Protocol: HTTP, Doc: "generated, default middleware (benchserver.Run)", Handler: KitforgeHandler, Run: KitforgeRun},
	{Name: "kitforge-bare", Protocol: HTTP, Doc: "generated packages, no middleware", Handler: KitforgeBareHandler},

	{Name: "grpc-floor", Protocol: GRPC, Doc: "plain grpc-go server", GRPC: floor.NewGRPCServer},
	{Name: "grpc-handkit", Protocol: GRPC, Doc: "hand-written Go kit, logging + Prometheus + recovery", GRPC: HandkitGRPC},
	{Name: "grpc-handkit-bare", Protocol: GRPC, Doc: "hand-written Go kit, no middleware", GRPC: HandkitBareGRPC},
	{Name: "grpc-kitforge", Protocol: GRPC, Doc: "generated, default middleware (benchserver.Run)", GRPC: KitforgeGRPC, Run: KitforgeRun},
	{Name: "grpc-kitforge-bare", Protocol: GRPC, Doc: "generated packages, no middleware", GRPC: KitforgeBareGRPC},
}

// Find returns the variant called name, in All or Proposals.
func Find(name string) (Variant, error) {
	for _, v := range append(All[:len(All):len(All)], Proposals...) {
		if v.Name == name {
			return v, nil
		}
	}
	return Variant{}, fmt.Errorf("unknown variant %q", name)
}

// Logger is the logger of the generated variants: the one the generated
// main.go builds (benchservice.NewLogger), writing to io.Discard instead of
// stderr, so log lines are formatted (their cost counts) but not written.
func Logger() log.Logger {
	return benchservice.NewLogger(io.Discard, "service", "bench")
}

// GoKitLogger is the logger of the hand-written variants, as addsvc builds
// it: go-kit's logfmt logger with a timestamp, writing the same lines as
// Logger to io.Discard.
func GoKitLogger() log.Logger {
	logger := log.NewLogfmtLogger(io.Discard)
	return log.With(logger, "ts", log.DefaultTimestampUTC, "service", "bench")
}

// NewServer returns the http.Server an HTTP variant's handler is served
// with: the timeouts of the generated server's defaults, so every variant
// pays the same per-connection deadlines.
func NewServer(h http.Handler) *http.Server {
	cfg := benchserver.DefaultConfig()
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: cfg.HTTPReadHeaderTimeout,
		ReadTimeout:       cfg.HTTPReadTimeout,
		WriteTimeout:      cfg.HTTPWriteTimeout,
		IdleTimeout:       cfg.HTTPIdleTimeout,
	}
}

// NewGRPCServer returns the grpc.Server a gRPC variant is served with: the
// generated server's (default options, the health service and reflection
// registered beside the service).
func NewGRPCServer(svc benchpb.BenchServer) *grpc.Server {
	srv := grpc.NewServer()
	benchpb.RegisterBenchServer(srv, svc)
	hs := health.NewServer()
	hs.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	healthpb.RegisterHealthServer(srv, hs)
	reflection.Register(srv)
	return srv
}
