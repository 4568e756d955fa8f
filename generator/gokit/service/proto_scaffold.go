package service

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
)

// ProtoImplementation emits <svc>/service_impl.go of a proto service,
// created once: basicService with a stub per rpc, streaming ones included,
// that returns ErrNotImplemented (Unimplemented on gRPC, 501 on HTTP).
func ProtoImplementation(ps *gokit.ProtoService) ([]byte, error) {
	svc, l := ps.Svc, ps.Layout
	f := NewScaffoldFile(l.Service)
	ps.ImportNames(f)
	f.Comment(gokit.ImplType + " implements Service. Replace each stub's body with your logic; after")
	f.Comment("you change the .proto, `kitforge generate` adds stubs for new rpcs here.")
	f.Type().Id(gokit.ImplType).Struct()
	f.Comment("New returns the " + svc.GoName + " implementation.")
	f.Func().Id("New").Params().Id("Service").Block(jen.Return(jen.Id(gokit.ImplType).Values()))
	for _, m := range svc.Methods {
		genStub(f, m, l.Names)
	}
	return gokit.Render(f)
}

// ProtoStubs returns the stub of every rpc, for merging into an existing
// implementation file.
func ProtoStubs(ps *gokit.ProtoService) ([]Stub, error) {
	src, err := ProtoImplementation(ps)
	if err != nil {
		return nil, err
	}
	return stubsOf(ps.Svc, src)
}
