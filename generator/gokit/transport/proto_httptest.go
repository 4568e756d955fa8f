package transport

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	samples "github.com/kitforge/kitforge/generator/render"
)

// ProtoHTTPTest emits <name>transport/http_gen_test.go for a proto service:
// a round trip per HTTP binding of every unary rpc through NewHTTPHandler on
// an httptest server, with a sample request (samples.ProtoHTTPRequest). Each
// must reach its rpc's endpoint (the route matches and the request decodes)
// and answer the HTTP status of the endpoint's gRPC status: 501 on the
// scaffolded stubs, and whatever the implementation returns later. It is
// regenerated with the .proto files; put your own tests in other files.
func ProtoHTTPTest(ps *gokit.ProtoService) ([]byte, error) {
	svc, l := ps.Svc, ps.Layout
	f := gokit.ProtoNewFile(l.Transport, ps)
	var cases []jen.Code
	var records []jen.Code
	for _, m := range gokit.UnaryMethods(svc) {
		pm := ps.Method(m)
		if pm.Desc == nil {
			continue
		}
		records = append(records, jen.Id("set").Dot(m.EndpointName()).Op("=").Id("record").Call(jen.Lit(m.Name), jen.Id("set").Dot(m.EndpointName())))
		for _, h := range m.HTTP {
			path, body, err := samples.ProtoHTTPRequest(h, pm.Desc.Input())
			if err != nil {
				return nil, err
			}
			cases = append(cases, jen.Values(jen.Lit(m.Name), jen.Lit(h.Verb), jen.Lit(path), jen.Lit(body)))
		}
	}
	fail := func(format string, args ...jen.Code) jen.Code {
		return jen.Id("t").Dot("Fatalf").Call(append([]jen.Code{jen.Lit(format)}, args...)...)
	}
	f.Comment("TestHTTPRoundTrip sends a sample request for every HTTP binding of every unary rpc")
	f.Comment("to NewHTTPHandler on an httptest server, and checks that it reaches the rpc's")
	f.Comment("endpoint and answers the HTTP status of the endpoint's gRPC status (501 for a stub).")
	body := []jen.Code{
		jen.Id("logger").Op(":=").Qual(gokit.KitLog, "NewNopLogger").Call(),
		jen.Id("set").Op(":=").Qual(l.Endpoint.Path, "New").Call(newService(l), jen.Qual(l.Endpoint.Path, "RecoveringMiddleware").Call(jen.Id("logger"))),
		jen.Var().Defs(
			jen.Id("reached").String().Comment("the rpc whose endpoint the last request reached"),
			jen.Id("result").Error().Comment("and the error it returned"),
		),
		jen.Id("record").Op(":=").Func().Params(jen.Id("rpc").String(), jen.Id("next").Qual(gokit.KitEndpoint, "Endpoint")).Qual(gokit.KitEndpoint, "Endpoint").Block(
			jen.Return(jen.Func().Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("request").Any()).Params(jen.Any(), jen.Error()).Block(
				jen.List(jen.Id("response"), jen.Err()).Op(":=").Id("next").Call(jen.Id("ctx"), jen.Id("request")),
				jen.List(jen.Id("reached"), jen.Id("result")).Op("=").List(jen.Id("rpc"), jen.Err()),
				jen.Return(jen.Id("response"), jen.Err()),
			)),
		),
	}
	body = append(body, records...)
	body = append(body,
		jen.Id("srv").Op(":=").Qual("net/http/httptest", "NewServer").Call(jen.Id("NewHTTPHandler").Call(jen.Id("set"), jen.Id("logger"))),
		jen.Defer().Id("srv").Dot("Close").Call(),
		jen.Line(),
		jen.For(jen.List(jen.Id("_"), jen.Id("c")).Op(":=").Range().Index().Struct(jen.List(jen.Id("rpc"), jen.Id("method"), jen.Id("path"), jen.Id("body")).String()).Values(gokit.Multiline(cases)...)).Block(
			jen.Id("t").Dot("Run").Call(jen.Id("c").Dot("method").Op("+").Lit(" ").Op("+").Id("c").Dot("path"), jen.Func().Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
				jen.List(jen.Id("reached"), jen.Id("result")).Op("=").List(jen.Lit(""), jen.Nil()),
				jen.List(jen.Id("req"), jen.Err()).Op(":=").Qual(gokit.PkgHTTP, "NewRequest").Call(jen.Id("c").Dot("method"), jen.Id("srv").Dot("URL").Op("+").Id("c").Dot("path"), jen.Qual(gokit.PkgStrings, "NewReader").Call(jen.Id("c").Dot("body"))),
				jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("t").Dot("Fatal").Call(jen.Err())),
				jen.List(jen.Id("resp"), jen.Err()).Op(":=").Id("srv").Dot("Client").Call().Dot("Do").Call(jen.Id("req")),
				jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("t").Dot("Fatal").Call(jen.Err())),
				jen.Defer().Id("resp").Dot("Body").Dot("Close").Call(),
				jen.List(jen.Id("got"), jen.Id("_")).Op(":=").Qual(gokit.PkgIO, "ReadAll").Call(jen.Id("resp").Dot("Body")),
				jen.If(jen.Id("reached").Op("!=").Id("c").Dot("rpc")).Block(
					fail("reached %q, want the %s endpoint: %d %s", jen.Id("reached"), jen.Id("c").Dot("rpc"), jen.Id("resp").Dot("StatusCode"), jen.Id("got")),
				),
				jen.If(jen.Id("want").Op(":=").Qual(l.Transcode.Path, "HTTPStatusFromCode").Call(jen.Qual(gokit.PkgGRPCStatus, "Code").Call(jen.Id("result"))), jen.Id("resp").Dot("StatusCode").Op("!=").Id("want")).Block(
					jen.Id("t").Dot("Errorf").Call(jen.Lit("status %d, want %d (the endpoint returned %v): %s"), jen.Id("resp").Dot("StatusCode"), jen.Id("want"), jen.Id("result"), jen.Id("got")),
				),
			)),
		),
	)
	f.Func().Id("TestHTTPRoundTrip").Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(body...)
	return gokit.Render(f)
}

// HasUnary reports whether ps has a unary rpc, which the HTTP transport
// serves.
func HasUnary(ps *gokit.ProtoService) bool { return len(gokit.UnaryMethods(ps.Svc)) > 0 }
