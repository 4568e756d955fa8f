package middleware

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// NeedsTransportMiddleware reports whether the middlewares of l need transport
// options: authentication reads a header, tracing propagates the context.
func NeedsTransportMiddleware(l gokit.Layout) bool { return l.HasAuth() || l.Has("tracing") }

// TransportMiddleware emits <out>/<name>transport/middleware_gen.go, the
// transport options the endpoint middlewares need: for authentication, the
// server options that put the Authorization header into the context and the
// client options that send credentials; for tracing, the options that
// extract and inject the trace context (W3C traceparent) over HTTP and gRPC.
func TransportMiddleware(svc *model.Service, l gokit.Layout) ([]byte, error) {
	f := l.NewFile(l.Transport)
	mwImports(f)
	if l.GRPC {
		gokit.GRPCImports(f, l)
	}
	serverOpt, clientOpt := jen.Qual(gokit.KitHTTP, "ServerOption"), jen.Qual(gokit.KitHTTP, "ClientOption")
	grpcServerOpt, grpcClientOpt := jen.Qual(gokit.KitGRPC, "ServerOption"), jen.Qual(gokit.KitGRPC, "ClientOption")
	httpBefore := func(body ...jen.Code) *jen.Statement {
		return jen.Func().Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("r").Op("*").Qual(gokit.PkgHTTP, "Request")).Qual(gokit.PkgContext, "Context").Block(body...)
	}
	grpcClientBefore := func(body ...jen.Code) *jen.Statement {
		return jen.Func().Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("md").Op("*").Qual(gokit.PkgGRPCMeta, "MD")).Qual(gokit.PkgContext, "Context").Block(body...)
	}
	grpcServerBefore := func(body ...jen.Code) *jen.Statement {
		return jen.Func().Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("md").Qual(gokit.PkgGRPCMeta, "MD")).Qual(gokit.PkgContext, "Context").Block(body...)
	}

	switch {
	case l.Has("jwt"):
		f.Comment("HTTPServerAuth returns the server option that puts the bearer token of the")
		f.Comment("Authorization header into the context, where the endpoints' JWTMiddleware")
		f.Comment("checks it (Go kit's jwt.HTTPToContext).")
		f.Func().Id("HTTPServerAuth").Params().Add(serverOpt.Clone()).Block(
			jen.Return(jen.Qual(gokit.KitHTTP, "ServerBefore").Call(jen.Qual(kitJWT, "HTTPToContext").Call())),
		)
		f.Comment("HTTPClientBearer returns the client option that sends token as the bearer token")
		f.Comment("of every call (Authorization: Bearer token). For a token per call, put it in the")
		f.Comment("context under kitjwt.JWTContextKey and use httptransport.ClientBefore(kitjwt.ContextToHTTP()).")
		f.Func().Id("HTTPClientBearer").Params(jen.Id("token").String()).Add(clientOpt.Clone()).Block(
			jen.Return(jen.Qual(gokit.KitHTTP, "ClientBefore").Call(httpBefore(
				jen.Id("r").Dot("Header").Dot("Set").Call(jen.Lit("Authorization"), jen.Lit("Bearer ").Op("+").Id("token")),
				jen.Return(jen.Id("ctx")),
			))),
		)
		if l.GRPC {
			f.Comment("GRPCServerAuth returns the server option that puts the bearer token of the")
			f.Comment("authorization metadata into the context, where the endpoints' JWTMiddleware")
			f.Comment("checks it (Go kit's jwt.GRPCToContext).")
			f.Func().Id("GRPCServerAuth").Params().Add(grpcServerOpt.Clone()).Block(
				jen.Return(jen.Qual(gokit.KitGRPC, "ServerBefore").Call(jen.Qual(kitJWT, "GRPCToContext").Call())),
			)
			f.Comment("GRPCClientBearer returns the client option that sends token as the bearer token")
			f.Comment("of every call (authorization metadata). For a token per call, see kitjwt.ContextToGRPC.")
			f.Func().Id("GRPCClientBearer").Params(jen.Id("token").String()).Add(grpcClientOpt.Clone()).Block(
				jen.Return(jen.Qual(gokit.KitGRPC, "ClientBefore").Call(grpcClientBefore(
					jen.Id("md").Dot("Set").Call(jen.Lit("authorization"), jen.Lit("Bearer ").Op("+").Id("token")),
					jen.Return(jen.Id("ctx")),
				))),
			)
		}
	case l.Has("basicauth"):
		f.Comment("HTTPServerAuth returns the server option that puts the Authorization header into")
		f.Comment("the context, where the endpoints' BasicAuthMiddleware checks it (Go kit's")
		f.Comment("httptransport.PopulateRequestContext).")
		f.Func().Id("HTTPServerAuth").Params().Add(serverOpt.Clone()).Block(
			jen.Return(jen.Qual(gokit.KitHTTP, "ServerBefore").Call(jen.Qual(gokit.KitHTTP, "PopulateRequestContext"))),
		)
		f.Comment("HTTPClientBasicAuth returns the client option that sends the basic credentials")
		f.Comment("user and password with every call.")
		f.Func().Id("HTTPClientBasicAuth").Params(jen.List(jen.Id("user"), jen.Id("password")).String()).Add(clientOpt.Clone()).Block(
			jen.Return(jen.Qual(gokit.KitHTTP, "ClientBefore").Call(httpBefore(
				jen.Id("r").Dot("SetBasicAuth").Call(jen.Id("user"), jen.Id("password")),
				jen.Return(jen.Id("ctx")),
			))),
		)
		if l.GRPC {
			f.Comment("GRPCServerAuth returns the server option that puts the authorization metadata")
			f.Comment("into the context, where the endpoints' BasicAuthMiddleware checks it.")
			f.Func().Id("GRPCServerAuth").Params().Add(grpcServerOpt.Clone()).Block(
				jen.Return(jen.Qual(gokit.KitGRPC, "ServerBefore").Call(grpcServerBefore(
					jen.If(jen.Id("v").Op(":=").Id("md").Dot("Get").Call(jen.Lit("authorization")), jen.Len(jen.Id("v")).Op(">").Lit(0)).Block(
						jen.Return(jen.Qual(gokit.PkgContext, "WithValue").Call(jen.Id("ctx"), jen.Qual(gokit.KitHTTP, "ContextKeyRequestAuthorization"), jen.Id("v").Index(jen.Lit(0)))),
					),
					jen.Return(jen.Id("ctx")),
				))),
			)
			f.Comment("GRPCClientBasicAuth returns the client option that sends the basic credentials")
			f.Comment("user and password with every call (authorization metadata).")
			f.Func().Id("GRPCClientBasicAuth").Params(jen.List(jen.Id("user"), jen.Id("password")).String()).Add(grpcClientOpt.Clone()).Block(
				jen.Id("auth").Op(":=").Lit("Basic ").Op("+").Qual(pkgBase64, "StdEncoding").Dot("EncodeToString").Call(jen.Index().Byte().Parens(jen.Id("user").Op("+").Lit(":").Op("+").Id("password"))),
				jen.Return(jen.Qual(gokit.KitGRPC, "ClientBefore").Call(grpcClientBefore(
					jen.Id("md").Dot("Set").Call(jen.Lit("authorization"), jen.Id("auth")),
					jen.Return(jen.Id("ctx")),
				))),
			)
		}
	}

	if l.HasAuth() && svc.Source != model.SourceProto { // proto errors are statuses
		f.Comment("headersOf returns the headers err carries for an HTTP error response (Go kit's")
		f.Comment("httptransport.Headerer), such as the challenge of a 401.")
		f.Func().Id("headersOf").Params(jen.Err().Error()).Params(jen.Qual(gokit.PkgHTTP, "Header"), jen.Bool()).Block(
			jen.Var().Id("h").Interface(jen.Id("Headers").Params().Qual(gokit.PkgHTTP, "Header")),
			jen.If(jen.Qual(gokit.PkgErrors, "As").Call(jen.Err(), jen.Op("&").Id("h"))).Block(jen.Return(jen.Id("h").Dot("Headers").Call(), jen.True())),
			jen.Return(jen.Nil(), jen.False()),
		)
	}

	if l.Has("tracing") {
		prop := jen.Id("prop").Qual(pkgOtelProp, "TextMapPropagator")
		f.Comment("HTTPServerTracing returns the server option that extracts the caller's trace")
		f.Comment("context from the request headers with prop (e.g. W3C traceparent), so that the")
		f.Comment("endpoints' spans (TracingMiddleware) continue the caller's trace.")
		f.Func().Id("HTTPServerTracing").Params(prop.Clone()).Add(serverOpt.Clone()).Block(
			jen.Return(jen.Qual(gokit.KitHTTP, "ServerBefore").Call(httpBefore(
				jen.Return(jen.Id("prop").Dot("Extract").Call(jen.Id("ctx"), jen.Qual(pkgOtelProp, "HeaderCarrier").Call(jen.Id("r").Dot("Header")))),
			))),
		)
		f.Comment("HTTPClientTracing returns the client option that injects the trace context of the")
		f.Comment("call's context into the request headers with prop.")
		f.Func().Id("HTTPClientTracing").Params(prop.Clone()).Add(clientOpt.Clone()).Block(
			jen.Return(jen.Qual(gokit.KitHTTP, "ClientBefore").Call(httpBefore(
				jen.Id("prop").Dot("Inject").Call(jen.Id("ctx"), jen.Qual(pkgOtelProp, "HeaderCarrier").Call(jen.Id("r").Dot("Header"))),
				jen.Return(jen.Id("ctx")),
			))),
		)
		if l.GRPC {
			f.Comment("GRPCServerTracing returns the server option that extracts the caller's trace")
			f.Comment("context from the request metadata with prop.")
			f.Func().Id("GRPCServerTracing").Params(prop.Clone()).Add(grpcServerOpt.Clone()).Block(
				jen.Return(jen.Qual(gokit.KitGRPC, "ServerBefore").Call(grpcServerBefore(
					jen.Return(jen.Id("prop").Dot("Extract").Call(jen.Id("ctx"), jen.Id("metadataCarrier").Call(jen.Id("md")))),
				))),
			)
			f.Comment("GRPCClientTracing returns the client option that injects the trace context of the")
			f.Comment("call's context into the request metadata with prop.")
			f.Func().Id("GRPCClientTracing").Params(prop.Clone()).Add(grpcClientOpt.Clone()).Block(
				jen.Return(jen.Qual(gokit.KitGRPC, "ClientBefore").Call(grpcClientBefore(
					jen.Id("prop").Dot("Inject").Call(jen.Id("ctx"), jen.Id("metadataCarrier").Call(jen.Op("*").Id("md"))),
					jen.Return(jen.Id("ctx")),
				))),
			)
			md := jen.Id("c").Id("metadataCarrier")
			f.Comment("metadataCarrier adapts gRPC metadata to propagation.TextMapCarrier.")
			f.Type().Id("metadataCarrier").Qual(gokit.PkgGRPCMeta, "MD")
			f.Comment("Get returns the first value of key.")
			f.Func().Params(md.Clone()).Id("Get").Params(jen.Id("key").String()).String().Block(
				jen.If(jen.Id("v").Op(":=").Qual(gokit.PkgGRPCMeta, "MD").Parens(jen.Id("c")).Dot("Get").Call(jen.Id("key")), jen.Len(jen.Id("v")).Op(">").Lit(0)).Block(jen.Return(jen.Id("v").Index(jen.Lit(0)))),
				jen.Return(jen.Lit("")),
			)
			f.Comment("Set sets key to value.")
			f.Func().Params(md.Clone()).Id("Set").Params(jen.List(jen.Id("key"), jen.Id("value")).String()).Block(
				jen.Qual(gokit.PkgGRPCMeta, "MD").Parens(jen.Id("c")).Dot("Set").Call(jen.Id("key"), jen.Id("value")),
			)
			f.Comment("Keys lists the keys.")
			f.Func().Params(md.Clone()).Id("Keys").Params().Index().String().Block(
				jen.Id("keys").Op(":=").Make(jen.Index().String(), jen.Lit(0), jen.Len(jen.Id("c"))),
				jen.For(jen.Id("k").Op(":=").Range().Id("c")).Block(jen.Id("keys").Op("=").Append(jen.Id("keys"), jen.Id("k"))),
				jen.Return(jen.Id("keys")),
			)
		}
	}
	return gokit.Render(f)
}

// ProtoTransportMiddleware emits <out>/<svc>transport/middleware_gen.go of
// a proto service: the HTTP and gRPC options of TransportMiddleware, which
// carry credentials and the trace context.
func ProtoTransportMiddleware(ps *gokit.ProtoService) ([]byte, error) {
	return TransportMiddleware(ps.Svc, ps.Layout)
}
