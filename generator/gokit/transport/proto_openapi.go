package transport

import (
	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/openapi"
)

// ProtoOpenAPI emits <server>/openapi_gen.go for proto services: the
// OpenAPI 3.0 document of the HTTP/JSON transcoding of every service (see
// openapi.ProtoDocument) and the handler the server mounts at
// GET /openapi.json.
func ProtoOpenAPI(name string, server gokit.Pkg, services []*gokit.ProtoService) ([]byte, error) {
	var in []openapi.ProtoService
	for _, ps := range services {
		s := openapi.ProtoService{FullName: ps.FullName, GoName: ps.Svc.GoName}
		for i, m := range ps.Svc.Methods {
			s.Methods = append(s.Methods, openapi.ProtoMethod{Model: m, Desc: ps.Methods[i].Desc})
		}
		in = append(in, s)
	}
	doc, err := openapi.ProtoDocument(name, in)
	if err != nil {
		return nil, err
	}
	return renderOpenAPI(gokit.NewFile(server), doc)
}
