package pbgo

import (
	"github.com/dave/jennifer/jen"
	"google.golang.org/protobuf/compiler/protogen"
)

// methodNames writes the full method name constants ("/calc.Calc/Sum").
func (g *glue) methodNames(s *protogen.Service) {
	g.out.Line()
	g.out.Const().DefsFunc(func(defs *jen.Group) {
		for _, m := range s.Methods {
			name := fullMethodConst(m)
			defs.Comment(name + " is the full gRPC name of the " + s.GoName + "." + m.GoName + " method.")
			defs.Id(name).Op("=").Lit("/" + string(s.Desc.FullName()) + "/" + string(m.Desc.Name()))
		}
	})
}

// serviceDesc writes X_ServiceDesc: unary methods under Methods, streaming
// ones under Streams, and the .proto path as Metadata.
func (g *glue) serviceDesc(s *protogen.Service) {
	name := serviceDescName(s)
	var methods, streams []jen.Code
	for _, m := range s.Methods {
		if !isStreaming(m) {
			methods = append(methods, literal(
				field("MethodName", jen.Lit(string(m.Desc.Name()))),
				field("Handler", jen.Id(handlerName(m))),
			))
			continue
		}
		fields := []jen.Code{
			field("StreamName", jen.Lit(string(m.Desc.Name()))),
			field("Handler", jen.Id(handlerName(m))),
		}
		if m.Desc.IsStreamingServer() {
			fields = append(fields, field("ServerStreams", jen.True()))
		}
		if m.Desc.IsStreamingClient() {
			fields = append(fields, field("ClientStreams", jen.True()))
		}
		streams = append(streams, literal(fields...))
	}
	g.out.Line()
	g.out.Comment(name + " is the grpc.ServiceDesc of the " + s.GoName + " service, for")
	g.out.Comment("grpc.ServiceRegistrar.RegisterService; do not modify it.")
	g.out.Var().Id(name).Op("=").Qual(pkgGRPC, "ServiceDesc").Add(literal(
		field("ServiceName", jen.Lit(string(s.Desc.FullName()))),
		field("HandlerType", jen.Parens(jen.Op("*").Id(serverName(s))).Parens(jen.Nil())),
		field("Methods", jen.Index().Qual(pkgGRPC, "MethodDesc").Add(literal(methods...))),
		field("Streams", jen.Index().Qual(pkgGRPC, "StreamDesc").Add(literal(streams...))),
		field("Metadata", jen.Lit(g.f.Desc.Path())),
	))
}

// literal is a composite literal body with one element per line, in order.
func literal(elems ...jen.Code) *jen.Statement {
	return jen.Custom(jen.Options{Open: "{", Close: "}", Separator: ",", Multi: true}, elems...)
}

// field is one "Key: value" element of a literal.
func field(key string, value jen.Code) jen.Code {
	return jen.Id(key).Op(":").Add(value)
}
