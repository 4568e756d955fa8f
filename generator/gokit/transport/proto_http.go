package transport

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/transcode"
)

// ProtoHTTP emits <out>/<name>transport/http_gen.go for a proto service:
// NewHTTPHandler, a Go kit HTTP server per google.api.http binding of each
// unary rpc, routed by the module's transcoding runtime (TranscodeRuntime).
func ProtoHTTP(ps *gokit.ProtoService) ([]byte, error) {
	svc, l := ps.Svc, ps.Layout
	f := gokit.ProtoNewFile(l.Transport, ps)
	body := []jen.Code{
		jen.Id("options").Op("=").Append(jen.Index().Qual(gokit.KitHTTP, "ServerOption").Values(gokit.Multiline([]jen.Code{
			jen.Qual(gokit.KitHTTP, "ServerErrorEncoder").Call(jen.Id("encodeHTTPError")),
			jen.Qual(gokit.KitHTTP, "ServerErrorHandler").Call(jen.Qual(gokit.KitTransport, "NewLogErrorHandler").Call(
				jen.Qual(gokit.KitLog, "With").Call(jen.Id("logger"), jen.Lit("transport"), jen.Lit("HTTP")))),
			jen.Qual(gokit.KitHTTP, "ServerBefore").Call(jen.Id("requestIDToContext")),
			jen.Qual(gokit.KitHTTP, "ServerAfter").Call(jen.Id("requestIDToResponse")),
		})...), jen.Id("options").Op("...")),
		jen.Id("r").Op(":=").Qual(l.Transcode.Path, "NewRouter").Call(),
	}
	for _, m := range gokit.UnaryMethods(svc) {
		pm := ps.Method(m)
		for _, b := range m.HTTP {
			body = append(body, jen.Id("r").Dot("Handle").Call(jen.Lit(b.Verb), jen.Lit(b.Path), jen.Qual(gokit.KitHTTP, "NewServer").Call(
				jen.Line().Id("endpoints").Dot(m.EndpointName()),
				jen.Line().Qual(l.Transcode.Path, "DecodeRequest").Call(
					jen.Func().Params().Qual(gokit.PkgProto, "Message").Block(jen.Return(jen.New(jen.Qual(pm.Input.ImportPath, pm.Input.Name)))),
					jen.Lit(b.Body)),
				jen.Line().Qual(l.Transcode.Path, "EncodeResponse").Call(jen.Lit(b.ResponseBody)),
				jen.Line().Id("options").Op("...").Line(),
			)))
		}
	}
	body = append(body, jen.Return(jen.Id("r")))

	f.Comment("NewHTTPHandler returns an http.Handler that serves the unary rpcs of " + ps.FullName)
	f.Comment("as HTTP/JSON, transcoded as their google.api.http annotations say (rpcs without one")
	f.Comment("answer POST /<service>/<rpc> with the request as the JSON body):")
	f.Comment("")
	for _, m := range gokit.UnaryMethods(svc) {
		for _, b := range m.HTTP {
			f.Comment("\t" + b.Verb + " " + b.Path + " → " + m.Name)
		}
	}
	f.Comment("")
	f.Comment("Bodies are protojson (lowerCamel names, enums by name); errors answer the HTTP status")
	f.Comment("of their gRPC code with {\"error\": {\"code\", \"message\", \"status\"}}.")
	f.Func().Id("NewHTTPHandler").Params(
		jen.Id("endpoints").Qual(l.Endpoint.Path, "Set"),
		jen.Id("logger").Qual(gokit.KitLog, "Logger"),
		jen.Id("options").Op("...").Qual(gokit.KitHTTP, "ServerOption"),
	).Qual(gokit.PkgHTTP, "Handler").Block(body...)

	f.Comment("encodeHTTPError is a transport/http.ErrorEncoder: the transcoding runtime's")
	f.Comment("EncodeError, with the request's id as X-Request-Id.")
	f.Func().Id("encodeHTTPError").Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Err().Error(), jen.Id("w").Qual(gokit.PkgHTTP, "ResponseWriter")).Block(
		jen.Id("setRequestIDHeader").Call(jen.Id("ctx"), jen.Id("w")),
		jen.Qual(l.Transcode.Path, "EncodeError").Call(jen.Id("ctx"), jen.Err(), jen.Id("w")),
	)
	f.Comment("requestIDToResponse is a transport/http.ServerResponseFunc that returns the")
	f.Comment("request's id as X-Request-Id with a successful response.")
	f.Func().Id("requestIDToResponse").Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("w").Qual(gokit.PkgHTTP, "ResponseWriter")).Qual(gokit.PkgContext, "Context").Block(
		jen.Id("setRequestIDHeader").Call(jen.Id("ctx"), jen.Id("w")),
		jen.Return(jen.Id("ctx")),
	)
	genHTTPRequestID(f, l)

	f.Comment("WithNextHTTPHandler returns h, a handler NewHTTPHandler returned, handing the")
	f.Comment("requests that none of its routes match to next instead of answering 404 or 405:")
	f.Comment("that is how the services of one server share its HTTP listener.")
	f.Func().Id("WithNextHTTPHandler").Params(jen.List(jen.Id("h"), jen.Id("next")).Qual(gokit.PkgHTTP, "Handler")).Qual(gokit.PkgHTTP, "Handler").Block(
		jen.Return(jen.Qual(l.Transcode.Path, "WithNext").Call(jen.Id("h"), jen.Id("next"))),
	)
	return gokit.Render(f)
}

// TranscodeRuntime emits <out>/internal/transcode/transcode_gen.go, once
// per module: kitforge's transcoding runtime (package generator/transcode),
// copied with its package clause rewritten, since generated code must not
// import kitforge. Every proto service's http_gen.go uses it.
func TranscodeRuntime(pkg gokit.Pkg) ([]byte, error) {
	return transcode.Source(gokit.GeneratedHeader, pkg.Name)
}
