// Package server emits <name>server/server_gen.go (Config from flags and
// environment, Run's wiring of transports, middlewares and discovery, the
// With* options, TLS, graceful shutdown, the gRPC server) and the scaffolded
// cmd/<name>/main.go.
package server
