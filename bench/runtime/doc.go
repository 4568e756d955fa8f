// Package runtimebench is kitforge's runtime benchmark: the same
// three-method service (Sum and Concat over POST with JSON bodies, Greet over
// GET with a path parameter) served by
//
//   - floor: net/http and encoding/json, nothing else;
//   - handkit, handkit-bare: a Go kit service written by hand in the style
//     of go-kit/examples addsvc (package handkit), with the same middleware as
//     kitforge's default (logging, Prometheus instrumenting, recovery) and
//     without any;
//   - kitforge, kitforge-bare: the service kitforge generates (the module in
//     generated/), run by its own benchserver.Run with the default middleware,
//     and built from its packages without the middleware.
//
// cmd/load drives them side by side in one run and prints the tables of the
// README's Benchmarks section; package variants holds the handlers and their
// in-process benchmarks (exact allocations, profiles); package proposal
// prototypes the changes to the generated code the benchmark motivates.
//
// This is a module of its own, so that its dependencies stay out of
// kitforge's go.mod. Its go.mod is generator/deps/ref.mod (the versions
// generated services are pinned to) plus the generated module, and its
// go.sum is a copy of generator/deps/ref.sum; after a change to them:
//
//	sed 's|^module .*|module github.com/kitforge/kitforge/bench/runtime|' ../../generator/deps/ref.mod >go.mod
//	go mod edit -require=github.com/kitforge/kitforge/bench/runtime/generated@v0.0.0 \
//		-replace=github.com/kitforge/kitforge/bench/runtime/generated=./generated
//	cp ../../generator/deps/ref.sum go.sum
//
// generated/ is the tree `kitforge new bench` writes, with the service's
// interface (pkg/benchservice/service.go) and implementation
// (service_impl.go) edited, as a user would. Regenerate it with this
// checkout's kitforge after a change to the generator:
//
//	go generate .
package runtimebench

//go:generate go run -C ../.. . generate -C bench/runtime/generated
