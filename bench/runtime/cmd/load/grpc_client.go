package main

import (
	"context"
	"fmt"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/kitforge/kitforge/bench/runtime/generated/pkg/benchpb"
)

// grpcCaller is a gRPC client connection (one TCP connection, grpc-go's own
// client) making the benchmark's three calls.
type grpcCaller struct {
	cc     *grpc.ClientConn
	client benchpb.BenchClient
	ctx    context.Context
	cancel context.CancelFunc
	sum    *benchpb.SumRequest
	concat *benchpb.ConcatRequest
	greet  *benchpb.GreetRequest
}

// dialGRPC connects to the gRPC server at addr, for calls until deadline,
// and makes one call so that the connection is up before the round starts.
func dialGRPC(addr string, deadline time.Time) (caller, error) {
	cc, err := grpc.NewClient("passthrough:///"+addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	c := &grpcCaller{
		cc: cc, client: benchpb.NewBenchClient(cc), ctx: ctx, cancel: cancel,
		sum:    &benchpb.SumRequest{A: 1, B: 2},
		concat: &benchpb.ConcatRequest{A: "foo", B: "bar"},
		greet:  &benchpb.GreetRequest{Name: "ann"},
	}
	if err := c.call(2); err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}

// call makes call n: Sum, Concat and Greet in turn.
func (c *grpcCaller) call(n int64) error {
	switch n % 3 {
	case 0:
		r, err := c.client.Sum(c.ctx, c.sum)
		if err != nil {
			return fmt.Errorf("Sum: %w", err)
		}
		if r.V != 3 {
			return fmt.Errorf("Sum: got %d, want 3", r.V)
		}
	case 1:
		r, err := c.client.Concat(c.ctx, c.concat)
		if err != nil {
			return fmt.Errorf("Concat: %w", err)
		}
		if r.V != "foobar" {
			return fmt.Errorf("Concat: got %q, want %q", r.V, "foobar")
		}
	default:
		r, err := c.client.Greet(c.ctx, c.greet)
		if err != nil {
			return fmt.Errorf("Greet: %w", err)
		}
		if r.V != "hello, ann" {
			return fmt.Errorf("Greet: got %q, want %q", r.V, "hello, ann")
		}
	}
	return nil
}

func (c *grpcCaller) close() {
	c.cancel()
	c.cc.Close()
}
