package endpoint

import (
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
)

// ProtoEndpoint emits <out>/<name>endpoint/endpoint_gen.go for a proto
// service: a Go kit endpoint per unary rpc, whose request and response are
// the generated messages themselves, collected in a Set that is also a
// typed client of the unary rpcs. Errors travel as the endpoints' errors
// (gRPC statuses), which both transports map.
func ProtoEndpoint(ps *gokit.ProtoService) ([]byte, error) {
	svc, l := ps.Svc, ps.Layout
	f := gokit.ProtoNewFile(l.Endpoint, ps)
	iface := jen.Qual(l.Service.Path, "Service")
	methods := gokit.UnaryMethods(svc)

	f.Comment(protoSetDoc(ps))
	if ps.HasStreaming() {
		f.Comment("")
		f.Comment("The streaming rpcs (" + gokit.GRPCOnly(svc) + ") have no endpoint: Go kit endpoints are")
		if l.GRPC {
			f.Comment("unary. The gRPC server calls the service for them directly.")
		} else {
			f.Comment("unary. No transport serves them: gRPC is not generated.")
		}
	}
	fields := make([]jen.Code, 0, len(methods))
	for _, m := range methods {
		fields = append(fields,
			jen.Comment(m.Name+"Endpoint calls the "+ps.Method(m).ProtoName+" rpc."),
			jen.Id(m.EndpointName()).Qual(gokit.KitEndpoint, "Endpoint"))
	}
	f.Type().Id("Set").Struct(fields...)
	if !ps.HasStreaming() {
		f.Var().Id("_").Add(iface).Op("=").Id("Set").Values()
	}

	values := make([]jen.Code, 0, len(methods))
	for _, m := range methods {
		values = append(values, jen.Id(m.EndpointName()).Op(":").Id("Chain").Call(jen.Id("Make"+m.Name+"Endpoint").Call(jen.Id("svc")), jen.Id("mdw").Op("...")))
	}
	f.Comment("New returns a Set that wraps svc, with mdw applied to every endpoint (the first")
	f.Comment("middleware is the outermost).")
	f.Func().Id("New").Params(jen.Id("svc").Add(iface), jen.Id("mdw").Op("...").Qual(gokit.KitEndpoint, "Middleware")).Id("Set").Block(
		jen.Return(jen.Id("Set").Values(gokit.Multiline(values)...)),
	)

	f.Comment("Chain wraps e in mdw; the first middleware is the outermost.")
	f.Func().Id("Chain").Params(jen.Id("e").Qual(gokit.KitEndpoint, "Endpoint"), jen.Id("mdw").Op("...").Qual(gokit.KitEndpoint, "Middleware")).Qual(gokit.KitEndpoint, "Endpoint").Block(
		jen.For(jen.Id("i").Op(":=").Len(jen.Id("mdw")).Op("-").Lit(1), jen.Id("i").Op(">=").Lit(0), jen.Id("i").Op("--")).Block(
			jen.Id("e").Op("=").Id("mdw").Index(jen.Id("i")).Call(jen.Id("e")),
		),
		jen.Return(jen.Id("e")),
	)

	for _, m := range methods {
		pm := ps.Method(m)
		doc := append([]string(nil), m.Doc...)
		if len(doc) == 0 {
			doc = []string{m.Name + " calls " + m.Name + "Endpoint."}
		}
		f.Comment(gokit.CommentBlock(doc))
		f.Func().Params(jen.Id("s").Id("Set")).Id(m.Name).Params(gokit.Params(m)...).Params(gokit.Msg(pm.Output), jen.Error()).Block(
			jen.List(jen.Id("resp"), jen.Err()).Op(":=").Id("s").Dot(m.EndpointName()).Call(jen.Id("ctx"), jen.Id("in")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
			jen.Return(jen.Id("resp").Assert(gokit.Msg(pm.Output)), jen.Nil()),
		)
	}
	for _, m := range methods {
		pm := ps.Method(m)
		f.Comment("Make" + m.Name + "Endpoint returns an endpoint that calls " + m.Name + " on s: its request is a")
		f.Comment("*" + pm.Input.Name + ", its response a *" + pm.Output.Name + ".")
		f.Func().Id("Make"+m.Name+"Endpoint").Params(jen.Id("s").Add(iface)).Qual(gokit.KitEndpoint, "Endpoint").Block(
			jen.Return(jen.Func().Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("request").Any()).Params(jen.Any(), jen.Error()).Block(
				jen.Return(jen.Id("s").Dot(m.Name).Call(jen.Id("ctx"), jen.Id("request").Assert(gokit.Msg(pm.Input)))),
			)),
		)
	}

	f.Comment("RecoveringMiddleware turns a panic below it into an Internal status (500 on")
	f.Comment("HTTP) instead of killing the process. The caller gets a generic message with")
	f.Comment("the request id; the log gets the panic, its stack and the same request id.")
	f.Func().Id("RecoveringMiddleware").Params(jen.Id("logger").Qual(gokit.KitLog, "Logger")).Qual(gokit.KitEndpoint, "Middleware").Block(
		jen.Return(jen.Func().Params(jen.Id("next").Qual(gokit.KitEndpoint, "Endpoint")).Qual(gokit.KitEndpoint, "Endpoint").Block(
			jen.Return(jen.Func().Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("request").Any()).Params(jen.Id("response").Any(), jen.Err().Error()).Block(
				jen.Defer().Func().Params().Block(
					jen.If(jen.Id("p").Op(":=").Recover(), jen.Id("p").Op("!=").Nil()).Block(
						jen.Id("id").Op(":=").Qual(l.Service.Path, "RequestIDOrNew").Call(jen.Qual(l.Service.Path, "RequestIDFromContext").Call(jen.Id("ctx"))),
						jen.Id("_").Op("=").Id("logger").Dot("Log").Call(jen.Lit("panic"), jen.Id("p"), jen.Lit("request_id"), jen.Id("id"), jen.Lit("stack"), jen.String().Parens(jen.Qual(gokit.PkgDebug, "Stack").Call())),
						jen.List(jen.Id("response"), jen.Err()).Op("=").List(jen.Nil(), jen.Qual(gokit.PkgGRPCStatus, "Error").Call(jen.Qual(gokit.PkgGRPCCodes, "Internal"), jen.Lit("internal error (request id ").Op("+").Id("id").Op("+").Lit(")"))),
					),
				).Call(),
				jen.Return(jen.Id("next").Call(jen.Id("ctx"), jen.Id("request"))),
			)),
		)),
	)
	return gokit.Render(f)
}

// protoSetDoc is the first paragraph of the doc comment of a proto
// service's endpoint Set, which names the transports' clients that build one.
func protoSetDoc(ps *gokit.ProtoService) string {
	svc, l := ps.Svc, ps.Layout
	if l.GRPC && !l.NATS && !l.AMQP { // as it was written before NATS
		return "// Set collects the endpoints of the unary rpcs of the " + svc.GoName + " service. It is\n" +
			"// meant to be passed around as one value. Built from client endpoints (see\n" +
			"// " + l.Transport.Name + ".NewGRPCClient), it is a typed client of those rpcs."
	}
	var clients []string
	for _, c := range []struct {
		on   bool
		name string
	}{{l.GRPC, "NewGRPCClient"}, {l.NATS, "NewNATSClient"}, {l.AMQP, "NewAMQPClient"}} {
		if c.on {
			clients = append(clients, l.Transport.Name+"."+c.name)
		}
	}
	see := ""
	if len(clients) > 0 {
		see = " (see " + strings.Join(clients, " and ") + ")"
	}
	return gokit.WrapComment("Set collects the endpoints of the unary rpcs of the "+svc.GoName+" service. It is meant to be passed around as one value. Built from client endpoints"+see+", it is a typed client of those rpcs.", 77)
}
