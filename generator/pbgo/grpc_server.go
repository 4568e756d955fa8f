package pbgo

import (
	"github.com/dave/jennifer/jen"
	"google.golang.org/protobuf/compiler/protogen"
)

// server writes the XServer interface with grpc's generic stream types.
func (g *glue) server(s *protogen.Service) {
	name := serverName(s)
	g.out.Line()
	g.out.Add(docComment(serviceDeprecated(s), s.Comments.Leading,
		name+" is the server API for the "+s.GoName+" service.",
		"Implementations must embed "+unimplementedName(s)+" for forward compatibility."))
	g.out.Type().Id(name).InterfaceFunc(func(ms *jen.Group) {
		for _, m := range s.Methods {
			ms.Add(docComment(methodDeprecated(m), m.Comments.Leading))
			ms.Id(m.GoName).Add(g.serverSignature(m))
		}
		ms.Id(mustEmbedName(s)).Params()
	})
}

// serverSignature is a server method's parameters and results, unnamed:
// (ctx, *Req) (*Res, error) for unary methods, streams otherwise.
func (g *glue) serverSignature(m *protogen.Method) *jen.Statement {
	switch {
	case !isStreaming(m):
		return jen.Params(jen.Qual(pkgContext, "Context"), jen.Op("*").Add(g.message(m.Input))).
			Params(jen.Op("*").Add(g.message(m.Output)), jen.Error())
	case m.Desc.IsStreamingClient():
		return jen.Params(g.streamType(m, "Server")).Error()
	default:
		return jen.Params(jen.Op("*").Add(g.message(m.Input)), g.streamType(m, "Server")).Error()
	}
}

// unimplemented writes UnimplementedXServer and UnsafeXServer.
func (g *glue) unimplemented(s *protogen.Service) {
	name := unimplementedName(s)
	g.out.Line()
	g.out.Comment(name + " must be embedded, by value, in implementations of " + serverName(s) + ":")
	g.out.Comment("the methods they do not implement answer codes.Unimplemented, and an rpc added")
	g.out.Comment("to the service does not break their build.")
	g.out.Type().Id(name).Struct()
	recv := jen.Params(jen.Id(name))
	for _, m := range s.Methods {
		msg := jen.Lit("method " + m.GoName + " not implemented")
		ret := jen.Return(jen.Qual(pkgStatus, "Error").Call(jen.Qual(pkgCodes, "Unimplemented"), msg))
		if !isStreaming(m) {
			ret = jen.Return(jen.Nil(), jen.Qual(pkgStatus, "Error").Call(jen.Qual(pkgCodes, "Unimplemented"), msg))
		}
		g.out.Line()
		g.out.Comment(m.GoName + " answers codes.Unimplemented.")
		g.out.Func().Add(recv.Clone()).Id(m.GoName).Add(g.serverSignature(m)).Block(ret)
	}
	g.out.Line()
	g.out.Func().Add(recv.Clone()).Id(mustEmbedName(s)).Params().Block()
	g.out.Func().Add(recv.Clone()).Id("testEmbeddedByValue").Params().Block()

	unsafe := "Unsafe" + serverName(s)
	g.out.Line()
	g.out.Comment(unsafe + " may be embedded instead of " + name + " to opt out of forward")
	g.out.Comment("compatibility: an rpc added to the service then breaks the build. Not recommended.")
	g.out.Type().Id(unsafe).Interface(jen.Id(mustEmbedName(s)).Params())
}

// register writes RegisterXServer.
func (g *glue) register(s *protogen.Service) {
	g.out.Line()
	g.out.Add(docComment(serviceDeprecated(s), "",
		"Register"+serverName(s)+" registers srv, the implementation of the "+s.GoName+" service, with s."))
	g.out.Func().Id("Register"+serverName(s)).Params(
		jen.Id("s").Qual(pkgGRPC, "ServiceRegistrar"), jen.Id("srv").Id(serverName(s)),
	).Block(
		jen.Comment("Calling testEmbeddedByValue panics now, not on the first unimplemented call,"),
		jen.Comment("if "+unimplementedName(s)+" was embedded by pointer and is nil."),
		jen.If(
			jen.List(jen.Id("t"), jen.Id("ok")).Op(":=").Id("srv").Assert(jen.Op("interface{ testEmbeddedByValue() }")),
			jen.Id("ok"),
		).Block(jen.Id("t").Dot("testEmbeddedByValue").Call()),
		jen.Id("s").Dot("RegisterService").Call(jen.Op("&").Id(serviceDescName(s)), jen.Id("srv")),
	)
}

// handler writes the function grpc calls for one method.
func (g *glue) handler(m *protogen.Method) {
	call := jen.Id("srv").Assert(jen.Id(serverName(m.Parent))).Dot(m.GoName)
	in := g.message(m.Input)
	if isStreaming(m) {
		stream := jen.Op("&").Qual(pkgGRPC, "GenericServerStream").Types(in.Clone(), g.message(m.Output)).Values(
			jen.Id("ServerStream").Op(":").Id("stream"))
		var body []jen.Code
		if m.Desc.IsStreamingClient() {
			body = append(body, jen.Return(call.Call(stream)))
		} else {
			body = append(body,
				jen.Id("m").Op(":=").New(in),
				jen.If(jen.Err().Op(":=").Id("stream").Dot("RecvMsg").Call(jen.Id("m")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
				jen.Return(call.Call(jen.Id("m"), stream)),
			)
		}
		g.out.Line()
		g.out.Func().Id(handlerName(m)).Params(
			jen.Id("srv").Any(), jen.Id("stream").Qual(pkgGRPC, "ServerStream"),
		).Error().Block(body...)
		return
	}
	g.out.Line()
	g.out.Func().Id(handlerName(m)).Params(
		jen.Id("srv").Any(),
		jen.Id("ctx").Qual(pkgContext, "Context"),
		jen.Id("dec").Func().Params(jen.Any()).Error(),
		jen.Id("interceptor").Qual(pkgGRPC, "UnaryServerInterceptor"),
	).Params(jen.Any(), jen.Error()).Block(
		jen.Id("in").Op(":=").New(in.Clone()),
		jen.If(jen.Err().Op(":=").Id("dec").Call(jen.Id("in")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.If(jen.Id("interceptor").Op("==").Nil()).Block(jen.Return(call.Clone().Call(jen.Id("ctx"), jen.Id("in")))),
		jen.Id("info").Op(":=").Op("&").Qual(pkgGRPC, "UnaryServerInfo").Add(literal(
			field("Server", jen.Id("srv")),
			field("FullMethod", jen.Id(fullMethodConst(m))),
		)),
		jen.Id("handler").Op(":=").Func().Params(
			jen.Id("ctx").Qual(pkgContext, "Context"), jen.Id("req").Any(),
		).Params(jen.Any(), jen.Error()).Block(
			jen.Return(call.Clone().Call(jen.Id("ctx"), jen.Id("req").Assert(jen.Op("*").Add(in.Clone())))),
		),
		jen.Return(jen.Id("interceptor").Call(jen.Id("ctx"), jen.Id("in"), jen.Id("info"), jen.Id("handler"))),
	)
}
