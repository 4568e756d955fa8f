package service

import (
	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
)

// ProtoInterface emits <svc>/service_gen.go for a proto service: the
// package documentation, the Service interface with one method per rpc
// (unary rpcs take and return the generated messages; streaming rpcs have
// the signatures of the generated XServer interface, so the gRPC server
// hands them their stream directly), and the stream type aliases.
func ProtoInterface(ps *gokit.ProtoService) ([]byte, error) {
	svc, l := ps.Svc, ps.Layout
	f := gokit.ProtoNewFile(l.Service, ps)
	f.PackageComment("Package " + l.Service.Name + " declares the " + ps.FullName + " service of " + ps.File + ".")
	f.PackageComment("kitforge generates the Service interface from the .proto file: change the file, then")
	f.PackageComment("run `kitforge generate`. Implement the service in service_impl.go, which is yours.")

	doc := []string{"Service is the " + ps.FullName + " service."}
	if len(svc.Doc) > 0 {
		doc = append(doc, "")
		doc = append(doc, svc.Doc...)
	}
	f.Comment(gokit.CommentBlock(doc))
	f.Type().Id("Service").InterfaceFunc(func(g *jen.Group) {
		for _, m := range svc.Methods {
			g.Comment(gokit.CommentBlock(methodDoc(m, ps.Method(m))))
			g.Id(m.Name).Params(gokit.Params(m)...).Params(gokit.Results(m)...)
		}
	})
	for _, m := range svc.Methods {
		if !m.IsStreaming() {
			continue
		}
		pm := ps.Method(m)
		f.Comment(pm.StreamAlias + " is the server side of the " + pm.ProtoName + " stream: " + streamUse(m.Kind) + ".")
		f.Type().Id(pm.StreamAlias).Op("=").Add(gokit.StreamTypeCode(m, pm))
	}
	return gokit.Render(f)
}

// methodDoc is an interface method's doc: the rpc's comment, and for a
// streaming rpc a line saying it is served on gRPC only.
func methodDoc(m *model.Method, pm gokit.ProtoMethod) []string {
	doc := append([]string(nil), m.Doc...)
	if len(doc) == 0 {
		doc = []string{m.Name + " is the " + pm.ProtoName + " rpc."}
	}
	if m.IsStreaming() {
		doc = append(doc, "", "It streams, so it is served on gRPC only.")
	}
	return doc
}

// streamUse says how a server uses a stream of the given kind.
func streamUse(k model.MethodKind) string {
	switch k {
	case model.ServerStream:
		return "Send writes each response"
	case model.ClientStream:
		return "Recv reads each request (io.EOF at the end), SendAndClose answers once"
	default:
		return "Recv reads each request (io.EOF at the end), Send writes each response"
	}
}
