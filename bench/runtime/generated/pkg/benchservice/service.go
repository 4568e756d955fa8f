// Package benchservice declares the service of the runtime benchmark: three
// methods, the same as the floor and the hand-written Go kit service serve.
// kitforge generates its endpoints, transport and wiring: after a change, run
// `go generate ./...` in bench/runtime (it runs this checkout's kitforge).
package benchservice

import "context"

//go:generate kitforge generate

// Service is the benchmarked service.
//
//kitforge:service
type Service interface {
	// Sum returns a + b, served as POST /sum with a JSON body {"a": 1, "b": 2}.
	Sum(ctx context.Context, a, b int) (int, error)

	// Concat returns a followed by b, served as POST /concat with a JSON body
	// {"a": "x", "b": "y"}.
	Concat(ctx context.Context, a, b string) (string, error)

	// Greet returns a greeting for name.
	//
	// kitforge:http GET /greet/{name}
	Greet(ctx context.Context, name string) (string, error)
}
