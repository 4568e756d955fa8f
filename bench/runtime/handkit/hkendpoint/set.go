// Package hkendpoint is the endpoint layer of the hand-written Go kit service.
package hkendpoint

import (
	"context"

	"github.com/go-kit/kit/endpoint"
	"github.com/go-kit/kit/metrics"
	"github.com/go-kit/log"

	"github.com/kitforge/kitforge/bench/runtime/handkit/hkservice"
)

// Set collects all of the endpoints that compose the service. It's meant to
// be used as a helper struct, to collect all of the endpoints into a single
// parameter.
type Set struct {
	SumEndpoint    endpoint.Endpoint
	ConcatEndpoint endpoint.Endpoint
	GreetEndpoint  endpoint.Endpoint
}

// New returns a Set that wraps the provided server, and wires in all of the
// expected endpoint middlewares: panic recovery and instrumentation.
func New(svc hkservice.Service, logger log.Logger, requests metrics.Counter, duration metrics.Histogram) Set {
	var sumEndpoint endpoint.Endpoint
	{
		sumEndpoint = MakeSumEndpoint(svc)
		sumEndpoint = RecoveringMiddleware(logger)(sumEndpoint)
		sumEndpoint = InstrumentingMiddleware(requests.With("method", "Sum"), duration.With("method", "Sum"))(sumEndpoint)
	}
	var concatEndpoint endpoint.Endpoint
	{
		concatEndpoint = MakeConcatEndpoint(svc)
		concatEndpoint = RecoveringMiddleware(logger)(concatEndpoint)
		concatEndpoint = InstrumentingMiddleware(requests.With("method", "Concat"), duration.With("method", "Concat"))(concatEndpoint)
	}
	var greetEndpoint endpoint.Endpoint
	{
		greetEndpoint = MakeGreetEndpoint(svc)
		greetEndpoint = RecoveringMiddleware(logger)(greetEndpoint)
		greetEndpoint = InstrumentingMiddleware(requests.With("method", "Greet"), duration.With("method", "Greet"))(greetEndpoint)
	}
	return Set{
		SumEndpoint:    sumEndpoint,
		ConcatEndpoint: concatEndpoint,
		GreetEndpoint:  greetEndpoint,
	}
}

// NewBare returns a Set that wraps svc with no endpoint middleware.
func NewBare(svc hkservice.Service) Set {
	return Set{
		SumEndpoint:    MakeSumEndpoint(svc),
		ConcatEndpoint: MakeConcatEndpoint(svc),
		GreetEndpoint:  MakeGreetEndpoint(svc),
	}
}

// MakeSumEndpoint constructs a Sum endpoint wrapping the service.
func MakeSumEndpoint(s hkservice.Service) endpoint.Endpoint {
	return func(ctx context.Context, request any) (any, error) {
		req := request.(SumRequest)
		v, err := s.Sum(ctx, req.A, req.B)
		return SumResponse{V: v, Err: err}, nil
	}
}

// MakeConcatEndpoint constructs a Concat endpoint wrapping the service.
func MakeConcatEndpoint(s hkservice.Service) endpoint.Endpoint {
	return func(ctx context.Context, request any) (any, error) {
		req := request.(ConcatRequest)
		v, err := s.Concat(ctx, req.A, req.B)
		return ConcatResponse{V: v, Err: err}, nil
	}
}

// MakeGreetEndpoint constructs a Greet endpoint wrapping the service.
func MakeGreetEndpoint(s hkservice.Service) endpoint.Endpoint {
	return func(ctx context.Context, request any) (any, error) {
		req := request.(GreetRequest)
		v, err := s.Greet(ctx, req.Name)
		return GreetResponse{V: v, Err: err}, nil
	}
}

// compile time assertions for our response types implementing endpoint.Failer.
var (
	_ endpoint.Failer = SumResponse{}
	_ endpoint.Failer = ConcatResponse{}
	_ endpoint.Failer = GreetResponse{}
)

// SumRequest collects the request parameters for the Sum method.
type SumRequest struct {
	A int `json:"a"`
	B int `json:"b"`
}

// SumResponse collects the response values for the Sum method.
type SumResponse struct {
	V   int   `json:"v"`
	Err error `json:"-"` // should be intercepted by Failed/errorEncoder
}

// Failed implements endpoint.Failer.
func (r SumResponse) Failed() error { return r.Err }

// ConcatRequest collects the request parameters for the Concat method.
type ConcatRequest struct {
	A string `json:"a"`
	B string `json:"b"`
}

// ConcatResponse collects the response values for the Concat method.
type ConcatResponse struct {
	V   string `json:"v"`
	Err error  `json:"-"`
}

// Failed implements endpoint.Failer.
func (r ConcatResponse) Failed() error { return r.Err }

// GreetRequest collects the request parameters for the Greet method.
type GreetRequest struct {
	Name string `json:"name"`
}

// GreetResponse collects the response values for the Greet method.
type GreetResponse struct {
	V   string `json:"v"`
	Err error  `json:"-"`
}

// Failed implements endpoint.Failer.
func (r GreetResponse) Failed() error { return r.Err }
