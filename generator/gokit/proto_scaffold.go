package gokit

import (
	"github.com/dave/jennifer/jen"
)

// ProtoImplementation emits <svc>/service_impl.go of a proto service,
// created once: basicService with a stub per rpc, streaming ones included,
// that returns ErrNotImplemented (Unimplemented on gRPC, 501 on HTTP).
func ProtoImplementation(ps *ProtoService) ([]byte, error) {
	svc, l := ps.Svc, ps.Layout
	f := newScaffoldFile(l.Service)
	ps.importNames(f)
	f.Comment(ImplType + " implements Service. Replace each stub's body with your logic; after")
	f.Comment("you change the .proto, `kitforge generate` adds stubs for new rpcs here.")
	f.Type().Id(ImplType).Struct()
	f.Comment("New returns the " + svc.GoName + " implementation.")
	f.Func().Id("New").Params().Id("Service").Block(jen.Return(jen.Id(ImplType).Values()))
	for _, m := range svc.Methods {
		genStub(f, m, l.Names)
	}
	return render(f)
}

// ProtoStubs returns the stub of every rpc, for merging into an existing
// implementation file.
func ProtoStubs(ps *ProtoService) ([]Stub, error) {
	src, err := ProtoImplementation(ps)
	if err != nil {
		return nil, err
	}
	return stubsOf(ps.Svc, src)
}
