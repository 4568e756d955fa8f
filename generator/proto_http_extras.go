package generator

import (
	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/plan"
)

// addProtoHTTPExtras adds, when the services have the HTTP transport, the
// server's openapi_gen.go (the OpenAPI document of their HTTP routes) and
// per service with unary rpcs the transport's http_gen_test.go (an HTTP
// round trip per binding). The server and transport packages are owned:
// without HTTP, previous ones are deleted as stale.
func addProtoHTTPExtras(p *plan.Plan, name string, server gokit.Pkg, services []*gokit.ProtoService) error {
	if !services[0].HTTP {
		return nil
	}
	jobs := []protoJob{{server.Dir, "openapi_gen.go", func() ([]byte, error) { return gokit.ProtoOpenAPI(name, server, services) }}}
	for _, ps := range services {
		if gokit.HasUnary(ps) {
			jobs = append(jobs, protoJob{ps.Layout.Transport.Dir, "http_gen_test.go", func() ([]byte, error) { return gokit.ProtoHTTPTest(ps) }})
		}
	}
	return addProtoJobs(p, jobs)
}
