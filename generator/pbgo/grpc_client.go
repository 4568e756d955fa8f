package pbgo

import (
	"strings"

	"github.com/dave/jennifer/jen"
	"google.golang.org/protobuf/compiler/protogen"
)

// client writes XClient, its implementation and NewXClient, as
// protoc-gen-go-grpc does; kitforge's own clients use Go kit, this one is for
// tests and for callers that want the plain gRPC API.
func (g *glue) client(s *protogen.Service) {
	iface := s.GoName + "Client"
	impl := unexport(s.GoName) + "Client"
	deprecated := serviceDeprecated(s)

	g.out.Line()
	g.out.Add(docComment(deprecated, s.Comments.Leading,
		iface+" is the client API for the "+s.GoName+" service.",
		"",
		"For semantics around ctx use and closing/ending streaming RPCs, see grpc.ClientConn.NewStream."))
	g.out.Type().Id(iface).InterfaceFunc(func(ms *jen.Group) {
		for _, m := range s.Methods {
			ms.Add(docComment(methodDeprecated(m), m.Comments.Leading))
			ms.Id(m.GoName).Add(g.clientSignature(m))
		}
	})

	g.out.Line()
	g.out.Type().Id(impl).Struct(jen.Id("cc").Qual(pkgGRPC, "ClientConnInterface"))

	g.out.Line()
	g.out.Add(docComment(deprecated, "", "New"+iface+" returns a "+iface+" that calls the "+s.GoName+" service over cc."))
	g.out.Func().Id("New" + iface).Params(jen.Id("cc").Qual(pkgGRPC, "ClientConnInterface")).Id(iface).Block(
		jen.Return(jen.Op("&").Id(impl).Values(jen.Id("cc"))),
	)

	streamIndex := 0
	for _, m := range s.Methods {
		body := g.unaryCall(m)
		if isStreaming(m) {
			body = g.streamCall(m, streamIndex)
			streamIndex++
		}
		g.out.Line()
		g.out.Add(docComment(methodDeprecated(m), "", m.GoName+" calls the "+s.GoName+"."+m.GoName+" method."))
		g.out.Func().Params(jen.Id("c").Op("*").Id(impl)).Id(m.GoName).Add(g.clientSignature(m)).Block(body...)
	}
}

// clientSignature is a client method's parameters and results.
func (g *glue) clientSignature(m *protogen.Method) *jen.Statement {
	params := []jen.Code{jen.Id("ctx").Qual(pkgContext, "Context")}
	if !m.Desc.IsStreamingClient() {
		params = append(params, jen.Id("in").Op("*").Add(g.message(m.Input)))
	}
	params = append(params, jen.Id("opts").Op("...").Qual(pkgGRPC, "CallOption"))
	result := jen.Op("*").Add(g.message(m.Output))
	if isStreaming(m) {
		result = g.streamType(m, "Client")
	}
	return jen.Params(params...).Params(result, jen.Error())
}

// callOptions starts every call: the method is static, then the caller's options.
func callOptions() jen.Code {
	return jen.Id("cOpts").Op(":=").Append(
		jen.Index().Qual(pkgGRPC, "CallOption").Values(jen.Qual(pkgGRPC, "StaticMethod").Call()),
		jen.Id("opts").Op("..."),
	)
}

// unaryCall is the body of a unary client method.
func (g *glue) unaryCall(m *protogen.Method) []jen.Code {
	return []jen.Code{
		callOptions(),
		jen.Id("out").Op(":=").New(g.message(m.Output)),
		jen.Id("err").Op(":=").Id("c").Dot("cc").Dot("Invoke").Call(
			jen.Id("ctx"), jen.Id(fullMethodConst(m)), jen.Id("in"), jen.Id("out"), jen.Id("cOpts").Op("..."),
		),
		jen.If(jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Id("err"))),
		jen.Return(jen.Id("out"), jen.Nil()),
	}
}

// streamCall is the body of a streaming client method; index is the
// method's position among the service's streams.
func (g *glue) streamCall(m *protogen.Method, index int) []jen.Code {
	returnErr := jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err()))
	body := []jen.Code{
		callOptions(),
		jen.List(jen.Id("stream"), jen.Err()).Op(":=").Id("c").Dot("cc").Dot("NewStream").Call(
			jen.Id("ctx"), jen.Op("&").Id(serviceDescName(m.Parent)).Dot("Streams").Index(jen.Lit(index)),
			jen.Id(fullMethodConst(m)), jen.Id("cOpts").Op("..."),
		),
		returnErr,
		jen.Id("x").Op(":=").Op("&").Qual(pkgGRPC, "GenericClientStream").Types(g.message(m.Input), g.message(m.Output)).Values(
			jen.Id("ClientStream").Op(":").Id("stream"),
		),
	}
	if !m.Desc.IsStreamingClient() {
		body = append(body,
			jen.If(jen.Err().Op(":=").Id("x").Dot("ClientStream").Dot("SendMsg").Call(jen.Id("in")), jen.Err().Op("!=").Nil()).Block(
				jen.Return(jen.Nil(), jen.Err())),
			jen.If(jen.Err().Op(":=").Id("x").Dot("ClientStream").Dot("CloseSend").Call(), jen.Err().Op("!=").Nil()).Block(
				jen.Return(jen.Nil(), jen.Err())),
		)
	}
	return append(body, jen.Return(jen.Id("x"), jen.Nil()))
}

// unexport lower-cases the first letter of an identifier.
func unexport(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
