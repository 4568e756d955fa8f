package variants

import (
	"context"
	"testing"

	"github.com/kitforge/kitforge/bench/runtime/generated/pkg/benchpb"
)

// grpcCalls makes the benchmark's three calls on svc and checks the results.
var grpcCalls = []func(context.Context, benchpb.BenchServer) (string, bool, error){
	func(ctx context.Context, svc benchpb.BenchServer) (string, bool, error) {
		r, err := svc.Sum(ctx, &benchpb.SumRequest{A: 1, B: 2})
		return "Sum", err == nil && r.V == 3, err
	},
	func(ctx context.Context, svc benchpb.BenchServer) (string, bool, error) {
		r, err := svc.Concat(ctx, &benchpb.ConcatRequest{A: "foo", B: "bar"})
		return "Concat", err == nil && r.V == "foobar", err
	},
	func(ctx context.Context, svc benchpb.BenchServer) (string, bool, error) {
		r, err := svc.Greet(ctx, &benchpb.GreetRequest{Name: "ann"})
		return "Greet", err == nil && r.V == "hello, ann", err
	},
}

// TestGRPCVariantsAgree checks that every gRPC variant answers the
// benchmark's calls with the same results.
func TestGRPCVariantsAgree(t *testing.T) {
	for _, v := range ofProtocol(GRPC) {
		svc := v.GRPC()
		for _, call := range grpcCalls {
			if name, ok, err := call(context.Background(), svc); !ok {
				t.Errorf("%s %s: wrong result (err %v)", v.Name, name, err)
			}
		}
	}
}

// BenchmarkGRPC makes the benchmark's three calls in turn on each gRPC
// variant's service implementation, in-process: the cost of the Go kit
// layers (transport conversions, endpoints, middleware) without grpc-go's
// framing and protobuf encoding, which are the same for every variant and
// which cmd/load measures.
//
//	go test ./variants -run '^$' -bench GRPC -benchmem -count 5
func BenchmarkGRPC(b *testing.B) {
	for _, v := range ofProtocol(GRPC) {
		b.Run(v.Name, func(b *testing.B) {
			svc := v.GRPC()
			ctx := context.Background()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if name, ok, err := grpcCalls[i%len(grpcCalls)](ctx, svc); !ok {
					b.Fatalf("%s: wrong result (err %v)", name, err)
				}
				i++
			}
		})
	}
}
