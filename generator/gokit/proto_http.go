package gokit

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/transcode"
)

// ProtoHTTP emits <out>/<name>transport/http_gen.go for a proto service:
// NewHTTPHandler, a Go kit HTTP server per google.api.http binding of each
// unary rpc, routed by the module's transcoding runtime (TranscodeRuntime).
func ProtoHTTP(ps *ProtoService) ([]byte, error) {
	svc, l := ps.Svc, ps.Layout
	f := protoNewFile(l.Transport, ps)
	body := []jen.Code{
		jen.Id("options").Op("=").Append(jen.Index().Qual(kitHTTP, "ServerOption").Values(multiline([]jen.Code{
			jen.Qual(kitHTTP, "ServerErrorEncoder").Call(jen.Id("encodeHTTPError")),
			jen.Qual(kitHTTP, "ServerErrorHandler").Call(jen.Qual(kitTransport, "NewLogErrorHandler").Call(
				jen.Qual(kitLog, "With").Call(jen.Id("logger"), jen.Lit("transport"), jen.Lit("HTTP")))),
			jen.Qual(kitHTTP, "ServerBefore").Call(jen.Id("requestIDToContext")),
			jen.Qual(kitHTTP, "ServerAfter").Call(jen.Id("requestIDToResponse")),
		})...), jen.Id("options").Op("...")),
		jen.Id("r").Op(":=").Qual(l.Transcode.Path, "NewRouter").Call(),
	}
	for _, m := range unaryMethods(svc) {
		pm := ps.method(m)
		for _, b := range m.HTTP {
			body = append(body, jen.Id("r").Dot("Handle").Call(jen.Lit(b.Verb), jen.Lit(b.Path), jen.Qual(kitHTTP, "NewServer").Call(
				jen.Line().Id("endpoints").Dot(m.EndpointName()),
				jen.Line().Qual(l.Transcode.Path, "DecodeRequest").Call(
					jen.Func().Params().Qual(pkgProto, "Message").Block(jen.Return(jen.New(jen.Qual(pm.Input.ImportPath, pm.Input.Name)))),
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
	for _, m := range unaryMethods(svc) {
		for _, b := range m.HTTP {
			f.Comment("\t" + b.Verb + " " + b.Path + " → " + m.Name)
		}
	}
	f.Comment("")
	f.Comment("Bodies are protojson (lowerCamel names, enums by name); errors answer the HTTP status")
	f.Comment("of their gRPC code with {\"error\": {\"code\", \"message\", \"status\"}}.")
	f.Func().Id("NewHTTPHandler").Params(
		jen.Id("endpoints").Qual(l.Endpoint.Path, "Set"),
		jen.Id("logger").Qual(kitLog, "Logger"),
		jen.Id("options").Op("...").Qual(kitHTTP, "ServerOption"),
	).Qual(pkgHTTP, "Handler").Block(body...)

	f.Comment("encodeHTTPError is a transport/http.ErrorEncoder: the transcoding runtime's")
	f.Comment("EncodeError, with the request's id as X-Request-Id.")
	f.Func().Id("encodeHTTPError").Params(jen.Id("ctx").Qual(pkgContext, "Context"), jen.Err().Error(), jen.Id("w").Qual(pkgHTTP, "ResponseWriter")).Block(
		jen.Id("setRequestIDHeader").Call(jen.Id("ctx"), jen.Id("w")),
		jen.Qual(l.Transcode.Path, "EncodeError").Call(jen.Id("ctx"), jen.Err(), jen.Id("w")),
	)
	f.Comment("requestIDToResponse is a transport/http.ServerResponseFunc that returns the")
	f.Comment("request's id as X-Request-Id with a successful response.")
	f.Func().Id("requestIDToResponse").Params(jen.Id("ctx").Qual(pkgContext, "Context"), jen.Id("w").Qual(pkgHTTP, "ResponseWriter")).Qual(pkgContext, "Context").Block(
		jen.Id("setRequestIDHeader").Call(jen.Id("ctx"), jen.Id("w")),
		jen.Return(jen.Id("ctx")),
	)
	genHTTPRequestID(f, l)

	f.Comment("WithNextHTTPHandler returns h, a handler NewHTTPHandler returned, handing the")
	f.Comment("requests that none of its routes match to next instead of answering 404 or 405:")
	f.Comment("that is how the services of one server share its HTTP listener.")
	f.Func().Id("WithNextHTTPHandler").Params(jen.List(jen.Id("h"), jen.Id("next")).Qual(pkgHTTP, "Handler")).Qual(pkgHTTP, "Handler").Block(
		jen.Return(jen.Qual(l.Transcode.Path, "WithNext").Call(jen.Id("h"), jen.Id("next"))),
	)
	return render(f)
}

// TranscodeRuntime emits <out>/internal/transcode/transcode_gen.go, once
// per module: kitforge's transcoding runtime (package generator/transcode),
// copied with its package clause rewritten, since generated code must not
// import kitforge. Every proto service's http_gen.go uses it.
func TranscodeRuntime(pkg Pkg) ([]byte, error) {
	return transcode.Source(GeneratedHeader, pkg.Name)
}
