package protoparse

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/emicklei/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/kitforge/kitforge/generator/model"
)

// reservedRoutes are served by the generated server itself.
var reservedRoutes = []string{"/healthz", "/readyz", "/metrics"}

// services maps the services of the root files to the model, in file and
// declaration order.
func (l *loader) services(fds map[string]protoreflect.FileDescriptor) ([]*Service, []string, error) {
	var out []*Service
	var notes []string
	used := map[string]bool{}
	routes := map[string]string{} // verb + shape → rpc, across services: they share one server
	for _, s := range l.sources {
		if !s.Root {
			continue
		}
		fd := fds[s.ImportPath]
		for _, e := range s.ast.Elements {
			es, ok := e.(*proto.Service)
			if !ok {
				continue
			}
			sd := fd.Services().ByName(protoreflect.Name(es.Name))
			if sd == nil {
				return nil, nil, fmt.Errorf("protoparse: %s: service %s not compiled", s.Display, es.Name)
			}
			name := serviceName(es.Name)
			for n := 2; used[name]; n++ {
				name = serviceName(es.Name) + strconv.Itoa(n)
			}
			used[name] = true
			svc, more, err := l.service(s, es, sd, name, routes)
			if err != nil {
				return nil, nil, err
			}
			out = append(out, svc)
			notes = append(notes, more...)
		}
	}
	if len(out) == 0 {
		var names []string
		for _, f := range l.cfg.Files {
			names = append(names, l.display(l.abs(f)))
		}
		return nil, nil, &model.Error{Pos: model.Pos{File: names[0]}, Msg: "no service declared in " + strings.Join(names, ", "),
			Hint: "declare a service with at least one rpc, or name the file that does with --proto"}
	}
	return out, notes, nil
}

// service maps one proto service.
func (l *loader) service(s *source, es *proto.Service, sd protoreflect.ServiceDescriptor, name string, routes map[string]string) (*Service, []string, error) {
	path, pkgName, dir := l.cfg.ServicePackage(name)
	svc := &Service{
		FullName: string(sd.FullName()),
		File:     s.ImportPath,
		PB:       s.Go,
		Model: &model.Service{
			Name:        name,
			GoName:      goCamelCase(es.Name),
			Interface:   model.Ident{ImportPath: path, Name: "Service"},
			PackageName: pkgName,
			Dir:         filepath.Join(l.cfg.ModuleRoot, filepath.FromSlash(dir)),
			Doc:         docLines(es.Comment),
			Source:      model.SourceProto,
			Pos:         position(s.Display, es.Position),
		},
	}
	var notes []string
	for _, e := range es.Elements {
		rpc, ok := e.(*proto.RPC)
		if !ok {
			continue
		}
		md := sd.Methods().ByName(protoreflect.Name(rpc.Name))
		if md == nil {
			return nil, nil, fmt.Errorf("protoparse: %s: rpc %s.%s not compiled", s.Display, es.Name, rpc.Name)
		}
		m, note, err := l.method(s, svc, rpc, md)
		if err != nil {
			return nil, nil, err
		}
		if note != "" {
			notes = append(notes, note)
		}
		if err := checkRoutes(svc.Model.GoName, m.Model, routes); err != nil {
			return nil, nil, err
		}
		svc.Methods = append(svc.Methods, m)
		svc.Model.Methods = append(svc.Model.Methods, m.Model)
	}
	model.AssignEndpointFields(svc.Model.Methods)
	return svc, notes, nil
}

// method maps one rpc. Unary rpcs take (ctx, *Request) and return
// (*Response, error) and get HTTP bindings; streaming rpcs have the
// signatures of the generated XServer interface, their stream type named by
// an alias in the service package, and are served on gRPC only: the note
// says so.
func (l *loader) method(s *source, svc *Service, rpc *proto.RPC, md protoreflect.MethodDescriptor) (*Method, string, error) {
	at := position(s.Display, rpc.Position)
	in, err := l.messageIdent(md.Input())
	if err != nil {
		return nil, "", model.Errorf(at, hintGoPackage, "rpc %s: %v", rpc.Name, err)
	}
	out, err := l.messageIdent(md.Output())
	if err != nil {
		return nil, "", model.Errorf(at, hintGoPackage, "rpc %s: %v", rpc.Name, err)
	}
	m := &Method{ProtoName: rpc.Name, Input: in, Output: out, Desc: md}
	mm := &model.Method{Name: goCamelCase(rpc.Name), Doc: docLines(rpc.Comment), Pos: at, HasError: true}
	if _, ok := model.VetMethods[mm.Name]; ok && !model.ErrorOnlyVetMethods[mm.Name] {
		return nil, "", model.Errorf(at, "rename the rpc",
			"rpc %s: its Go method %s would fail go vet, which requires a method of that name to have the signature %s%s (its stdmethods check)",
			rpc.Name, mm.Name, mm.Name, model.VetMethods[mm.Name])
	}
	m.Model = mm
	inField := &model.Field{VarName: "in", GoName: "In", JSONName: "in", Type: messageType(in), Pos: at}
	rule, err := httpRule(md)
	if err != nil {
		return nil, "", fmt.Errorf("%s: rpc %s: %w", at, rpc.Name, err)
	}
	if mm.Async, err = isAsync(mm.Doc, md, at, rpc.Name); err != nil {
		return nil, "", err
	}
	switch {
	case rpc.StreamsRequest && rpc.StreamsReturns:
		mm.Kind = model.BidiStream
	case rpc.StreamsRequest:
		mm.Kind = model.ClientStream
	case rpc.StreamsReturns:
		mm.Kind = model.ServerStream
	default:
		mm.Kind = model.Unary
		mm.HasContext = true
		mm.Params = []*model.Field{inField}
		mm.Results = []*model.Field{{VarName: "out", GoName: "Out", JSONName: "out", Type: messageType(out), Pos: at}}
		mm.HTTP, err = httpBindings(s.Display, rpc, md, rule, at)
		return m, "", err
	}
	m.StreamAlias = mm.Name + "Stream"
	stream := &model.Field{VarName: "stream", GoName: "Stream", JSONName: "stream", Pos: at,
		Type: &model.Type{Kind: model.Named, Ident: model.Ident{ImportPath: svc.Model.Interface.ImportPath, Name: m.StreamAlias}}}
	if mm.Kind == model.ServerStream {
		mm.Params = []*model.Field{inField, stream}
	} else {
		mm.Params = []*model.Field{stream}
	}
	kind := map[model.MethodKind]string{model.ServerStream: "streams its responses", model.ClientStream: "streams its requests", model.BidiStream: "streams both ways"}[mm.Kind]
	switch {
	case rule == nil:
		return m, fmt.Sprintf("%s: rpc %s.%s %s: served on gRPC only (give it a google.api.http annotation to serve it over HTTP too)", at, svc.Model.GoName, rpc.Name, kind), nil
	case mm.Kind == model.BidiStream:
		return m, fmt.Sprintf("%s: rpc %s.%s %s: served on gRPC only; its google.api.http annotation is not served (an HTTP/1.1 exchange streams one way at a time)", at, svc.Model.GoName, rpc.Name, kind), nil
	}
	// A server stream answers newline-delimited JSON (or Server-Sent
	// Events); a client stream reads one message per line of the body.
	if mm.HTTP, err = httpBindings(s.Display, rpc, md, rule, at); err != nil {
		return m, "", err
	}
	if mm.Kind == model.ClientStream {
		for _, b := range mm.HTTP {
			if b.Body != "*" || strings.Contains(b.Path, "{") {
				return m, "", model.Errorf(b.Pos, `write body: "*" and a path without variables: each line of the body is a whole request message`,
					"rpc %s.%s streams its requests: its HTTP binding %s %s cannot bind a part of them", svc.Model.GoName, rpc.Name, b.Verb, b.Path)
			}
		}
	}
	return m, "", nil
}

// checkRoutes refuses a binding that matches exactly the requests an
// earlier one matches, or that the server's own endpoints would shadow.
func checkRoutes(service string, m *model.Method, routes map[string]string) error {
	for _, b := range m.HTTP {
		key := b.Verb + " " + shapeOf(b.Path)
		if other, dup := routes[key]; dup {
			return model.Errorf(b.Pos, "give each binding its own method and path (variable names do not distinguish routes)",
				"rpc %s: route %s %s matches the same requests as a route of rpc %s", m.Name, b.Verb, b.Path, other)
		}
		routes[key] = service + "." + m.Name
		for _, r := range reservedRoutes {
			if shapeOf(b.Path) == r && (b.Verb == "GET" || b.Verb == "*") {
				return model.Errorf(b.Pos, "choose another path", "rpc %s: route %s %s is the server's own %s endpoint", m.Name, b.Verb, b.Path, r)
			}
		}
	}
	return nil
}

// messageIdent is the Go type of a message: its name as protoc-gen-go
// spells it, in the Go package of the file that declares it.
func (l *loader) messageIdent(md protoreflect.MessageDescriptor) (model.Ident, error) {
	file := md.ParentFile()
	var goPath string
	if s := l.byImport[file.Path()]; s != nil {
		goPath = s.Go.Path
	} else if opts, ok := file.Options().(*descriptorpb.FileOptions); ok {
		goPath, _, _ = strings.Cut(opts.GetGoPackage(), ";")
	}
	if goPath == "" {
		return model.Ident{}, fmt.Errorf("message %s: %s has no go_package, so its Go package is unknown", md.FullName(), file.Path())
	}
	name := strings.TrimPrefix(string(md.FullName()), string(file.Package())+".")
	return model.Ident{ImportPath: goPath, Name: goCamelCase(name)}, nil
}

// messageType is *T for a message's Go type T.
func messageType(id model.Ident) *model.Type {
	return &model.Type{Kind: model.Pointer, Elem: &model.Type{Kind: model.Named, Ident: id, Underlying: &model.Type{Kind: model.Struct}}}
}

// docLines turns a leading comment into doc lines without comment markers.
func docLines(c *proto.Comment) []string {
	if c == nil {
		return nil
	}
	var out []string
	for _, l := range c.Lines {
		l = strings.TrimRight(l, " \t\r")
		if c.Cstyle {
			l = strings.TrimPrefix(strings.TrimLeft(l, " \t"), "*")
		}
		out = append(out, strings.TrimPrefix(l, " "))
	}
	for len(out) > 0 && out[0] == "" {
		out = out[1:]
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}
