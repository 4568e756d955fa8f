package generator

import (
	"fmt"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/generator/render"
)

// protoExamples is the README's block of examples for proto services: a
// curl line per HTTP binding of every unary rpc (render.ProtoHTTPRequest)
// and a grpcurl line per unary rpc, which reach the stubs as they are
// (TestGoldenServicesServe runs them). Bodies and requests are samples in
// the proto3 JSON mapping.
func protoExamples(services []*gokit.ProtoService) string {
	var curls, grpcurls []string
	for _, ps := range services {
		for i, m := range ps.Svc.Methods {
			pm := ps.Methods[i]
			if m.Kind != model.Unary || pm.Desc == nil {
				continue
			}
			in := pm.Desc.Input()
			if ps.HTTP {
				for _, h := range m.HTTP {
					if line, ok := curlExample(h, in); ok {
						curls = append(curls, line)
					}
				}
			}
			if ps.Layout.GRPC {
				grpcurls = append(grpcurls, fmt.Sprintf("grpcurl -plaintext -d '%s' localhost:8081 %s/%s", render.GrpcurlJSON(in), ps.FullName, pm.ProtoName))
			}
		}
	}
	lines := append(curls, grpcurls...)
	if len(lines) == 0 {
		return ""
	}
	return "\n```sh\n" + strings.Join(lines, "\n") + "\n```\n"
}

// curlExample is a curl line calling binding h of an rpc whose request is
// in with a sample request; ok is false for a template that does not parse
// (never, after protoparse's checks).
func curlExample(h *model.HTTPBinding, in protoreflect.MessageDescriptor) (string, bool) {
	path, body, err := render.ProtoHTTPRequest(h, in)
	if err != nil {
		return "", false
	}
	line := "curl -s"
	if h.Verb != "GET" {
		line += " -X " + h.Verb
	}
	line += " 'localhost:8080" + path + "'"
	if body != "" {
		line += " -H 'Content-Type: application/json' -d '" + body + "'"
	}
	return line, true
}
