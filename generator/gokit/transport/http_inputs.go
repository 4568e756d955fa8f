package transport

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// genHTTPInputs emits the helpers with which a Go-interface service's HTTP
// server refuses what a lenient decoder would silently accept (a body that
// is not JSON, unknown fields, trailing data), answers unrouted requests with
// JSON errors, and carries request ids.
func genHTTPInputs(f *jen.File, svc *model.Service, l gokit.Layout) {
	bodies, params := false, false
	for _, m := range gokit.UnaryMethods(svc) {
		bodies = bodies || m.HTTP[0].Body != ""
		params = params || m.HTTP[0].Body != "" && hasIn(m, model.InBody)
	}
	if params {
		genDecodeJSONBody(f)
	}
	if bodies {
		genRequireJSON(f, l)
	}
	genRouteErrors(f, l)
	genHTTPRequestID(f, l)
}

func genDecodeJSONBody(f *jen.File) {
	f.Comment("decodeJSONBody decodes the JSON body of r into v, refusing what a lenient")
	f.Comment("decoder would silently accept: a Content-Type that is not JSON (415), fields")
	f.Comment("that v does not have and data after the JSON value (400). An empty body leaves")
	f.Comment("v as it is.")
	f.Func().Id("decodeJSONBody").Params(jen.Id("r").Op("*").Qual(gokit.PkgHTTP, "Request"), jen.Id("v").Any()).Error().Block(
		jen.If(jen.Err().Op(":=").Id("requireJSON").Call(jen.Id("r")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.Id("dec").Op(":=").Qual(gokit.PkgJSON, "NewDecoder").Call(jen.Id("r").Dot("Body")),
		jen.Id("dec").Dot("DisallowUnknownFields").Call(),
		jen.If(jen.Err().Op(":=").Id("dec").Dot("Decode").Call(jen.Id("v")), jen.Err().Op("!=").Nil()).Block(
			jen.If(jen.Qual(gokit.PkgErrors, "Is").Call(jen.Err(), jen.Qual(gokit.PkgIO, "EOF"))).Block(jen.Return(jen.Nil())),
			jen.Return(jen.Id("badRequest").Call(jen.Lit("decode JSON body"), jen.Err())),
		),
		jen.If(jen.List(jen.Id("_"), jen.Err()).Op(":=").Id("dec").Dot("Token").Call(), jen.Op("!").Qual(gokit.PkgErrors, "Is").Call(jen.Err(), jen.Qual(gokit.PkgIO, "EOF"))).Block(
			jen.Var().Id("tooLarge").Op("*").Qual(gokit.PkgHTTP, "MaxBytesError"),
			jen.If(jen.Op("!").Qual(gokit.PkgErrors, "As").Call(jen.Err(), jen.Op("&").Id("tooLarge"))).Block(
				jen.Err().Op("=").Qual(gokit.PkgErrors, "New").Call(jen.Lit("data after the JSON value")),
			),
			jen.Return(jen.Id("badRequest").Call(jen.Lit("decode JSON body"), jen.Err())),
		),
		jen.Return(jen.Nil()),
	)
}

func genRequireJSON(f *jen.File, l gokit.Layout) {
	f.Comment("requireJSON refuses with 415 Unsupported Media Type a request whose")
	f.Comment("Content-Type is not JSON (application/json or application/*+json, with any")
	f.Comment("parameters): browsers send text/plain and form bodies cross-origin without a")
	f.Comment("preflight, so decoding them would let any web page call the service with its")
	f.Comment("visitors' credentials. A request without a Content-Type is accepted.")
	f.Func().Id("requireJSON").Params(jen.Id("r").Op("*").Qual(gokit.PkgHTTP, "Request")).Error().Block(
		jen.Id("ct").Op(":=").Id("r").Dot("Header").Dot("Get").Call(jen.Lit("Content-Type")),
		jen.List(jen.Id("mt"), jen.Id("_"), jen.Id("_")).Op(":=").Qual(gokit.PkgStrings, "Cut").Call(jen.Id("ct"), jen.Lit(";")),
		jen.Id("mt").Op("=").Qual(gokit.PkgStrings, "TrimSpace").Call(jen.Id("mt")),
		jen.Id("suffixed").Op(":=").Len(jen.Id("mt")).Op(">").Len(jen.Lit("application/+json")).Op("&&").
			Qual(gokit.PkgStrings, "EqualFold").Call(jen.Id("mt").Index(jen.Empty(), jen.Len(jen.Lit("application/"))), jen.Lit("application/")).Op("&&").
			Qual(gokit.PkgStrings, "EqualFold").Call(jen.Id("mt").Index(jen.Len(jen.Id("mt")).Op("-").Len(jen.Lit("+json")), jen.Empty()), jen.Lit("+json")),
		jen.If(jen.Id("ct").Op("==").Lit("").Op("||").Id("suffixed").Op("||").Qual(gokit.PkgStrings, "EqualFold").Call(jen.Id("mt"), jen.Lit("application/json"))).Block(
			jen.Return(jen.Nil()),
		),
		jen.Return(jen.Op("&").Qual(l.Service.Path, "StatusError").Values(
			jen.Id("Code").Op(":").Qual(gokit.PkgHTTP, "StatusUnsupportedMediaType"),
			jen.Id("Message").Op(":").Qual(gokit.PkgFmt, "Sprintf").Call(jen.Lit("unsupported Content-Type %q: send application/json"), jen.Id("ct")),
		)),
	)
}

func genRouteErrors(f *jen.File, l gokit.Layout) {
	f.Comment("routeMethods are the methods RouteErrors tries when it lists what a path allows.")
	f.Var().Id("routeMethods").Op("=").Index(jen.Op("...")).String().Values(
		jen.Lit("GET"), jen.Lit("HEAD"), jen.Lit("POST"), jen.Lit("PUT"), jen.Lit("PATCH"), jen.Lit("DELETE"), jen.Lit("OPTIONS"),
	)

	f.Comment("RouteErrors returns the handler of the pattern \"/\" of m: it answers the requests")
	f.Comment("that no other route of m matches with a JSON error body, 405 Method Not Allowed")
	f.Comment("with an Allow header when the path has routes for other methods, else 404 Not")
	f.Comment("Found (net/http alone answers them in plain text). Routed requests never reach it.")
	statusErr := func(code string, format string, args ...jen.Code) jen.Code {
		return jen.Op("&").Qual(l.Service.Path, "StatusError").Values(
			jen.Id("Code").Op(":").Qual(gokit.PkgHTTP, code),
			jen.Id("Message").Op(":").Qual(gokit.PkgFmt, "Sprintf").Call(append([]jen.Code{jen.Lit(format)}, args...)...),
		)
	}
	f.Func().Id("RouteErrors").Params(jen.Id("m").Op("*").Qual(gokit.PkgHTTP, "ServeMux")).Qual(gokit.PkgHTTP, "Handler").Block(
		jen.Return(jen.Qual(gokit.PkgHTTP, "HandlerFunc").Call(jen.Func().Params(jen.Id("w").Qual(gokit.PkgHTTP, "ResponseWriter"), jen.Id("r").Op("*").Qual(gokit.PkgHTTP, "Request")).Block(
			jen.Var().Id("allow").Index().String(),
			jen.For(jen.List(jen.Id("_"), jen.Id("method")).Op(":=").Range().Id("routeMethods")).Block(
				jen.Id("probe").Op(":=").Op("&").Qual(gokit.PkgHTTP, "Request").Values(jen.Id("Method").Op(":").Id("method"), jen.Id("URL").Op(":").Id("r").Dot("URL"), jen.Id("Host").Op(":").Id("r").Dot("Host")),
				jen.If(jen.List(jen.Id("_"), jen.Id("pattern")).Op(":=").Id("m").Dot("Handler").Call(jen.Id("probe")), jen.Id("pattern").Op("!=").Lit("").Op("&&").Id("pattern").Op("!=").Lit("/")).Block(
					jen.Id("allow").Op("=").Append(jen.Id("allow"), jen.Id("method")),
				),
			),
			jen.Id("ctx").Op(":=").Id("requestIDToContext").Call(jen.Id("r").Dot("Context").Call(), jen.Id("r")),
			jen.If(jen.Len(jen.Id("allow")).Op(">").Lit(0)).Block(
				jen.Id("w").Dot("Header").Call().Dot("Set").Call(jen.Lit("Allow"), jen.Qual(gokit.PkgStrings, "Join").Call(jen.Id("allow"), jen.Lit(", "))),
				jen.Id("encodeHTTPError").Call(jen.Id("ctx"), statusErr("StatusMethodNotAllowed", "method %s is not allowed for %s", jen.Id("r").Dot("Method"), jen.Id("r").Dot("URL").Dot("Path")), jen.Id("w")),
				jen.Return(),
			),
			jen.Id("encodeHTTPError").Call(jen.Id("ctx"), statusErr("StatusNotFound", "no route for %s %s", jen.Id("r").Dot("Method"), jen.Id("r").Dot("URL").Dot("Path")), jen.Id("w")),
		))),
	)
}

func genHTTPRequestID(f *jen.File, l gokit.Layout) {
	f.Comment("requestIDToContext is a transport/http.RequestFunc that puts the request's id in")
	f.Comment("its context, where the logging and recovering middlewares find it: the")
	f.Comment("X-Request-Id header when it holds a usable id, else a new one.")
	f.Func().Id("requestIDToContext").Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("r").Op("*").Qual(gokit.PkgHTTP, "Request")).Qual(gokit.PkgContext, "Context").Block(
		jen.Return(jen.Qual(l.Service.Path, "ContextWithRequestID").Call(jen.Id("ctx"),
			jen.Qual(l.Service.Path, "RequestIDOrNew").Call(jen.Id("r").Dot("Header").Dot("Get").Call(jen.Lit("X-Request-Id"))))),
	)
	f.Comment("setRequestIDHeader returns the request's id to the caller as X-Request-Id.")
	f.Func().Id("setRequestIDHeader").Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("w").Qual(gokit.PkgHTTP, "ResponseWriter")).Block(
		jen.If(jen.Id("id").Op(":=").Qual(l.Service.Path, "RequestIDFromContext").Call(jen.Id("ctx")), jen.Id("id").Op("!=").Lit("")).Block(
			jen.Id("w").Dot("Header").Call().Dot("Set").Call(jen.Lit("X-Request-Id"), jen.Id("id")),
		),
	)
}

// genGRPCRequestID emits grpcRequestID, which gives every gRPC call a
// request id as requestIDToContext does for HTTP.
func genGRPCRequestID(f *jen.File, l gokit.Layout) {
	f.Comment("grpcRequestID is a transport/grpc.ServerRequestFunc that puts the call's request")
	f.Comment("id in its context, where the logging and recovering middlewares find it: the")
	f.Comment("x-request-id metadata when it holds a usable id, else a new one. The id goes")
	f.Comment("back to the caller as the x-request-id response header, on errors too.")
	f.Func().Id("grpcRequestID").Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("md").Qual(gokit.PkgGRPCMeta, "MD")).Qual(gokit.PkgContext, "Context").Block(
		jen.Var().Id("id").String(),
		jen.If(jen.Id("v").Op(":=").Id("md").Dot("Get").Call(jen.Lit("x-request-id")), jen.Len(jen.Id("v")).Op(">").Lit(0)).Block(
			jen.Id("id").Op("=").Id("v").Index(jen.Lit(0)),
		),
		jen.Id("id").Op("=").Qual(l.Service.Path, "RequestIDOrNew").Call(jen.Id("id")),
		jen.Comment("SetHeader fails only without a gRPC stream in ctx: a handler called directly."),
		jen.Id("_").Op("=").Qual(gokit.PkgGRPC, "SetHeader").Call(jen.Id("ctx"), jen.Qual(gokit.PkgGRPCMeta, "Pairs").Call(jen.Lit("x-request-id"), jen.Id("id"))),
		jen.Return(jen.Qual(l.Service.Path, "ContextWithRequestID").Call(jen.Id("ctx"), jen.Id("id"))),
	)
}
