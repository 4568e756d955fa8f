// Package service emits the files kitforge writes into the service's own
// package: errors_gen.go, middleware_gen.go (logging and instrumenting
// middleware, request ids, NewLogger), generate_gen.go, the service_gen.go
// interface of a proto service, the scaffolded service_impl.go and the stubs
// a merge adds to it, and the example interface of `kitforge new`.
package service
