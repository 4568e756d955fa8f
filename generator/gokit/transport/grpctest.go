package transport

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
)

// ProtoGRPCTest emits <name>transport/grpc_gen_test.go for a proto service:
// every unary rpc called directly on the service and through NewGRPCClient
// against NewGRPCServer on an in-memory listener (bufconn), with an empty
// request; both calls must end with the same gRPC code (Unimplemented on
// the scaffolded stubs). The direct calls and the server have an instance
// of the service each, and each call its own request, so a stateful
// implementation sees the same calls in the same order on both. It is
// regenerated with the .proto files; put your own tests in other files.
func ProtoGRPCTest(ps *gokit.ProtoService) ([]byte, error) {
	svc, l := ps.Svc, ps.Layout
	f := gokit.ProtoNewFile(l.Transport, ps)
	f.ImportName("google.golang.org/grpc/test/bufconn", "bufconn")
	f.ImportName("google.golang.org/grpc/credentials/insecure", "insecure")
	body := []jen.Code{
		jen.Id("logger").Op(":=").Qual(gokit.KitLog, "NewNopLogger").Call(),
		jen.Comment("One instance for the direct calls and one behind the server: each sees the"),
		jen.Comment("same calls in the same order, so a stateful implementation answers alike."),
		jen.Id("svc").Op(":=").Add(newService(l)),
		jen.Id("served").Op(":=").Add(newService(l)),
		jen.Id("lis").Op(":=").Qual("google.golang.org/grpc/test/bufconn", "Listen").Call(jen.Lit(1).Op("<<").Lit(20)),
		jen.Id("srv").Op(":=").Qual(gokit.PkgGRPC, "NewServer").Call(),
		jen.Qual(l.PB.Path, "Register"+svc.GoName+"Server").Call(jen.Id("srv"), jen.Id("NewGRPCServer").Call(
			jen.Qual(l.Endpoint.Path, "New").Call(jen.Id("served"), jen.Qual(l.Endpoint.Path, "RecoveringMiddleware").Call(jen.Id("logger"))),
			jen.Id("served"), jen.Id("logger"))),
		jen.Go().Func().Params().Block(jen.Id("_").Op("=").Id("srv").Dot("Serve").Call(jen.Id("lis"))).Call(),
		jen.Defer().Id("srv").Dot("Stop").Call(),
		jen.List(jen.Id("conn"), jen.Err()).Op(":=").Qual(gokit.PkgGRPC, "NewClient").Call(
			jen.Lit("passthrough:///bufconn"),
			jen.Qual(gokit.PkgGRPC, "WithContextDialer").Call(jen.Func().Params(jen.Id("ctx").Qual(gokit.PkgContext, "Context"), jen.Id("_").String()).Params(jen.Qual(gokit.PkgNet, "Conn"), jen.Error()).Block(
				jen.Return(jen.Id("lis").Dot("DialContext").Call(jen.Id("ctx"))),
			)),
			jen.Qual(gokit.PkgGRPC, "WithTransportCredentials").Call(jen.Qual("google.golang.org/grpc/credentials/insecure", "NewCredentials").Call()),
		),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("t").Dot("Fatal").Call(jen.Err())),
		jen.Defer().Id("conn").Dot("Close").Call(),
		jen.Id("client").Op(":=").Id("NewGRPCClient").Call(jen.Id("conn")),
		jen.Id("ctx").Op(":=").Qual(gokit.PkgContext, "Background").Call(),
	}
	for _, m := range gokit.UnaryMethods(svc) {
		pm := ps.Method(m)
		in := func() jen.Code { return jen.Op("&").Qual(pm.Input.ImportPath, pm.Input.Name).Values() }
		body = append(body, jen.Id("t").Dot("Run").Call(jen.Lit(m.Name), jen.Func().Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
			jen.List(jen.Id("_"), jen.Id("want")).Op(":=").Id("svc").Dot(m.Name).Call(jen.Id("ctx"), in()),
			jen.List(jen.Id("_"), jen.Id("got")).Op(":=").Id("client").Dot(m.EndpointName()).Call(jen.Id("ctx"), in()),
			jen.If(jen.Qual(gokit.PkgGRPCStatus, "Code").Call(jen.Id("got")).Op("!=").Qual(gokit.PkgGRPCStatus, "Code").Call(jen.Id("want"))).Block(
				jen.Id("t").Dot("Errorf").Call(jen.Lit("over gRPC: %v; called directly: %v"), jen.Id("got"), jen.Id("want")),
			),
		)))
	}
	f.Comment("TestGRPCRoundTrip calls every unary rpc directly and through NewGRPCClient against")
	f.Comment("NewGRPCServer on an in-memory listener, and checks that both calls end with the")
	f.Comment("same gRPC code (Unimplemented for a stub).")
	f.Func().Id("TestGRPCRoundTrip").Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(body...)
	return gokit.Render(f)
}
