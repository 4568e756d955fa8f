package generator

import (
	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/gokit/transport"
	"github.com/kitforge/kitforge/generator/plan"
)

// addProtoExtras adds the OpenAPI document and the generated tests: with
// the HTTP transport the server's openapi_gen.go (the document of the HTTP
// routes) and per service with unary rpcs the transport's http_gen_test.go
// (an HTTP round trip per binding); with gRPC, per service with unary rpcs,
// grpc_gen_test.go (a round trip per rpc through the generated client). The
// server and transport packages are owned: without a transport, its files
// are deleted as stale.
func addProtoExtras(p *plan.Plan, name string, server gokit.Pkg, services []*gokit.ProtoService) error {
	var jobs []protoJob
	if services[0].HTTP {
		jobs = append(jobs, protoJob{server.Dir, "openapi_gen.go", func() ([]byte, error) { return transport.ProtoOpenAPI(name, server, services) }})
	}
	for _, ps := range services {
		if !transport.HasUnary(ps) {
			continue
		}
		dir := ps.Layout.Transport.Dir
		if ps.HTTP {
			jobs = append(jobs, protoJob{dir, "http_gen_test.go", func() ([]byte, error) { return transport.ProtoHTTPTest(ps) }})
		}
		if ps.Layout.GRPC {
			jobs = append(jobs, protoJob{dir, "grpc_gen_test.go", func() ([]byte, error) { return transport.ProtoGRPCTest(ps) }})
		}
	}
	return addProtoJobs(p, jobs)
}
