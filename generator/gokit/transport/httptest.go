package transport

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/gokit/service"
	"github.com/kitforge/kitforge/generator/model"
	samples "github.com/kitforge/kitforge/generator/render"
)

// HTTPTest emits <out>/<name>transport/http_gen_test.go: a round trip per
// method through httptest and the generated HTTP client, asserting that the
// call over HTTP ends like the direct call (same error status, or success).
// The direct calls and the server have an instance of the service each, so
// a stateful implementation sees the same calls in the same order on both
// (a create answers 200 on each, not 200 then 409), and pointer parameters
// get non-nil samples. It passes on the scaffolded stubs (both answer not
// implemented) and keeps passing as methods get implemented; it is
// regenerated with the interface, so it never drifts. Add your own tests in
// other files.
func HTTPTest(svc *model.Service, l gokit.Layout) ([]byte, error) {
	pkg := gokit.Pkg{Path: l.Transport.Path + "_test", Name: l.Transport.Name + "_test", Dir: l.Transport.Dir}
	f := l.NewFile(pkg)
	f.ImportName(l.Transport.Path, l.Transport.Name)
	f.ImportName(l.Endpoint.Path, l.Endpoint.Name)

	f.Comment("TestHTTPRoundTrip calls every method directly and through the HTTP client")
	f.Comment("against an httptest server, and checks that both calls end the same way.")
	body := []jen.Code{
		jen.Id("logger").Op(":=").Qual(gokit.KitLog, "NewNopLogger").Call(),
		jen.Comment("One instance for the direct calls and one behind the server: each sees the"),
		jen.Comment("same calls in the same order, so a stateful implementation answers alike."),
		jen.Id("svc").Op(":=").Add(newService(l)),
		jen.Id("srv").Op(":=").Qual("net/http/httptest", "NewServer").Call(
			jen.Qual(l.Transport.Path, "NewHTTPHandler").Call(
				jen.Qual(l.Endpoint.Path, "New").Call(newService(l), jen.Qual(l.Endpoint.Path, "RecoveringMiddleware").Call(jen.Id("logger"))),
				jen.Id("logger"))),
		jen.Defer().Id("srv").Dot("Close").Call(),
		jen.List(jen.Id("client"), jen.Err()).Op(":=").Qual(l.Transport.Path, "NewHTTPClient").Call(jen.Id("srv").Dot("URL")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("t").Dot("Fatal").Call(jen.Err())),
	}
	// set and ctx only when a subtest uses them (vet-clean without blank
	// assignments): set for methods without an error result, ctx for
	// methods that take one and for those endpoint calls.
	needSet, needCtx := false, false
	for _, m := range gokit.UnaryMethods(svc) {
		needSet = needSet || !m.HasError
		needCtx = needCtx || m.HasContext || !m.HasError
	}
	if needSet {
		body = append(body, jen.Id("set").Op(":=").Id("client").Assert(jen.Qual(l.Endpoint.Path, "Set")))
	}
	if needCtx {
		body = append(body, jen.Id("ctx").Op(":=").Qual(gokit.PkgContext, "Background").Call())
	}
	for _, m := range gokit.UnaryMethods(svc) {
		body = append(body, jen.Id("t").Dot("Run").Call(jen.Lit(m.Name), jen.Func().Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(roundTrip(m, l)...)))
	}
	f.Func().Id("TestHTTPRoundTrip").Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(body...)

	f.Comment("status is the HTTP status an error answers with (200 for nil).")
	f.Func().Id("status").Params(jen.Err().Error()).Int().Block(
		jen.If(jen.Err().Op("==").Nil()).Block(jen.Return(jen.Qual(gokit.PkgHTTP, "StatusOK"))),
		jen.Return(jen.Qual(l.Transport.Path, "HTTPStatus").Call(jen.Err())),
	)

	if usesPointerTo(svc) {
		f.Comment("pointerTo returns a pointer to a copy of v: a non-nil sample of a pointer parameter.")
		f.Func().Id("pointerTo").Types(jen.Id("T").Any()).Params(jen.Id("v").Id("T")).Op("*").Id("T").Block(jen.Return(jen.Op("&").Id("v")))
	}
	if !needSet {
		return gokit.Render(f)
	}
	f.Comment("direct runs call and turns a panic with an error (a stub without an error")
	f.Comment("result) into that error, as the endpoint's recovering middleware does.")
	f.Func().Id("direct").Params(jen.Id("call").Func().Params().Error()).Params(jen.Err().Error()).Block(
		jen.Defer().Func().Params().Block(
			jen.If(jen.Id("p").Op(":=").Recover(), jen.Id("p").Op("!=").Nil()).Block(
				jen.List(jen.Id("pe"), jen.Id("ok")).Op(":=").Id("p").Assert(jen.Error()),
				jen.If(jen.Op("!").Id("ok")).Block(jen.Panic(jen.Id("p"))),
				jen.Err().Op("=").Id("pe"),
			),
		).Call(),
		jen.Return(jen.Id("call").Call()),
	)
	return gokit.Render(f)
}

// roundTrip emits the body of one method's subtest.
func roundTrip(m *model.Method, l gokit.Layout) []jen.Code {
	args := []jen.Code{}
	if m.HasContext {
		args = append(args, jen.Id("ctx"))
	}
	reqValues := []jen.Code{}
	for _, p := range m.Params {
		if p.Variadic {
			continue
		}
		args = append(args, sampleValue(p.Type))
		reqValues = append(reqValues, jen.Id(p.GoName).Op(":").Add(sampleValue(p.Type)))
	}
	var local, remote jen.Code
	if m.HasError {
		// Both calls report failure in their error result.
		results := func(name string) *jen.Statement {
			names := []jen.Code{}
			for range m.Results {
				names = append(names, jen.Id("_"))
			}
			return jen.List(append(names, jen.Id(name))...)
		}
		local = results("local").Op(":=").Id("svc").Dot(m.Name).Call(args...)
		remote = results("remote").Op(":=").Id("client").Dot(m.Name).Call(args...)
	} else {
		// Without an error result a stub panics with ErrNotImplemented
		// (direct recovers it), and the typed client cannot report failure:
		// call the endpoint, which can.
		call := jen.Id("svc").Dot(m.Name).Call(args...)
		if len(m.Results) > 0 {
			// Assigned, so go vet's unusedresult is content with a String() string.
			blanks := make([]jen.Code, len(m.Results))
			for i := range blanks {
				blanks[i] = jen.Id("_")
			}
			call = jen.List(blanks...).Op("=").Add(call)
		}
		local = jen.Id("local").Op(":=").Id("direct").Call(jen.Func().Params().Error().Block(call, jen.Return(jen.Nil())))
		remote = jen.List(jen.Id("_"), jen.Id("remote")).Op(":=").Id("set").Dot(m.EndpointName()).Call(
			jen.Id("ctx"), jen.Qual(l.Endpoint.Path, m.RequestName()).Values(reqValues...))
	}
	return []jen.Code{
		local,
		remote,
		jen.If(jen.Id("status").Call(jen.Id("local")).Op("!=").Id("status").Call(jen.Id("remote"))).Block(
			jen.Id("t").Dot("Errorf").Call(jen.Lit("direct call: %v (status %d); over HTTP: %v (status %d)"),
				jen.Id("local"), jen.Id("status").Call(jen.Id("local")), jen.Id("remote"), jen.Id("status").Call(jen.Id("remote"))),
		),
	}
}

// newService spells a call of the service implementation's constructor,
// the one place the generated tests name it.
func newService(l gokit.Layout) *jen.Statement {
	var args []jen.Code
	for _, c := range l.Calls {
		for _, cl := range c.Clients {
			nils := make([]jen.Code, cl.ConstructorArgs)
			for i := range nils {
				nils[i] = jen.Nil()
			}
			args = append(args, jen.Qual(cl.Service.Path, cl.Constructor).Call(nils...))
		}
	}
	return l.Constructor().Call(args...)
}

// sampleValue spells a non-zero sample of scalar types (a path parameter
// cannot be empty), a non-nil pointer (an implementation may dereference its
// parameters) and the zero value of the others.
func sampleValue(t *model.Type) jen.Code {
	if t.Kind == model.Pointer {
		return samplePointer(t.Elem)
	}
	switch {
	case t.IsNamed("time", "Time"):
		return jen.Qual(gokit.PkgTime, "Date").Call(jen.Lit(2026), jen.Lit(1), jen.Lit(2), jen.Lit(15), jen.Lit(4), jen.Lit(5), jen.Lit(0), jen.Qual(gokit.PkgTime, "UTC"))
	case t.IsNamed("time", "Duration"):
		return jen.Qual(gokit.PkgTime, "Second")
	}
	r := t.Resolved()
	if r == nil || r.Kind != model.Basic {
		return service.ZeroValue(t)
	}
	var v jen.Code
	switch r.BasicName {
	case "string":
		v = jen.Lit("example")
	case "bool":
		v = jen.True()
	default:
		v = jen.Lit(1)
	}
	if t.Kind == model.Named {
		return jen.Add(gokit.TypeCode(t)).Parens(v)
	}
	return v
}

// samplePointer spells a non-nil pointer to elem: to a sample for scalars (a
// pointer to "" or 0 would not survive a query string, which omits empty
// values), to a zero composite literal for structs and arrays, new(T) else.
func samplePointer(elem *model.Type) jen.Code {
	switch r := elem.Resolved(); {
	case elem.IsScalar() && elem.Kind == model.Basic:
		return jen.Id("pointerTo").Types(gokit.TypeCode(elem)).Call(sampleValue(elem))
	case elem.IsScalar():
		return jen.Id("pointerTo").Call(sampleValue(elem))
	case r != nil && (r.Kind == model.Struct || r.Kind == model.Array):
		return jen.Op("&").Add(gokit.TypeCode(elem)).Values()
	default:
		return jen.New(gokit.TypeCode(elem))
	}
}

// usesPointerTo reports whether a sample of svc's parameters calls the
// test's pointerTo helper (a pointer to a scalar).
func usesPointerTo(svc *model.Service) bool {
	for _, m := range gokit.UnaryMethods(svc) {
		for _, p := range m.Params {
			if !p.Variadic && p.Type.Kind == model.Pointer && p.Type.Elem.IsScalar() {
				return true
			}
		}
	}
	return false
}

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
