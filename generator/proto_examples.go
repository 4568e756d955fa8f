package generator

import (
	"fmt"
	"strconv"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/generator/render"
	"github.com/kitforge/kitforge/generator/transcode"
)

// protoExamples is the README's block of examples for proto services: a
// curl line per HTTP binding of every unary rpc and a grpcurl line per unary
// rpc, which reach the stubs as they are (TestGoldenServicesServe runs
// them). Bodies and requests are samples in the proto3 JSON mapping.
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
// in: its path variables filled with sample values that match the template,
// its body per the binding's body; query parameters are left out (they are
// optional). ok is false for a template that does not parse (never, after
// protoparse's checks).
func curlExample(h *model.HTTPBinding, in protoreflect.MessageDescriptor) (string, bool) {
	tmpl, err := transcode.ParseTemplate(h.Path)
	if err != nil {
		return "", false
	}
	path := samplePath(tmpl, in)
	line := "curl -s"
	if h.Verb != "GET" {
		line += " -X " + h.Verb
	}
	line += " 'localhost:8080" + path + "'"
	switch h.Body {
	case "":
	case "*":
		line += " -d '" + render.ProtoJSONWithout(in, tmpl.Fields) + "'"
	default:
		if fd := transcode.FieldByPath(in, h.Body); fd != nil {
			line += " -d '" + render.ProtoFieldJSON(fd, transcode.SubPaths(tmpl.Fields, h.Body)) + "'"
		}
	}
	return line, true
}

// samplePath fills the variables of tmpl with values that match it: a
// variable of one segment gets a value of its field's type, the wildcards
// of a pattern count up ("shelves/1/books/2").
func samplePath(tmpl *transcode.Template, in protoreflect.MessageDescriptor) string {
	segs := make([]string, len(tmpl.Segments))
	n := 0
	for i, s := range tmpl.Segments {
		switch {
		case s.Wild == "":
			segs[i] = s.Literal
		case s.Field != "" && tmpl.WholeVariable(i):
			segs[i] = scalarSample(transcode.FieldByPath(in, s.Field))
		default:
			n++
			segs[i] = strconv.Itoa(n)
		}
	}
	p := "/" + strings.Join(segs, "/")
	if tmpl.Verb != "" {
		p += ":" + tmpl.Verb
	}
	return p
}

// scalarSample is a path value for a field of fd's kind.
func scalarSample(fd protoreflect.FieldDescriptor) string {
	if fd == nil {
		return "1"
	}
	switch fd.Kind() {
	case protoreflect.BoolKind:
		return "true"
	case protoreflect.EnumKind:
		if values := fd.Enum().Values(); values.Len() > 0 {
			return string(values.Get(values.Len() - 1).Name())
		}
	case protoreflect.MessageKind:
		if sample := strings.Trim(render.ProtoJSON(fd.Message()), `"`); !strings.ContainsAny(sample, "{}[]/") {
			return sample // Duration, FieldMask, the wrappers
		}
	}
	return "1"
}
