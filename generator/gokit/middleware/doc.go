// Package middleware emits the optional middlewares of kitforge.yaml
// middleware: (rate limit, circuit breaker, JWT and basic auth, tracing,
// validation): middleware_gen.go in the endpoint, transport and server
// packages, and the server settings and wiring they add.
package middleware
