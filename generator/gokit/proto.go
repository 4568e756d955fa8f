package gokit

import (
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/kitforge/kitforge/generator/model"
)

// ProtoService is a service declared in a .proto file, with what its
// emitters need besides the model: the Go package of its generated messages
// and gRPC glue, and the proto names gRPC routes by.
type ProtoService struct {
	Svc *model.Service
	// Layout places the service's packages: Service (the generated
	// interface and the user's implementation), Endpoint, Transport and PB
	// (the .pb.go and _grpc.pb.go of the file that declares it). Server and
	// CmdDir are shared by every service of the module.
	Layout Layout
	// FullName is the proto name of the service ("acme.users.v1.Users").
	FullName string
	// File is the import path of the .proto file that declares it.
	File string
	// Methods describe Svc.Methods, in the same order.
	Methods []ProtoMethod
	// HTTP reports whether the HTTP/JSON transcoding transport is generated
	// (kitforge.yaml transports); gRPC and NATS are in Layout.
	HTTP bool
	// PackageNames names the Go packages of generated messages by import
	// path: their names need not be the last element of their path
	// (".../library/v1" is package libraryv1).
	PackageNames map[string]string
}

// ImportNames tells f the names of the generated message packages, in a
// stable order.
func (ps *ProtoService) ImportNames(f *jen.File) {
	for _, p := range sortedKeys(ps.PackageNames) {
		f.ImportAlias(p, ps.PackageNames[p])
	}
}

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// ProtoMethod is what an rpc adds to its model method.
type ProtoMethod struct {
	// ProtoName is the rpc's name in the .proto file.
	ProtoName string
	// Input and Output are the Go types of its request and response.
	Input, Output model.Ident
	// StreamAlias names the stream type alias of a streaming rpc.
	StreamAlias string
	// Desc is the compiled rpc (README samples, OpenAPI schemas).
	Desc protoreflect.MethodDescriptor
}

// Method returns the proto description of m.
func (ps *ProtoService) Method(m *model.Method) ProtoMethod {
	for i, mm := range ps.Svc.Methods {
		if mm == m {
			return ps.Methods[i]
		}
	}
	panic("gokit: no proto method for " + m.Name)
}

// HasStreaming reports whether any rpc of the service streams.
func (ps *ProtoService) HasStreaming() bool {
	for _, m := range ps.Svc.Methods {
		if m.IsStreaming() {
			return true
		}
	}
	return false
}

// Msg is the Go type *T of a message.
func Msg(id model.Ident) *jen.Statement {
	return jen.Op("*").Qual(id.ImportPath, id.Name)
}

// ProtoNewFile starts a generated file of a proto service, naming the pb
// package as protoc-gen-go does.
func ProtoNewFile(pkg Pkg, ps *ProtoService) *jen.File {
	f := NewFile(pkg)
	ps.ImportNames(f)
	f.ImportName(ps.Layout.Service.Path, ps.Layout.Service.Name)
	f.ImportName(ps.Layout.Endpoint.Path, ps.Layout.Endpoint.Name)
	f.ImportAlias(KitGRPC, "grpctransport")
	f.ImportName(PkgGRPC, "grpc")
	f.ImportName(PkgGRPCCodes, "codes")
	f.ImportName(PkgGRPCStatus, "status")
	f.ImportName(PkgProto, "proto")
	return f
}

// PkgProto is the protobuf runtime's proto package.
const PkgProto = "google.golang.org/protobuf/proto"

// StreamTypeCode is grpc's generic server-side stream type of an rpc.
func StreamTypeCode(m *model.Method, pm ProtoMethod) *jen.Statement {
	in, out := jen.Qual(pm.Input.ImportPath, pm.Input.Name), jen.Qual(pm.Output.ImportPath, pm.Output.Name)
	switch m.Kind {
	case model.BidiStream:
		return jen.Qual(PkgGRPC, "BidiStreamingServer").Types(in, out)
	case model.ClientStream:
		return jen.Qual(PkgGRPC, "ClientStreamingServer").Types(in, out)
	default:
		return jen.Qual(PkgGRPC, "ServerStreamingServer").Types(out)
	}
}

// ProtoVar names a per-service local of Run: "endpoints" for one service,
// "libraryEndpoints" for several.
func ProtoVar(services []*ProtoService, ps *ProtoService, name string) string {
	if len(services) == 1 {
		return name
	}
	return ps.Svc.Name + UpperFirst(name)
}

// ProtoServerLayout is the layout of the one server of a module's proto
// services: the transports, registry and middlewares kitforge.yaml chose,
// which every service's layout carries.
func ProtoServerLayout(server Pkg, services []*ProtoService) Layout {
	l := Layout{Server: server, GRPC: true}
	if len(services) > 0 {
		sl := services[0].Layout
		l.GRPC, l.Discovery, l.Middleware = sl.GRPC, sl.Discovery, sl.Middleware
	}
	return l
}

// GRPCOnly lists the streaming rpcs of a service, for docs.
func GRPCOnly(svc *model.Service) string {
	var names []string
	for _, m := range svc.Methods {
		if m.IsStreaming() {
			names = append(names, m.Name)
		}
	}
	return strings.Join(names, ", ")
}
