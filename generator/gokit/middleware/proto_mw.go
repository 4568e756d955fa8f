package middleware

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// ProtoEndpointMiddleware emits <out>/<svc>endpoint/middleware_gen.go of a
// proto service: the endpoint middlewares of a Go-interface service's
// (EndpointMiddleware), named by the rpcs' full names, rejecting calls with
// gRPC statuses (MiddlewareError.GRPCStatus), and validating the request
// messages that have a Validate() error method. The authentication realm
// is the server's name, serverName, as every service of the server shares
// the middlewares of the first one's package.
func ProtoEndpointMiddleware(serverName string, ps *gokit.ProtoService) ([]byte, error) {
	svc := *ps.Svc
	svc.Name = serverName
	return endpointMiddleware(&svc, ps.Layout, ps)
}

// ProtoTransportMiddleware emits <out>/<svc>transport/middleware_gen.go of
// a proto service: the HTTP and gRPC options of TransportMiddleware, which
// carry credentials and the trace context.
func ProtoTransportMiddleware(ps *gokit.ProtoService) ([]byte, error) {
	return TransportMiddleware(ps.Svc, ps.Layout)
}

// ProtoServerMiddleware emits <out>/<name>server/middleware_gen.go for the
// server of proto services: the middlewares of ServerMiddleware, built once
// from the first service's endpoint and transport packages (they are plain
// Go kit middlewares and options) and applied to every service's endpoints,
// so that, for instance, one token bucket limits the whole server.
func ProtoServerMiddleware(name string, server gokit.Pkg, services []*gokit.ProtoService) ([]byte, error) {
	l := gokit.ProtoServerLayout(server, services)
	l.Endpoint, l.Transport = services[0].Layout.Endpoint, services[0].Layout.Transport
	return ServerMiddleware(&model.Service{Name: name, Source: model.SourceProto}, l)
}

// HasProtoMiddleware reports whether proto services get middleware files.
func HasProtoMiddleware(services []*gokit.ProtoService) bool {
	return len(services) > 0 && len(services[0].Layout.Middleware) > 0
}

// genMiddlewareStatus emits MiddlewareError.GRPCStatus for proto services,
// whose transports answer errors by their gRPC status.
func genMiddlewareStatus(f *jen.File) {
	f.ImportAlias(gokit.PkgGRPCCodes, "grpccodes")
	f.ImportName(gokit.PkgGRPCStatus, "status")
	cases := []jen.Code{}
	for _, c := range []struct{ http, grpc string }{
		{"StatusBadRequest", "InvalidArgument"}, {"StatusUnauthorized", "Unauthenticated"},
		{"StatusTooManyRequests", "ResourceExhausted"}, {"StatusServiceUnavailable", "Unavailable"},
	} {
		cases = append(cases, jen.Case(jen.Qual(gokit.PkgHTTP, c.http)).Block(jen.Id("code").Op("=").Qual(gokit.PkgGRPCCodes, c.grpc)))
	}
	f.Comment("GRPCStatus returns the gRPC status the call is rejected with, by Code:")
	f.Comment("InvalidArgument, Unauthenticated, ResourceExhausted or Unavailable, with the")
	f.Comment("cause's message. Both transports answer with it (HTTP with its code's status).")
	f.Func().Params(jen.Id("e").Op("*").Id("MiddlewareError")).Id("GRPCStatus").Params().Op("*").Qual(gokit.PkgGRPCStatus, "Status").Block(
		jen.Id("code").Op(":=").Qual(gokit.PkgGRPCCodes, "Unknown"),
		jen.Switch(jen.Id("e").Dot("Code")).Block(cases...),
		jen.Return(jen.Qual(gokit.PkgGRPCStatus, "New").Call(jen.Id("code"), jen.Id("e").Dot("Err").Dot("Error").Call())),
	)
}

// ProtoEndpoints is the expression Run builds a proto service's endpoints
// with: with the middlewares of kitforge.yaml when there are any (see
// mwEndpoints), else with panic recovery.
func ProtoEndpoints(l gokit.Layout, svc jen.Code) jen.Code {
	if len(l.Middleware) == 0 {
		return jen.Qual(l.Endpoint.Path, "New").Call(svc, recoveringThenOptions(l))
	}
	return jen.Qual(l.Endpoint.Path, "Wrap").Call(jen.Qual(l.Endpoint.Path, "New").Call(svc, jen.Id("o").Dot("endpointMiddleware").Call().Op("...")), jen.Id("mw").Dot("endpoint"))
}
