package service

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// ProtoInterface emits <svc>/service_gen.go for a proto service: the
// package documentation, the Service interface with one method per rpc
// (unary rpcs take and return the generated messages; streaming rpcs have
// the signatures of the generated XServer interface, so the gRPC server
// hands them their stream directly), and the stream type aliases.
func ProtoInterface(ps *gokit.ProtoService) ([]byte, error) {
	svc, l := ps.Svc, ps.Layout
	f := gokit.ProtoNewFile(l.Service, ps)
	f.PackageComment("Package " + l.Service.Name + " declares the " + ps.FullName + " service of " + ps.File + ".")
	f.PackageComment("kitforge generates the Service interface from the .proto file: change the file, then")
	f.PackageComment("run `kitforge generate`. Implement the service in service_impl.go, which is yours.")

	doc := []string{"Service is the " + ps.FullName + " service."}
	if len(svc.Doc) > 0 {
		doc = append(doc, "")
		doc = append(doc, svc.Doc...)
	}
	f.Comment(gokit.CommentBlock(doc))
	f.Type().Id("Service").InterfaceFunc(func(g *jen.Group) {
		for _, m := range svc.Methods {
			g.Comment(gokit.CommentBlock(methodDoc(m, ps.Method(m))))
			g.Id(m.Name).Params(gokit.Params(m)...).Params(gokit.Results(m)...)
		}
	})
	for _, m := range svc.Methods {
		if !m.IsStreaming() {
			continue
		}
		pm := ps.Method(m)
		f.Comment(pm.StreamAlias + " is the server side of the " + pm.ProtoName + " stream: " + streamUse(m.Kind) + ".")
		f.Type().Id(pm.StreamAlias).Op("=").Add(gokit.StreamTypeCode(m, pm))
	}
	return gokit.Render(f)
}

// methodDoc is an interface method's doc: the rpc's comment, and for a
// streaming rpc a line saying it is served on gRPC only.
func methodDoc(m *model.Method, pm gokit.ProtoMethod) []string {
	doc := append([]string(nil), m.Doc...)
	if len(doc) == 0 {
		doc = []string{m.Name + " is the " + pm.ProtoName + " rpc."}
	}
	if m.IsStreaming() {
		doc = append(doc, "", "It streams, so it is served on gRPC only.")
	}
	return doc
}

// streamUse says how a server uses a stream of the given kind.
func streamUse(k model.MethodKind) string {
	switch k {
	case model.ServerStream:
		return "Send writes each response"
	case model.ClientStream:
		return "Recv reads each request (io.EOF at the end), SendAndClose answers once"
	default:
		return "Recv reads each request (io.EOF at the end), Send writes each response"
	}
}

// ProtoErrors emits <svc>/errors_gen.go for a proto service: errors are
// gRPC statuses, which both transports carry (HTTP maps their codes).
func ProtoErrors(ps *gokit.ProtoService) ([]byte, error) {
	f := gokit.ProtoNewFile(ps.Layout.Service, ps)
	f.Comment("ErrNotImplemented is returned by scaffolded methods that have no implementation yet:")
	f.Comment("a gRPC Unimplemented status, which gRPC clients receive as it is and HTTP clients")
	f.Comment("as 501 Not Implemented. Return other statuses the same way, e.g.")
	f.Comment("status.Errorf(codes.NotFound, \"no book %q\", name) answers NOT_FOUND and 404.")
	f.Var().Id("ErrNotImplemented").Op("=").Qual(gokit.PkgGRPCStatus, "Error").Call(jen.Qual(gokit.PkgGRPCCodes, "Unimplemented"), jen.Lit("not implemented"))
	return gokit.Render(f)
}

// ProtoMiddleware emits <svc>/middleware_gen.go for a proto service: the
// Middleware type and the logging and instrumenting middlewares, for every
// rpc (a streaming rpc is observed from its start to the end of its stream).
// Requests are not logged: messages may carry personal data.
func ProtoMiddleware(ps *gokit.ProtoService) ([]byte, error) {
	svc := ps.Svc
	f := gokit.ProtoNewFile(ps.Layout.Service, ps)
	f.Comment("Middleware describes a service middleware: a function that wraps a Service.")
	f.Type().Id("Middleware").Func().Params(jen.Id("Service")).Id("Service")

	f.Comment("LoggingMiddleware logs every call with its method, request id (of unary rpcs),")
	f.Comment("duration and error; a streaming rpc is logged when its stream ends. Messages")
	f.Comment("are not logged.")
	f.Func().Id("LoggingMiddleware").Params(jen.Id("logger").Qual(gokit.KitLog, "Logger")).Id("Middleware").Block(
		jen.Return(jen.Func().Params(jen.Id("next").Id("Service")).Id("Service").Block(
			jen.Return(jen.Id("loggingMiddleware").Values(jen.Id("logger"), jen.Id("next"))),
		)),
	)
	f.Type().Id("loggingMiddleware").Struct(jen.Id("logger").Qual(gokit.KitLog, "Logger"), jen.Id("next").Id("Service"))
	for _, m := range svc.Methods {
		f.Comment(m.Name + " logs the call and forwards it to the next Service.")
		f.Func().Params(jen.Id("mw").Id("loggingMiddleware")).Id(m.Name).Params(gokit.Params(m)...).Params(gokit.NamedResults(m)...).Block(
			jen.Defer().Func().Params(jen.Id("begin").Qual(gokit.PkgTime, "Time")).Block(
				jen.Id("_").Op("=").Id("mw").Dot("logger").Dot("Log").Call(append(logCallKeys(m),
					jen.Lit("took"), jen.Qual(gokit.PkgTime, "Since").Call(jen.Id("begin")), jen.Lit("err"), jen.Err())...),
			).Call(jen.Qual(gokit.PkgTime, "Now").Call()),
			forward(m, jen.Id("mw").Dot("next")),
		)
	}

	f.Comment("InstrumentingMiddleware counts calls by method and outcome (success or error)")
	f.Comment("and records their latency in seconds.")
	f.Func().Id("InstrumentingMiddleware").Params(
		jen.Id("requests").Qual(gokit.KitMetrics, "Counter"),
		jen.Id("latency").Qual(gokit.KitMetrics, "Histogram"),
	).Id("Middleware").Block(
		jen.Return(jen.Func().Params(jen.Id("next").Id("Service")).Id("Service").Block(
			jen.Return(jen.Id("instrumentingMiddleware").Values(jen.Id("requests"), jen.Id("latency"), jen.Id("next"))),
		)),
	)
	f.Type().Id("instrumentingMiddleware").Struct(
		jen.Id("requests").Qual(gokit.KitMetrics, "Counter"),
		jen.Id("latency").Qual(gokit.KitMetrics, "Histogram"),
		jen.Id("next").Id("Service"),
	)
	f.Comment("observe records one call of method that started at begin.")
	f.Func().Params(jen.Id("mw").Id("instrumentingMiddleware")).Id("observe").Params(
		jen.Id("method").String(), jen.Id("begin").Qual(gokit.PkgTime, "Time"), jen.Err().Error(),
	).Block(
		jen.Id("outcome").Op(":=").Lit("success"),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("outcome").Op("=").Lit("error")),
		jen.Id("mw").Dot("requests").Dot("With").Call(jen.Lit("method"), jen.Id("method"), jen.Lit("outcome"), jen.Id("outcome")).Dot("Add").Call(jen.Lit(1)),
		jen.Id("mw").Dot("latency").Dot("With").Call(jen.Lit("method"), jen.Id("method"), jen.Lit("outcome"), jen.Id("outcome")).Dot("Observe").Call(
			jen.Qual(gokit.PkgTime, "Since").Call(jen.Id("begin")).Dot("Seconds").Call()),
	)
	for _, m := range svc.Methods {
		f.Comment(m.Name + " records the call's outcome and latency.")
		f.Func().Params(jen.Id("mw").Id("instrumentingMiddleware")).Id(m.Name).Params(gokit.Params(m)...).Params(gokit.NamedResults(m)...).Block(
			jen.Defer().Func().Params(jen.Id("begin").Qual(gokit.PkgTime, "Time")).Block(
				jen.Id("mw").Dot("observe").Call(jen.Lit(m.Name), jen.Id("begin"), jen.Err()),
			).Call(jen.Qual(gokit.PkgTime, "Now").Call()),
			forward(m, jen.Id("mw").Dot("next")),
		)
	}
	genRequestIDContext(f)
	return gokit.Render(f)
}

// logCallKeys are the first key-value pairs of a call's log line: the
// method, and the request id of a method that takes a context.
func logCallKeys(m *model.Method) []jen.Code {
	kv := []jen.Code{jen.Lit("method"), jen.Lit(m.Name)}
	if m.HasContext {
		kv = append(kv, jen.Lit("request_id"), jen.Id("RequestIDFromContext").Call(jen.Id("ctx")))
	}
	return kv
}
