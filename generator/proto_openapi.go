package generator

import (
	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/plan"
)

// addProtoOpenAPI adds the server's openapi_gen.go, the OpenAPI document of
// the services' HTTP routes, when they have the HTTP transport (the server
// package is owned: without HTTP, a previous one is deleted as stale).
func addProtoOpenAPI(p *plan.Plan, name string, server gokit.Pkg, services []*gokit.ProtoService) error {
	if !services[0].HTTP {
		return nil
	}
	return addProtoJobs(p, []protoJob{{server.Dir, "openapi_gen.go", func() ([]byte, error) { return gokit.ProtoOpenAPI(name, server, services) }}})
}
