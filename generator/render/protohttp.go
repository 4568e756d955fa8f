package render

import (
	"strconv"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/generator/transcode"
)

// ProtoHTTPRequest is a sample request for binding h of an rpc whose
// request message is in, one the transcoding decodes: the path with its
// variables filled with values that match the template (a variable of one
// segment gets a value of its field's type, the wildcards of a pattern
// count up: /v1/shelves/1/books/2), and the JSON body per the binding's body
// ("*": the message without its path fields; "field": that field's value
// without its path fields; none: ""). Query parameters are left out (they
// are optional).
func ProtoHTTPRequest(h *model.HTTPBinding, in protoreflect.MessageDescriptor) (path, body string, err error) {
	tmpl, err := transcode.ParseTemplate(h.Path)
	if err != nil {
		return "", "", err
	}
	segs := make([]string, len(tmpl.Segments))
	n := 0
	for i, s := range tmpl.Segments {
		switch {
		case s.Wild == "":
			segs[i] = s.Literal
		case tmpl.WholeVariable(i):
			segs[i] = pathSample(transcode.FieldByPath(in, s.Field))
		default:
			n++
			segs[i] = strconv.Itoa(n)
		}
	}
	path = "/" + strings.Join(segs, "/")
	if tmpl.Verb != "" {
		path += ":" + tmpl.Verb
	}
	switch h.Body {
	case "":
	case "*":
		body = ProtoJSONWithout(in, tmpl.Fields)
	default:
		if fd := transcode.FieldByPath(in, h.Body); fd != nil {
			body = ProtoFieldJSON(fd, transcode.SubPaths(tmpl.Fields, h.Body))
		}
	}
	return path, body, nil
}

// pathSample is a path value for a field of fd's kind.
func pathSample(fd protoreflect.FieldDescriptor) string {
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
		if sample := strings.Trim(ProtoJSON(fd.Message()), `"`); !strings.ContainsAny(sample, "{}[]/") {
			return sample // Duration, FieldMask, the wrappers
		}
	}
	return "1"
}
