package transport

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kitforge/kitforge/generator/gokit"
	"github.com/kitforge/kitforge/generator/model"
	"github.com/kitforge/kitforge/generator/openapi"
)

// OpenAPI emits <out>/<name>transport/openapi_gen.go: the OpenAPI 3.0
// document of the HTTP routes and a handler that serves it.
func OpenAPI(svc *model.Service, l gokit.Layout) ([]byte, error) {
	doc, err := openapi.Document(svc)
	if err != nil {
		return nil, err
	}
	return renderOpenAPI(l.NewFile(l.Transport), doc)
}

// openAPIPlaceholder stands for the document's raw string while the file
// is formatted: the document is most of the file, and formatting it again
// changes nothing but costs a good part of a generation.
const openAPIPlaceholder = "kitforge:openapi-document"

// renderOpenAPI adds OpenAPIDocument (doc) and OpenAPIHandler to f and
// renders it, the document as a raw string written in after formatting.
func renderOpenAPI(f *jen.File, doc []byte) ([]byte, error) {
	raw := !strings.Contains(string(doc), "`")
	lit := jen.Lit(string(doc))
	if raw {
		lit = jen.Lit(openAPIPlaceholder)
	}
	openAPIDecls(f, lit)
	src, err := gokit.Render(f)
	if err != nil || !raw {
		return src, err
	}
	return bytes.Replace(src, []byte(strconv.Quote(openAPIPlaceholder)), []byte("`"+string(doc)+"`"), 1), nil
}

// openAPIDecls adds OpenAPIDocument (lit) and OpenAPIHandler to f.
func openAPIDecls(f *jen.File, lit jen.Code) {
	f.Comment("OpenAPIDocument describes the HTTP routes and types in OpenAPI 3.0.")
	f.Const().Id("OpenAPIDocument").Op("=").Add(lit)
	f.Comment("OpenAPIHandler serves OpenAPIDocument as JSON (the server mounts it at")
	f.Comment("GET /openapi.json).")
	f.Func().Id("OpenAPIHandler").Params().Qual(gokit.PkgHTTP, "Handler").Block(
		jen.Return(jen.Qual(gokit.PkgHTTP, "HandlerFunc").Call(jen.Func().Params(jen.Id("w").Qual(gokit.PkgHTTP, "ResponseWriter"), jen.Id("_").Op("*").Qual(gokit.PkgHTTP, "Request")).Block(
			jen.Id("w").Dot("Header").Call().Dot("Set").Call(jen.Lit("Content-Type"), jen.Lit("application/json")),
			jen.List(jen.Id("_"), jen.Id("_")).Op("=").Qual(gokit.PkgIO, "WriteString").Call(jen.Id("w"), jen.Id("OpenAPIDocument")),
		))),
	)
}

// ProtoOpenAPI emits <server>/openapi_gen.go for proto services: the
// OpenAPI 3.0 document of the HTTP/JSON transcoding of every service (see
// openapi.ProtoDocument) and the handler the server mounts at
// GET /openapi.json.
func ProtoOpenAPI(name string, server gokit.Pkg, services []*gokit.ProtoService) ([]byte, error) {
	var in []openapi.ProtoService
	for _, ps := range services {
		s := openapi.ProtoService{FullName: ps.FullName, GoName: ps.Svc.GoName}
		for i, m := range ps.Svc.Methods {
			s.Methods = append(s.Methods, openapi.ProtoMethod{Model: m, Desc: ps.Methods[i].Desc})
		}
		in = append(in, s)
	}
	doc, err := openapi.ProtoDocument(name, in)
	if err != nil {
		return nil, err
	}
	return renderOpenAPI(gokit.NewFile(server), doc)
}
