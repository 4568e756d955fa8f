// Package transport emits <name>transport: http_gen.go (handlers, decoders,
// encoders, error mapping, the HTTP client), its round-trip test
// http_gen_test.go, openapi_gen.go, and grpc_gen.go with grpc_gen_test.go.
// The gRPC transport of a Go interface converts between its Go types and the
// pb messages (grpc_convert.go); a proto service's uses the messages
// directly.
package transport
