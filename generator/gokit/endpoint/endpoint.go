package endpoint

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// Endpoint emits <out>/<name>endpoint/endpoint_gen.go: the request and
// response types, MakeXEndpoint per method, and a Set that collects the
// endpoints and implements the service interface, as in addsvc's
// addendpoint/set.go.
func Endpoint(svc *model.Service, l gokit.Layout) ([]byte, error) {
	f := l.NewFile(l.Endpoint)
	iface := jen.Qual(l.Service.Path, svc.Interface.Name)
	methods := gokit.UnaryMethods(svc)

	// Set.
	f.Comment("Set collects all of the endpoints that compose the " + svc.Name + " service. It is")
	f.Comment("meant to be passed around as one value. Built from client endpoints, it is also")
	f.Comment("a typed client: Set implements " + l.Service.Name + "." + svc.Interface.Name + ".")
	fields := make([]jen.Code, 0, len(methods))
	for _, m := range methods {
		fields = append(fields, jen.Id(m.EndpointName()).Qual(gokit.KitEndpoint, "Endpoint"))
	}
	f.Type().Id("Set").Struct(fields...)
	f.Var().Id("_").Add(iface).Op("=").Id("Set").Values()

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
		genSetMethod(f, m)
	}
	for _, m := range methods {
		genMakeEndpoint(f, m, iface)
	}
	for _, m := range methods {
		genRequestResponse(f, m)
	}
	genRecovering(f, l)
	return gokit.Render(f)
}

// genSetMethod makes Set implement one interface method by calling its
// endpoint.
func genSetMethod(f *jen.File, m *model.Method) {
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

// genMakeEndpoint emits MakeXEndpoint, which adapts one service method to
// an endpoint.Endpoint.
func genMakeEndpoint(f *jen.File, m *model.Method, iface jen.Code) {
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
	f.Func().Id("Make"+m.Name+"Endpoint").Params(jen.Id("s").Add(iface)).Qual(gokit.KitEndpoint, "Endpoint").Block(
		jen.Return(jen.Func().Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("request").Any()).Params(jen.Any(), jen.Error()).Block(body...)),
	)
}

// genRequestResponse emits XRequest and XResponse with lowerCamel JSON tags,
// and Failed on responses of methods that return an error.
func genRequestResponse(f *jen.File, m *model.Method) {
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

func structFields(fs []*model.Field) []jen.Code {
	out := make([]jen.Code, 0, len(fs))
	for _, p := range fs {
		out = append(out, jen.Id(p.GoName).Add(gokit.TypeCode(p.Type)).Tag(map[string]string{"json": p.JSONName}))
	}
	return out
}

// genRecovering emits RecoveringMiddleware, which turns a panic in an
// endpoint into an error (a 500 on HTTP) and a log line.
func genRecovering(f *jen.File, l gokit.Layout) {
	f.Comment("RecoveringMiddleware turns a panic below it into an error, so a bug answers")
	f.Comment("500 Internal Server Error instead of killing the process. The caller gets a")
	f.Comment("generic message with the request id; the log gets the panic, its stack and the")
	f.Comment("same request id. A panic with ErrNotImplemented (the stub of a method without an")
	f.Comment("error result) becomes that error, so it answers 501 like the other stubs.")
	f.Func().Id("RecoveringMiddleware").Params(jen.Id("logger").Qual(gokit.KitLog, "Logger")).Qual(gokit.KitEndpoint, "Middleware").Block(
		jen.Return(jen.Func().Params(jen.Id("next").Qual(gokit.KitEndpoint, "Endpoint")).Qual(gokit.KitEndpoint, "Endpoint").Block(
			jen.Return(jen.Func().Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("request").Any()).Params(jen.Id("response").Any(), jen.Err().Error()).Block(
				jen.Defer().Func().Params().Block(
					jen.If(jen.Id("p").Op(":=").Recover(), jen.Id("p").Op("!=").Nil()).Block(
						jen.If(jen.List(jen.Id("pe"), jen.Id("ok")).Op(":=").Id("p").Assert(jen.Error()), jen.Id("ok").Op("&&").Qual(gokit.PkgErrors, "Is").Call(jen.Id("pe"), l.ServiceIdent("ErrNotImplemented"))).Block(
							jen.List(jen.Id("response"), jen.Err()).Op("=").List(jen.Nil(), jen.Id("pe")),
							jen.Return(),
						),
						jen.Id("id").Op(":=").Qual(l.Service.Path, "RequestIDOrNew").Call(jen.Qual(l.Service.Path, "RequestIDFromContext").Call(jen.Id("ctx"))),
						jen.Id("_").Op("=").Id("logger").Dot("Log").Call(jen.Lit("panic"), jen.Id("p"), jen.Lit("request_id"), jen.Id("id"), jen.Lit("stack"), jen.String().Parens(jen.Qual(gokit.PkgDebug, "Stack").Call())),
						jen.List(jen.Id("response"), jen.Err()).Op("=").List(jen.Nil(), jen.Op("&").Qual(l.Service.Path, "StatusError").Values(
							jen.Id("Code").Op(":").Qual(gokit.PkgHTTP, "StatusInternalServerError"),
							jen.Id("Message").Op(":").Lit("internal error (request id ").Op("+").Id("id").Op("+").Lit(")"),
						)),
					),
				).Call(),
				jen.Return(jen.Id("next").Call(jen.Id("ctx"), jen.Id("request"))),
			)),
		)),
	)
}
