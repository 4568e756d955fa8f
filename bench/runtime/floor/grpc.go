package floor

import (
	"context"

	"github.com/kitforge/kitforge/bench/runtime/generated/pkg/benchpb"
)

// NewGRPCServer returns the gRPC floor: the three methods implemented
// directly on the messages of the service's .proto, for a plain grpc-go
// server (benchpb holds what protoc-gen-go and protoc-gen-go-grpc write for
// it; kitforge generated it).
func NewGRPCServer() benchpb.BenchServer {
	return grpcServer{}
}

type grpcServer struct {
	benchpb.UnimplementedBenchServer
}

// Sum returns a + b.
func (grpcServer) Sum(_ context.Context, req *benchpb.SumRequest) (*benchpb.SumResponse, error) {
	return &benchpb.SumResponse{V: req.A + req.B}, nil
}

// Concat returns a followed by b.
func (grpcServer) Concat(_ context.Context, req *benchpb.ConcatRequest) (*benchpb.ConcatResponse, error) {
	return &benchpb.ConcatResponse{V: req.A + req.B}, nil
}

// Greet returns a greeting for name.
func (grpcServer) Greet(_ context.Context, req *benchpb.GreetRequest) (*benchpb.GreetResponse, error) {
	return &benchpb.GreetResponse{V: "hello, " + req.Name}, nil
}
