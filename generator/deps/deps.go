// Package deps pins the modules that kitforge-generated code builds with and
// writes them into user modules: a complete go.mod and go.sum for `kitforge
// new`, and the requirements its imports need (never a downgrade, never an
// unneeded raise) for `generate` in an existing
// module (edit.go). The pins are the versions kitforge's own tests build
// generated services with.
package deps

import (
	"bytes"
	_ "embed"
	"fmt"

	"golang.org/x/mod/modfile"
)

// Pins are the direct dependencies of generated code. Why these versions:
// go-kit v0.13.0 is the current release; its minimum golang.org/x/net fails
// to link on Go 1.26 (syscall.recvmsg), so a current x/net is pinned; gRPC
// ≥ 1.64 is what today's generated gRPC code needs.
var Pins = []Module{
	{"github.com/go-kit/kit", "v0.13.0"},
	{"github.com/go-kit/log", "v0.2.1"},
	{"github.com/oklog/run", "v1.2.0"},
	{"github.com/prometheus/client_golang", "v1.25.0"},
	{"golang.org/x/net", "v0.62.0"},
	{"google.golang.org/grpc", "v1.85.0"},
	{"google.golang.org/protobuf", "v1.36.12"},
	// The NATS transport; the same version the real-broker tests use.
	{"github.com/nats-io/nats.go", "v1.55.0"},
	// The AMQP transport: the client library go-kit v0.13.0's transport/amqp
	// is written against (amqp091-go, the successor of streadway/amqp), at
	// the version the real-broker tests use.
	{"github.com/rabbitmq/amqp091-go", "v1.16.0"},
	// The middleware toggles (kitforge.yaml middleware): rate limit, circuit
	// breaker, JWT (the library go-kit v0.13.0's auth/jwt is written against)
	// and OpenTelemetry tracing with its OTLP/HTTP exporter.
	{"golang.org/x/time", "v0.16.0"},
	{"github.com/sony/gobreaker", "v1.0.0"},
	{"github.com/golang-jwt/jwt/v4", "v4.5.2"},
	// JWT checks: golang-jwt v5 requires exp and checks aud, iss and leeway
	// (v4, which go-kit's auth/jwt still imports for its context keys, cannot
	// require exp); keyfunc v3 (over MicahParks/jwkset) fetches, caches and
	// rotates a JWK Set with a rate-limited refresh on unknown key ids.
	{"github.com/golang-jwt/jwt/v5", "v5.3.1"},
	{"github.com/MicahParks/keyfunc/v3", "v3.9.2"},
	{"go.opentelemetry.io/otel", "v1.47.0"},
	{"go.opentelemetry.io/otel/sdk", "v1.47.0"},
	{"go.opentelemetry.io/otel/trace", "v1.47.0"},
	{"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp", "v1.47.0"},
	// Service discovery (kitforge.yaml discovery): the registry clients of
	// the generated registration and instancers, at the versions the
	// real-registry tests use. consul/api v1.34.4 is the newest whose go
	// line (1.26) leaves a generated module's alone; v1.34.5 wants 1.26.7.
	{"github.com/hashicorp/consul/api", "v1.34.4"},
	{"go.etcd.io/etcd/client/v3", "v3.5.34"},
	{"github.com/hudl/fargo", "v1.4.0"},
	{"github.com/go-zookeeper/zk", "v1.0.4"},
	// A current genproto avoids the ambiguous import of googleapis/rpc between
	// the old monolithic genproto module and its split-out submodules.
	{"google.golang.org/genproto", "v0.0.0-20261026165753-2ffab32bce7e"},
}

// Module is a module path at a version.
type Module struct{ Path, Version string }

//go:embed ref.mod
var refMod []byte

//go:embed ref.sum
var refSum []byte

// reference parses the embedded, tidied reference go.mod.
func reference() *modfile.File {
	f, err := modfile.ParseLax("ref.mod", refMod, nil)
	if err != nil {
		panic(fmt.Sprintf("deps: embedded ref.mod: %v", err)) // a build-time bug, caught by tests
	}
	return f
}

// GoMod returns a go.mod for a new module at path that requires everything
// generated code needs, so `go build` works with no `go mod tidy`.
func GoMod(path string) []byte {
	ref := reference()
	f := &modfile.File{}
	_ = f.AddModuleStmt(path)
	_ = f.AddGoStmt(ref.Go.Version)
	var reqs []*modfile.Require
	for _, r := range ref.Require {
		reqs = append(reqs, &modfile.Require{Mod: r.Mod, Indirect: r.Indirect})
	}
	f.SetRequireSeparateIndirect(reqs)
	f.Cleanup()
	out, err := f.Format()
	if err != nil {
		panic(fmt.Sprintf("deps: format go.mod: %v", err))
	}
	return out
}

// GoSum returns the checksums of every module GoMod requires.
func GoSum() []byte { return bytes.Clone(refSum) }
