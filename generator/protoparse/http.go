package protoparse

import (
	"fmt"
	"strings"

	"github.com/emicklei/proto"
	"google.golang.org/genproto/googleapis/api/annotations"
	gproto "google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/generator/transcode"
)

const hintHTTP = "fix the google.api.http annotation: see the HttpRule documentation in google/api/http.proto"

// httpRule reads an rpc's google.api.http option from its compiled
// descriptor, or nil when it has none. The options are re-read with the
// extension types linked into kitforge, whatever form the compiler left
// them in.
func httpRule(md protoreflect.MethodDescriptor) (*annotations.HttpRule, error) {
	b, err := gproto.Marshal(md.Options())
	if err != nil {
		return nil, err
	}
	var opts descriptorpb.MethodOptions
	if err := gproto.Unmarshal(b, &opts); err != nil {
		return nil, err
	}
	if !gproto.HasExtension(&opts, annotations.E_Http) {
		return nil, nil
	}
	return gproto.GetExtension(&opts, annotations.E_Http).(*annotations.HttpRule), nil
}

// ruleSpots are where the parts of one HttpRule are written.
type ruleSpots struct {
	pattern, body, responseBody model.Pos
}

// httpSpots finds, in the rpc's options as written, the position of each
// binding's parts: the rule itself first, then its additional_bindings in
// order. Parts that cannot be found point at the option.
func httpSpots(file string, rpc *proto.RPC) []ruleSpots {
	var out []ruleSpots
	for _, opt := range rpc.Options {
		at := position(file, opt.Position)
		switch {
		case opt.Name == "(google.api.http)":
			main := ruleSpots{at, at, at}
			var extra []ruleSpots
			for _, nl := range opt.Constant.OrderedMap {
				if nl.Name != "additional_bindings" {
					spotOf(file, nl, &main)
					continue
				}
				lits := nl.Literal.Array
				if len(lits) == 0 {
					lits = []*proto.Literal{nl.Literal}
				}
				for _, lit := range lits {
					s := ruleSpots{at, at, at}
					for _, inner := range lit.OrderedMap {
						spotOf(file, inner, &s)
					}
					extra = append(extra, s)
				}
			}
			out = append([]ruleSpots{main}, extra...)
		case strings.HasPrefix(opt.Name, "(google.api.http)."):
			p := position(file, opt.Constant.Position)
			if len(out) == 0 {
				out = append(out, ruleSpots{p, p, p})
			}
			switch strings.TrimPrefix(opt.Name, "(google.api.http).") {
			case "body":
				out[0].body = p
			case "response_body":
				out[0].responseBody = p
			default:
				out[0].pattern = p
			}
		}
	}
	return out
}

// spotOf records where one entry of an HttpRule literal is.
func spotOf(file string, nl *proto.NamedLiteral, s *ruleSpots) {
	lit := nl.Literal
	if nl.Name == "custom" {
		if p, ok := lit.OrderedMap.Get("path"); ok {
			lit = p
		}
	}
	if lit == nil || lit.Position.Line == 0 {
		return
	}
	p := position(file, lit.Position)
	switch nl.Name {
	case "get", "put", "post", "delete", "patch", "custom":
		s.pattern = p
	case "body":
		s.body = p
	case "response_body":
		s.responseBody = p
	}
}

// rulePattern returns the HTTP method and path template of a rule.
func rulePattern(r *annotations.HttpRule) (string, string) {
	switch p := r.GetPattern().(type) {
	case *annotations.HttpRule_Get:
		return "GET", p.Get
	case *annotations.HttpRule_Put:
		return "PUT", p.Put
	case *annotations.HttpRule_Post:
		return "POST", p.Post
	case *annotations.HttpRule_Delete:
		return "DELETE", p.Delete
	case *annotations.HttpRule_Patch:
		return "PATCH", p.Patch
	case *annotations.HttpRule_Custom:
		return p.Custom.GetKind(), p.Custom.GetPath()
	}
	return "", ""
}

// httpBindings turns an rpc's HttpRule (and its additional_bindings) into
// checked model bindings. An rpc without one gets POST /<service>/<rpc>
// with the whole request as its JSON body, the path gRPC itself uses, so it
// can never take another rpc's route.
func httpBindings(file string, rpc *proto.RPC, md protoreflect.MethodDescriptor, rule *annotations.HttpRule, at model.Pos) ([]*model.HTTPBinding, error) {
	if rule == nil {
		return []*model.HTTPBinding{{
			Verb: "POST", Path: "/" + string(md.Parent().FullName()) + "/" + string(md.Name()), Body: "*", Pos: at,
		}}, nil
	}
	rules := append([]*annotations.HttpRule{rule}, rule.GetAdditionalBindings()...)
	spots := httpSpots(file, rpc)
	var out []*model.HTTPBinding
	for i, r := range rules {
		s := ruleSpots{at, at, at}
		if i < len(spots) {
			s = spots[i]
		}
		if i > 0 && len(r.GetAdditionalBindings()) > 0 {
			return nil, model.Errorf(s.pattern, hintHTTP, "rpc %s: additional_bindings must not have additional_bindings themselves", md.Name())
		}
		b, err := checkBinding(md, r, s)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// checkBinding checks one rule against the request and response messages:
// the template parses as the runtime will parse it, every variable names a
// singular scalar field (through singular message fields), the body names
// a top-level field that is not repeated (and GET has none), and
// response_body names a top-level field of the response.
func checkBinding(md protoreflect.MethodDescriptor, r *annotations.HttpRule, s ruleSpots) (*model.HTTPBinding, error) {
	verb, tmpl := rulePattern(r)
	fail := func(at model.Pos, format string, args ...any) error {
		return model.Errorf(at, hintHTTP, "rpc %s: google.api.http %s %q: %s", md.Name(), verb, tmpl, fmt.Sprintf(format, args...))
	}
	if verb == "" || tmpl == "" {
		return nil, model.Errorf(s.pattern, hintHTTP, "rpc %s: google.api.http needs a pattern: get, put, post, delete, patch or custom {kind, path}", md.Name())
	}
	t, err := transcode.ParseTemplate(tmpl)
	if err != nil {
		return nil, fail(s.pattern, "%v", err)
	}
	in, out := md.Input(), md.Output()
	for _, f := range t.Fields {
		if err := checkPathField(in, f); err != nil {
			return nil, fail(s.pattern, "%v", err)
		}
	}
	body := r.GetBody()
	switch {
	case body == "" || body == "*":
	default:
		fd := in.Fields().ByName(protoreflect.Name(body))
		if fd == nil {
			return nil, fail(s.body, "body: %s has no field %q (body names a top-level field of the request, or is \"*\")", in.FullName(), body)
		}
		if fd.IsList() || fd.IsMap() {
			return nil, fail(s.body, "body: field %s is repeated; the body field must not be", body)
		}
	}
	if verb == "GET" && body != "" {
		return nil, fail(s.body, "a GET request has no body: remove body, or use POST")
	}
	resp := r.GetResponseBody()
	if resp != "" && resp != "*" && out.Fields().ByName(protoreflect.Name(resp)) == nil {
		return nil, fail(s.responseBody, "response_body: %s has no field %q", out.FullName(), resp)
	}
	return &model.HTTPBinding{Verb: verb, Path: tmpl, PathParams: t.Fields, Body: body, ResponseBody: resp, Pos: s.pattern}, nil
}

// checkPathField checks that a template variable names a field the URL can
// carry: singular message fields down to a singular scalar, enum or
// well-known scalar type (Timestamp, Duration, FieldMask, wrappers).
func checkPathField(md protoreflect.MessageDescriptor, path string) error {
	names := strings.Split(path, ".")
	for i, name := range names {
		fd := md.Fields().ByName(protoreflect.Name(name))
		if fd == nil {
			return fmt.Errorf("{%s}: %s has no field %q (variables name fields by their proto names)", path, md.FullName(), name)
		}
		if fd.IsList() || fd.IsMap() {
			return fmt.Errorf("{%s}: field %s is repeated, which a path variable cannot bind", path, name)
		}
		last := i == len(names)-1
		msg := fd.Message()
		switch {
		case last && msg != nil && !transcode.ScalarMessage(msg.FullName()):
			return fmt.Errorf("{%s}: field %s is a message (%s); bind one of its fields, e.g. {%s.name}", path, name, msg.FullName(), path)
		case !last && (msg == nil || transcode.ScalarMessage(msg.FullName())):
			return fmt.Errorf("{%s}: field %s is not a message, so it has no field %q", path, name, names[i+1])
		}
		if !last {
			md = msg
		}
	}
	return nil
}
