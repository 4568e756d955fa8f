package endpoint

import (
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// Endpoint emits <out>/<name>endpoint/endpoint_gen.go: the request and
// response types, MakeXEndpoint per method, and a Set that collects the
// endpoints and implements the service interface, as in addsvc's
// addendpoint/set.go.
func Endpoint(svc *model.Service, l gokit.Layout) ([]byte, error) {
	return emit(l.NewFile(l.Endpoint), svc, l, goInput{svc: svc, l: l})
}

// ProtoEndpoint emits <out>/<name>endpoint/endpoint_gen.go for a proto
// service: a Go kit endpoint per unary rpc, whose request and response are
// the generated messages themselves, collected in a Set that is also a
// typed client of the unary rpcs. Errors travel as the endpoints' errors
// (gRPC statuses), which both transports map.
func ProtoEndpoint(ps *gokit.ProtoService) ([]byte, error) {
	return emit(gokit.ProtoNewFile(ps.Layout.Endpoint, ps), ps.Svc, ps.Layout, protoInput{ps})
}

// input is what endpoint_gen.go differs by between a service declared as a
// Go interface (request and response structs of its Go types, errors in the
// response) and one declared in .proto files (the messages themselves,
// errors as gRPC statuses).
type input interface {
	// iface is the service interface the Set implements.
	iface() jen.Code
	// setDoc writes the doc comment of Set.
	setDoc(f *jen.File)
	// field is Set's field of m's endpoint, with its doc comment if any.
	field(m *model.Method) []jen.Code
	// assertsIface reports whether Set is asserted to implement iface.
	assertsIface() bool
	// setMethod makes Set implement m by calling its endpoint.
	setMethod(f *jen.File, m *model.Method)
	// makeEndpoint emits MakeXEndpoint, which adapts m to an endpoint.
	makeEndpoint(f *jen.File, m *model.Method)
	// messages emits m's request and response types, if the input has any
	// of its own.
	messages(f *jen.File, m *model.Method)
	// recovering returns the doc comment of RecoveringMiddleware, whether a
	// panic with ErrNotImplemented stays that error, and the error any other
	// panic becomes.
	recovering(l gokit.Layout) (doc []string, notImplemented bool, err jen.Code)
}

// emit writes endpoint_gen.go in f: Set, New, Chain, Set's methods,
// MakeXEndpoint, the input's messages and RecoveringMiddleware.
func emit(f *jen.File, svc *model.Service, l gokit.Layout, in input) ([]byte, error) {
	methods := gokit.UnaryMethods(svc)
	iface := in.iface()

	in.setDoc(f)
	fields := make([]jen.Code, 0, len(methods))
	for _, m := range methods {
		fields = append(fields, in.field(m)...)
	}
	f.Type().Id("Set").Struct(fields...)
	if in.assertsIface() {
		f.Var().Id("_").Add(iface).Op("=").Id("Set").Values()
	}

	f.Comment("New returns a Set that wraps svc, with mdw applied to every endpoint (the first")
	f.Comment("middleware is the outermost).")
	values := make([]jen.Code, 0, len(methods))
	for _, m := range methods {
		values = append(values, jen.Id(m.EndpointName()).Op(":").Id("Chain").Call(jen.Id("Make"+m.Name+"Endpoint").Call(jen.Id("svc")), jen.Id("mdw").Op("...")))
	}
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
		in.setMethod(f, m)
	}
	for _, m := range methods {
		in.makeEndpoint(f, m)
	}
	for _, m := range methods {
		in.messages(f, m)
	}
	genRecovering(f, l, in)
	return gokit.Render(f)
}

// goInput is the endpoint input of a Go interface.
type goInput struct {
	svc *model.Service
	l   gokit.Layout
}

func (g goInput) iface() jen.Code { return jen.Qual(g.l.Service.Path, g.svc.Interface.Name) }

func (g goInput) assertsIface() bool { return true }

func (g goInput) setDoc(f *jen.File) {
	f.Comment("Set collects all of the endpoints that compose the " + g.svc.Name + " service. It is")
	f.Comment("meant to be passed around as one value. Built from client endpoints, it is also")
	f.Comment("a typed client: Set implements " + g.l.Service.Name + "." + g.svc.Interface.Name + ".")
}

func (g goInput) field(m *model.Method) []jen.Code {
	return []jen.Code{jen.Id(m.EndpointName()).Qual(gokit.KitEndpoint, "Endpoint")}
}

// setMethod calls m's endpoint with XRequest and unpacks XResponse.
func (g goInput) setMethod(f *jen.File, m *model.Method) {
	ctx := jen.Id("ctx")
	var pre []jen.Code
	if !m.HasContext {
		ctx = jen.Qual(gokit.PkgContext, "Background").Call()
	}
	reqValues := make([]jen.Code, 0, len(m.Params))
	for _, p := range m.Params {
		reqValues = append(reqValues, jen.Id(p.GoName).Op(":").Id(p.VarName))
	}
	errVar := jen.Err()
	if !m.HasError {
		errVar = jen.Id("_")
	}
	body := append(pre,
		jen.List(jen.Id("resp"), errVar.Clone()).Op(":=").Id("s").Dot(m.EndpointName()).Call(ctx, jen.Id(m.RequestName()).Values(reqValues...)),
	)
	var ret jen.Code
	if m.HasError {
		body = append(body, jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return()))
	}
	if len(m.Results) > 0 || m.HasError {
		if m.HasError {
			body = append(body, jen.Id("response").Op(":=").Id("resp").Assert(jen.Id(m.ResponseName())))
		} else {
			// Without an error result a failed call has nowhere to go: the
			// zero values are returned.
			body = append(body,
				jen.List(jen.Id("response"), jen.Id("ok")).Op(":=").Id("resp").Assert(jen.Id(m.ResponseName())),
				jen.If(jen.Op("!").Id("ok")).Block(jen.Return()),
			)
		}
		var vals []jen.Code
		for _, r := range m.Results {
			vals = append(vals, jen.Id("response").Dot(r.GoName))
		}
		if m.HasError {
			vals = append(vals, jen.Id("response").Dot("Err"))
		}
		ret = jen.Return(vals...)
		body = append(body, ret)
	} else {
		// Nothing to return: the call's outcome is dropped.
		body[len(body)-1] = jen.List(jen.Id("_"), jen.Id("_")).Op("=").Id("s").Dot(m.EndpointName()).Call(ctx, jen.Id(m.RequestName()).Values(reqValues...))
	}

	doc := m.Doc
	if len(doc) == 0 {
		doc = []string{m.Name + " calls " + m.EndpointName() + "."}
	}
	if !m.HasError {
		doc = append(doc, "", "The interface method has no error result, so a failed call returns zero values.")
	}
	f.Comment(gokit.CommentBlock(doc))
	f.Func().Params(jen.Id("s").Id("Set")).Id(m.Name).Params(gokit.Params(m)...).Params(gokit.NamedResults(m)...).Block(body...)
}

// makeEndpoint adapts one service method to an endpoint.Endpoint; business
// errors travel in the response.
func (g goInput) makeEndpoint(f *jen.File, m *model.Method) {
	call := jen.Id("s").Dot(m.Name).Call(gokit.CallArgs(m, jen.Id("ctx"), func(p *model.Field) jen.Code {
		return jen.Id("req").Dot(p.GoName)
	})...)
	var body []jen.Code
	if len(m.Params) > 0 {
		body = append(body, jen.Id("req").Op(":=").Id("request").Assert(jen.Id(m.RequestName())))
	} else {
		body = append(body, jen.Id("_").Op("=").Id("request"))
	}
	lhs := gokit.ResultVars(m)
	if len(lhs) > 0 {
		body = append(body, jen.List(lhs...).Op(":=").Add(call))
	} else {
		body = append(body, call)
	}
	vals := make([]jen.Code, 0, len(m.Results)+1)
	for _, r := range m.Results {
		vals = append(vals, jen.Id(r.GoName).Op(":").Id(r.VarName))
	}
	if m.HasError {
		vals = append(vals, jen.Id("Err").Op(":").Err())
	}
	body = append(body, jen.Return(jen.Id(m.ResponseName()).Values(vals...), jen.Nil()))

	f.Comment("Make" + m.Name + "Endpoint returns an endpoint that calls " + m.Name + " on s. Business errors")
	f.Comment("travel in the response (see endpoint.Failer), not as the endpoint's error.")
	f.Func().Id("Make"+m.Name+"Endpoint").Params(jen.Id("s").Add(g.iface())).Qual(gokit.KitEndpoint, "Endpoint").Block(
		jen.Return(jen.Func().Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("request").Any()).Params(jen.Any(), jen.Error()).Block(body...)),
	)
}

// messages emits XRequest and XResponse with lowerCamel JSON tags, and
// Failed on responses of methods that return an error.
func (g goInput) messages(f *jen.File, m *model.Method) {
	f.Comment(m.RequestName() + " collects the parameters of " + m.Name + ".")
	f.Type().Id(m.RequestName()).Struct(structFields(m.Params)...)

	fields := structFields(m.Results)
	if m.HasError {
		fields = append(fields, jen.Id("Err").Error().Tag(map[string]string{"json": "-"}))
	}
	f.Comment(m.ResponseName() + " collects the results of " + m.Name + ".")
	f.Type().Id(m.ResponseName()).Struct(fields...)
	if m.HasError {
		f.Var().Id("_").Qual(gokit.KitEndpoint, "Failer").Op("=").Id(m.ResponseName()).Values()
		f.Comment("Failed implements endpoint.Failer.")
		f.Func().Params(jen.Id("r").Id(m.ResponseName())).Id("Failed").Params().Error().Block(jen.Return(jen.Id("r").Dot("Err")))
	}
}

// recovering: a panic becomes the service's StatusError 500, and a panic
// with ErrNotImplemented that error.
func (g goInput) recovering(l gokit.Layout) ([]string, bool, jen.Code) {
	doc := []string{
		"RecoveringMiddleware turns a panic below it into an error, so a bug answers",
		"500 Internal Server Error instead of killing the process. The caller gets a",
		"generic message with the request id; the log gets the panic, its stack and the",
		"same request id. A panic with ErrNotImplemented (the stub of a method without an",
		"error result) becomes that error, so it answers 501 like the other stubs.",
	}
	return doc, true, jen.Op("&").Qual(l.Service.Path, "StatusError").Values(
		jen.Id("Code").Op(":").Qual(gokit.PkgHTTP, "StatusInternalServerError"),
		jen.Id("Message").Op(":").Lit("internal error (request id ").Op("+").Id("id").Op("+").Lit(")"),
	)
}

func structFields(fs []*model.Field) []jen.Code {
	out := make([]jen.Code, 0, len(fs))
	for _, p := range fs {
		out = append(out, jen.Id(p.GoName).Add(gokit.TypeCode(p.Type)).Tag(map[string]string{"json": p.JSONName}))
	}
	return out
}

// protoInput is the endpoint input of a proto service: requests and
// responses are its generated messages.
type protoInput struct{ ps *gokit.ProtoService }

func (p protoInput) iface() jen.Code { return jen.Qual(p.ps.Layout.Service.Path, "Service") }

// assertsIface: the interface of a service with streaming rpcs has methods
// Set does not implement.
func (p protoInput) assertsIface() bool { return !p.ps.HasStreaming() }

func (p protoInput) setDoc(f *jen.File) {
	ps, svc, l := p.ps, p.ps.Svc, p.ps.Layout
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
}

func (p protoInput) field(m *model.Method) []jen.Code {
	return []jen.Code{
		jen.Comment(m.Name + "Endpoint calls the " + p.ps.Method(m).ProtoName + " rpc."),
		jen.Id(m.EndpointName()).Qual(gokit.KitEndpoint, "Endpoint"),
	}
}

func (p protoInput) setMethod(f *jen.File, m *model.Method) {
	pm := p.ps.Method(m)
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

func (p protoInput) makeEndpoint(f *jen.File, m *model.Method) {
	pm := p.ps.Method(m)
	f.Comment("Make" + m.Name + "Endpoint returns an endpoint that calls " + m.Name + " on s: its request is a")
	f.Comment("*" + pm.Input.Name + ", its response a *" + pm.Output.Name + ".")
	f.Func().Id("Make"+m.Name+"Endpoint").Params(jen.Id("s").Add(p.iface())).Qual(gokit.KitEndpoint, "Endpoint").Block(
		jen.Return(jen.Func().Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("request").Any()).Params(jen.Any(), jen.Error()).Block(
			jen.Return(jen.Id("s").Dot(m.Name).Call(jen.Id("ctx"), jen.Id("request").Assert(gokit.Msg(pm.Input)))),
		)),
	)
}

// messages: the generated messages are the requests and responses.
func (p protoInput) messages(*jen.File, *model.Method) {}

// recovering: a panic becomes an Internal gRPC status.
func (p protoInput) recovering(gokit.Layout) ([]string, bool, jen.Code) {
	doc := []string{
		"RecoveringMiddleware turns a panic below it into an Internal status (500 on",
		"HTTP) instead of killing the process. The caller gets a generic message with",
		"the request id; the log gets the panic, its stack and the same request id.",
	}
	return doc, false, jen.Qual(gokit.PkgGRPCStatus, "Error").Call(jen.Qual(gokit.PkgGRPCCodes, "Internal"), jen.Lit("internal error (request id ").Op("+").Id("id").Op("+").Lit(")"))
}

// genRecovering emits RecoveringMiddleware, which turns a panic in an
// endpoint into the input's internal error and a log line.
func genRecovering(f *jen.File, l gokit.Layout, in input) {
	doc, notImplemented, internal := in.recovering(l)
	for _, line := range doc {
		f.Comment(line)
	}
	var recovered []jen.Code
	if notImplemented {
		recovered = append(recovered, jen.If(jen.List(jen.Id("pe"), jen.Id("ok")).Op(":=").Id("p").Assert(jen.Error()), jen.Id("ok").Op("&&").Qual(gokit.PkgErrors, "Is").Call(jen.Id("pe"), l.ServiceIdent("ErrNotImplemented"))).Block(
			jen.List(jen.Id("response"), jen.Err()).Op("=").List(jen.Nil(), jen.Id("pe")),
			jen.Return(),
		))
	}
	recovered = append(recovered,
		jen.Id("id").Op(":=").Qual(l.Service.Path, "RequestIDOrNew").Call(jen.Qual(l.Service.Path, "RequestIDFromContext").Call(jen.Id("ctx"))),
		jen.Id("_").Op("=").Id("logger").Dot("Log").Call(jen.Lit("panic"), jen.Id("p"), jen.Lit("request_id"), jen.Id("id"), jen.Lit("stack"), jen.String().Parens(jen.Qual(gokit.PkgDebug, "Stack").Call())),
		jen.List(jen.Id("response"), jen.Err()).Op("=").List(jen.Nil(), internal),
	)
	f.Func().Id("RecoveringMiddleware").Params(jen.Id("logger").Qual(gokit.KitLog, "Logger")).Qual(gokit.KitEndpoint, "Middleware").Block(
		jen.Return(jen.Func().Params(jen.Id("next").Qual(gokit.KitEndpoint, "Endpoint")).Qual(gokit.KitEndpoint, "Endpoint").Block(
			jen.Return(jen.Func().Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("request").Any()).Params(jen.Id("response").Any(), jen.Err().Error()).Block(
				jen.Defer().Func().Params().Block(
					jen.If(jen.Id("p").Op(":=").Recover(), jen.Id("p").Op("!=").Nil()).Block(recovered...),
				).Call(),
				jen.Return(jen.Id("next").Call(jen.Id("ctx"), jen.Id("request"))),
			)),
		)),
	)
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
