package server

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/gokit/transport"
)

// optionFunc is one With* function of the server package: name, doc, its
// parameter and the statement that records it in o.
type optionFunc struct {
	name, doc string
	param     jen.Code
	set       jen.Code
}

// genOptions emits Option, the With* functions and the options Run reads,
// into server_gen.go. grpcOn adds the gRPC options; statusErrors says the
// mapped errors carry a gRPC status (gRPC on, or a proto service, whose
// HTTP errors are gRPC statuses too).
func genOptions(f *jen.File, grpcOn, statusErrors bool) {
	handlerMW := jen.Func().Params(jen.Qual(gokit.PkgHTTP, "Handler")).Qual(gokit.PkgHTTP, "Handler")
	appendTo := func(field, arg string) jen.Code {
		return jen.Id("o").Dot(field).Op("=").Append(jen.Id("o").Dot(field), jen.Id(arg).Op("..."))
	}
	fields := []jen.Code{
		jen.Id("httpMiddleware").Index().Add(handlerMW.Clone()),
		jen.Id("routes").Index().Id("route"),
		jen.Id("endpoint").Index().Qual(gokit.KitEndpoint, "Middleware"),
		jen.Id("registry").Op("*").Qual(gokit.PromClient, "Registry"),
		jen.Id("errorStatus").Func().Params(jen.Error()).Int(),
		jen.Id("tls").Op("*").Qual(gokit.PkgTLS, "Config"),
	}
	funcs := []optionFunc{
		{"WithHTTPMiddleware", "wraps the whole HTTP handler (service routes, probes, metrics and extra routes) in mw, the first outermost: CORS, request ids, access logs.",
			jen.Id("mw").Op("...").Add(handlerMW.Clone()), appendTo("httpMiddleware", "mw")},
		{"WithHTTPRoute", "serves h on pattern (a net/http ServeMux pattern such as \"GET /version\") beside the service's routes; a pattern that clashes with another route panics at start.",
			jen.Id("pattern").String().Op(",").Id("h").Qual(gokit.PkgHTTP, "Handler"),
			jen.Id("o").Dot("routes").Op("=").Append(jen.Id("o").Dot("routes"), jen.Id("route").Values(jen.Id("pattern"), jen.Id("h")))},
		{"WithEndpointMiddleware", "wraps every endpoint in mw, the first outermost, inside the middlewares of kitforge.yaml and panic recovery: what every transport serves.",
			jen.Id("mw").Op("...").Qual(gokit.KitEndpoint, "Middleware"), appendTo("endpoint", "mw")},
		{"WithRegistry", "makes Run register its metrics with reg and serve reg on GET /metrics, so that collectors registered by the caller are served too.",
			jen.Id("reg").Op("*").Qual(gokit.PromClient, "Registry"), jen.Id("o").Dot("registry").Op("=").Id("reg")},
		{"WithErrorStatus", "maps errors of the service to HTTP statuses (and the matching gRPC codes) without a StatusCode method: status returns the status of err, e.g. 404 when errors.Is(err, ErrNotFound), or 0 to leave err as it is.",
			jen.Id("status").Func().Params(jen.Id("err").Error()).Int(), jen.Id("o").Dot("errorStatus").Op("=").Id("status")},
		{"WithTLSConfig", "serves HTTP and gRPC over TLS with c (cloned) for what the -tls-* flags do not cover: certificates from GetCertificate (a secret store, rotation), other cipher suites, client certificate checks. The certificate of -tls-cert and -tls-key and the client CAs of -tls-client-ca are added to it when set; TLS 1.2 is the minimum unless c sets one.",
			jen.Id("c").Op("*").Qual(gokit.PkgTLS, "Config"), jen.Id("o").Dot("tls").Op("=").Id("c")},
	}
	if grpcOn {
		fields = append(fields,
			jen.Id("grpcOptions").Index().Qual(gokit.PkgGRPC, "ServerOption"),
			jen.Id("unary").Index().Qual(gokit.PkgGRPC, "UnaryServerInterceptor"),
			jen.Id("stream").Index().Qual(gokit.PkgGRPC, "StreamServerInterceptor"),
		)
		funcs = append(funcs,
			optionFunc{"WithGRPCServerOptions", "adds opts to the gRPC server's options, after the defaults of Config (so they win).",
				jen.Id("opts").Op("...").Qual(gokit.PkgGRPC, "ServerOption"), appendTo("grpcOptions", "opts")},
			optionFunc{"WithGRPCUnaryInterceptors", "chains interceptors around every unary gRPC call, the first outermost.",
				jen.Id("interceptors").Op("...").Qual(gokit.PkgGRPC, "UnaryServerInterceptor"), appendTo("unary", "interceptors")},
			optionFunc{"WithGRPCStreamInterceptors", "chains interceptors around every streaming gRPC call, the first outermost.",
				jen.Id("interceptors").Op("...").Qual(gokit.PkgGRPC, "StreamServerInterceptor"), appendTo("stream", "interceptors")},
		)
	}

	f.Comment("Option customizes Run beyond Config: middlewares, routes, interceptors,")
	f.Comment("metrics, error statuses and TLS. main.go, which kitforge writes once and")
	f.Comment("never overwrites, passes them, so they survive regeneration.")
	f.Type().Id("Option").Func().Params(jen.Op("*").Id("options"))
	f.Comment("options are what the Options passed to Run set.")
	f.Type().Id("options").Struct(fields...)
	f.Comment("route is an extra HTTP route.")
	f.Type().Id("route").Struct(jen.Id("pattern").String(), jen.Id("handler").Qual(gokit.PkgHTTP, "Handler"))
	for _, fn := range funcs {
		f.Comment(gokit.WrapComment(fn.name+" "+fn.doc, 76))
		f.Func().Id(fn.name).Params(fn.param).Id("Option").Block(
			jen.Return(jen.Func().Params(jen.Id("o").Op("*").Id("options")).Block(fn.set)),
		)
	}

	f.Comment("newOptions applies opts to the defaults: a registry of Run's own.")
	f.Func().Id("newOptions").Params(jen.Id("opts").Index().Id("Option")).Id("options").Block(
		jen.Id("o").Op(":=").Id("options").Values(jen.Id("registry").Op(":").Qual(gokit.PromClient, "NewRegistry").Call()),
		jen.For(jen.List(jen.Id("_"), jen.Id("opt")).Op(":=").Range().Id("opts")).Block(jen.Id("opt").Call(jen.Op("&").Id("o"))),
		jen.Return(jen.Id("o")),
	)

	f.Comment("handler wraps h in the HTTP middlewares, the first outermost, and mounts the")
	f.Comment("extra routes on mux.")
	f.Func().Params(jen.Id("o").Id("options")).Id("handler").Params(jen.Id("mux").Op("*").Qual(gokit.PkgHTTP, "ServeMux"), jen.Id("h").Qual(gokit.PkgHTTP, "Handler")).Qual(gokit.PkgHTTP, "Handler").Block(
		jen.For(jen.List(jen.Id("_"), jen.Id("r")).Op(":=").Range().Id("o").Dot("routes")).Block(
			jen.Id("mux").Dot("Handle").Call(jen.Id("r").Dot("pattern"), jen.Id("r").Dot("handler")),
		),
		jen.For(jen.Id("i").Op(":=").Len(jen.Id("o").Dot("httpMiddleware")).Op("-").Lit(1), jen.Id("i").Op(">=").Lit(0), jen.Id("i").Op("--")).Block(
			jen.Id("h").Op("=").Id("o").Dot("httpMiddleware").Index(jen.Id("i")).Call(jen.Id("h")),
		),
		jen.Return(jen.Id("h")),
	)

	f.Comment("endpointMiddleware is the caller's endpoint middlewares, then the mapping of")
	f.Comment("errors to statuses, innermost.")
	f.Func().Params(jen.Id("o").Id("options")).Id("endpointMiddleware").Params().Index().Qual(gokit.KitEndpoint, "Middleware").Block(
		jen.Id("mw").Op(":=").Append(jen.Index().Qual(gokit.KitEndpoint, "Middleware").Values(), jen.Id("o").Dot("endpoint").Op("...")),
		jen.If(jen.Id("o").Dot("errorStatus").Op("!=").Nil()).Block(
			jen.Id("mw").Op("=").Append(jen.Id("mw"), jen.Id("mapErrors").Call(jen.Id("o").Dot("errorStatus"))),
		),
		jen.Return(jen.Id("mw")),
	)

	if grpcOn {
		f.Comment("grpcServerOptions are the caller's gRPC server options and interceptors,")
		f.Comment("after base.")
		f.Func().Params(jen.Id("o").Id("options")).Id("grpcServerOptions").Params(jen.Id("base").Op("...").Qual(gokit.PkgGRPC, "ServerOption")).Index().Qual(gokit.PkgGRPC, "ServerOption").Block(
			jen.Return(jen.Append(jen.Append(jen.Id("base"), jen.Id("o").Dot("grpcOptions").Op("...")),
				jen.Qual(gokit.PkgGRPC, "ChainUnaryInterceptor").Call(jen.Id("o").Dot("unary").Op("...")),
				jen.Qual(gokit.PkgGRPC, "ChainStreamInterceptor").Call(jen.Id("o").Dot("stream").Op("...")),
			)),
		)
	}
	genMapErrors(f, statusErrors)
}

// genMapErrors emits mapErrors, the endpoint middleware of WithErrorStatus,
// and statusError, the error it answers with.
func genMapErrors(f *jen.File, statusErrors bool) {
	f.Comment("mapErrors is an endpoint middleware that gives the errors status maps (those of")
	f.Comment("the endpoint and of failed responses) that status.")
	f.Func().Id("mapErrors").Params(jen.Id("status").Func().Params(jen.Error()).Int()).Qual(gokit.KitEndpoint, "Middleware").Block(
		jen.Return(jen.Func().Params(jen.Id("next").Qual(gokit.KitEndpoint, "Endpoint")).Qual(gokit.KitEndpoint, "Endpoint").Block(
			jen.Return(jen.Func().Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("request").Any()).Params(jen.Any(), jen.Error()).Block(
				jen.List(jen.Id("response"), jen.Err()).Op(":=").Id("next").Call(jen.Id("ctx"), jen.Id("request")),
				jen.Id("failed").Op(":=").Err(),
				jen.If(jen.List(jen.Id("f"), jen.Id("ok")).Op(":=").Id("response").Assert(jen.Qual(gokit.KitEndpoint, "Failer")), jen.Id("ok").Op("&&").Err().Op("==").Nil()).Block(
					jen.Id("failed").Op("=").Id("f").Dot("Failed").Call(),
				),
				jen.If(jen.Id("failed").Op("==").Nil()).Block(jen.Return(jen.Id("response"), jen.Err())),
				jen.If(jen.Id("code").Op(":=").Id("status").Call(jen.Id("failed")), jen.Id("code").Op("!=").Lit(0)).Block(
					jen.Return(jen.Nil(), jen.Op("&").Id("statusError").Values(jen.Id("err").Op(":").Id("failed"), jen.Id("code").Op(":").Id("code"))),
				),
				jen.Return(jen.Id("response"), jen.Err()),
			)),
		)),
	)
	f.Comment("statusError is an error of the service with the status WithErrorStatus gave it.")
	f.Type().Id("statusError").Struct(jen.Err().Error(), jen.Id("code").Int())
	recv := jen.Id("e").Op("*").Id("statusError")
	f.Comment("Error returns the message of the service's error.")
	f.Func().Params(recv.Clone()).Id("Error").Params().String().Block(jen.Return(jen.Id("e").Dot("err").Dot("Error").Call()))
	f.Comment("Unwrap returns the service's error, for errors.Is and errors.As.")
	f.Func().Params(recv.Clone()).Id("Unwrap").Params().Error().Block(jen.Return(jen.Id("e").Dot("err")))
	f.Comment("StatusCode is the HTTP status the error answers.")
	f.Func().Params(recv.Clone()).Id("StatusCode").Params().Int().Block(jen.Return(jen.Id("e").Dot("code")))
	if !statusErrors {
		return
	}
	f.Comment("GRPCStatus is the gRPC status the error answers: the code matching its HTTP")
	f.Comment("status, and its message.")
	f.Func().Params(recv.Clone()).Id("GRPCStatus").Params().Op("*").Qual(gokit.PkgGRPCStatus, "Status").Block(
		jen.Return(jen.Qual(gokit.PkgGRPCStatus, "New").Call(jen.Id("grpcCodeOf").Call(jen.Id("e").Dot("code")), jen.Id("e").Dot("err").Dot("Error").Call())),
	)
	f.Comment("grpcCodeOf is the gRPC code matching an HTTP status.")
	f.Func().Id("grpcCodeOf").Params(jen.Id("code").Int()).Qual(gokit.PkgGRPCCodes, "Code").Block(jen.Switch(jen.Id("code")).Block(transport.CodeOfStatusCases()...))
}

// optionsStart is Run's first statement after the health check mode.
func optionsStart() jen.Code {
	return jen.Id("o").Op(":=").Id("newOptions").Call(jen.Id("opts"))
}

// mainOptions is main.go's list of Run's options, empty: where the user adds
// middlewares, routes, interceptors and error statuses.
func mainOptions(server gokit.Pkg) jen.Code {
	return jen.Comment("Run's options survive regeneration, e.g. "+server.Name+".WithHTTPMiddleware(cors)").Line().
		Comment("or "+server.Name+".WithErrorStatus(statusOf): see the README, \"Hooks\".").Line().
		Var().Id("opts").Index().Qual(server.Path, "Option")
}
