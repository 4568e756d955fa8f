package hktransport

import (
	"context"

	"github.com/go-kit/kit/transport"
	grpctransport "github.com/go-kit/kit/transport/grpc"
	"github.com/go-kit/log"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/kitforge/kitforge/bench/runtime/generated/pkg/benchpb"
	"github.com/kitforge/kitforge/bench/runtime/handkit/hkendpoint"
)

// The .proto of the hand-written service is the one kitforge generated for
// the same interface (package benchpb): what a person would write for it, and
// what protoc-gen-go and protoc-gen-go-grpc would compile it to.

type grpcServer struct {
	benchpb.UnimplementedBenchServer
	sum    grpctransport.Handler
	concat grpctransport.Handler
	greet  grpctransport.Handler
}

// NewGRPCServer makes a set of endpoints available as a gRPC BenchServer.
func NewGRPCServer(endpoints hkendpoint.Set, logger log.Logger) benchpb.BenchServer {
	options := []grpctransport.ServerOption{
		grpctransport.ServerErrorHandler(transport.NewLogErrorHandler(logger)),
	}
	return &grpcServer{
		sum: grpctransport.NewServer(
			endpoints.SumEndpoint,
			decodeGRPCSumRequest,
			encodeGRPCSumResponse,
			options...,
		),
		concat: grpctransport.NewServer(
			endpoints.ConcatEndpoint,
			decodeGRPCConcatRequest,
			encodeGRPCConcatResponse,
			options...,
		),
		greet: grpctransport.NewServer(
			endpoints.GreetEndpoint,
			decodeGRPCGreetRequest,
			encodeGRPCGreetResponse,
			options...,
		),
	}
}

// Sum implements benchpb.BenchServer.
func (s *grpcServer) Sum(ctx context.Context, req *benchpb.SumRequest) (*benchpb.SumResponse, error) {
	_, rep, err := s.sum.ServeGRPC(ctx, req)
	if err != nil {
		return nil, err
	}
	return rep.(*benchpb.SumResponse), nil
}

// Concat implements benchpb.BenchServer.
func (s *grpcServer) Concat(ctx context.Context, req *benchpb.ConcatRequest) (*benchpb.ConcatResponse, error) {
	_, rep, err := s.concat.ServeGRPC(ctx, req)
	if err != nil {
		return nil, err
	}
	return rep.(*benchpb.ConcatResponse), nil
}

// Greet implements benchpb.BenchServer.
func (s *grpcServer) Greet(ctx context.Context, req *benchpb.GreetRequest) (*benchpb.GreetResponse, error) {
	_, rep, err := s.greet.ServeGRPC(ctx, req)
	if err != nil {
		return nil, err
	}
	return rep.(*benchpb.GreetResponse), nil
}

// decodeGRPCSumRequest is a transport/grpc.DecodeRequestFunc that converts a
// gRPC sum request to a user-domain sum request. Primarily useful in a server.
func decodeGRPCSumRequest(_ context.Context, grpcReq any) (any, error) {
	req := grpcReq.(*benchpb.SumRequest)
	return hkendpoint.SumRequest{A: int(req.A), B: int(req.B)}, nil
}

// decodeGRPCConcatRequest is a transport/grpc.DecodeRequestFunc that converts
// a gRPC concat request to a user-domain concat request.
func decodeGRPCConcatRequest(_ context.Context, grpcReq any) (any, error) {
	req := grpcReq.(*benchpb.ConcatRequest)
	return hkendpoint.ConcatRequest{A: req.A, B: req.B}, nil
}

// decodeGRPCGreetRequest is a transport/grpc.DecodeRequestFunc that converts a
// gRPC greet request to a user-domain greet request.
func decodeGRPCGreetRequest(_ context.Context, grpcReq any) (any, error) {
	req := grpcReq.(*benchpb.GreetRequest)
	return hkendpoint.GreetRequest{Name: req.Name}, nil
}

// encodeGRPCSumResponse is a transport/grpc.EncodeResponseFunc that converts
// a user-domain sum response to a gRPC sum reply, or its error to a status.
func encodeGRPCSumResponse(_ context.Context, response any) (any, error) {
	resp := response.(hkendpoint.SumResponse)
	if resp.Err != nil {
		return nil, status.Error(codes.Internal, resp.Err.Error())
	}
	return &benchpb.SumResponse{V: int64(resp.V)}, nil
}

// encodeGRPCConcatResponse is a transport/grpc.EncodeResponseFunc that
// converts a user-domain concat response to a gRPC concat reply.
func encodeGRPCConcatResponse(_ context.Context, response any) (any, error) {
	resp := response.(hkendpoint.ConcatResponse)
	if resp.Err != nil {
		return nil, status.Error(codes.Internal, resp.Err.Error())
	}
	return &benchpb.ConcatResponse{V: resp.V}, nil
}

// encodeGRPCGreetResponse is a transport/grpc.EncodeResponseFunc that converts
// a user-domain greet response to a gRPC greet reply.
func encodeGRPCGreetResponse(_ context.Context, response any) (any, error) {
	resp := response.(hkendpoint.GreetResponse)
	if resp.Err != nil {
		return nil, status.Error(codes.Internal, resp.Err.Error())
	}
	return &benchpb.GreetResponse{V: resp.V}, nil
}
