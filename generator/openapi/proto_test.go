package openapi

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// goldenProtoDocument reads OpenAPIDocument from the server's
// openapi_gen.go of a golden proto case: the document the generated server
// serves at /openapi.json.
func goldenProtoDocument(t *testing.T, path string) []byte {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			if vs.Names[0].Name != "OpenAPIDocument" {
				continue
			}
			s, err := strconv.Unquote(vs.Values[0].(*ast.BasicLit).Value)
			if err != nil {
				t.Fatal(err)
			}
			return []byte(s)
		}
	}
	t.Fatalf("%s declares no OpenAPIDocument", path)
	return nil
}

// TestProtoDocumentIsValidOpenAPI validates the documents of every golden
// service generated from .proto files with kin-openapi, and checks on the
// library case how path templates, bodies, query parameters, response
// bodies and the well-known types are described.
func TestProtoDocumentIsValidOpenAPI(t *testing.T) {
	files, err := filepath.Glob("../../testdata/golden/proto_*/pkg/*server/openapi_gen.go")
	if err != nil || len(files) < 5 {
		t.Fatalf("golden proto documents: %v %v", files, err)
	}
	for _, file := range files {
		name := strings.Split(filepath.ToSlash(file), "/")[4]
		t.Run(name, func(t *testing.T) {
			data := goldenProtoDocument(t, file)
			doc, err := openapi3.NewLoader().LoadFromData(data)
			if err != nil {
				t.Fatalf("load: %v\n%s", err, data)
			}
			if err := doc.Validate(context.Background()); err != nil {
				t.Fatalf("invalid OpenAPI: %v\n%s", err, data)
			}
			if doc.Paths.Len() == 0 {
				t.Error("no paths")
			}
			if name == "proto_library" {
				checkLibraryDocument(t, doc)
			}
		})
	}
}

// checkLibraryDocument checks the library service's document.
func checkLibraryDocument(t *testing.T, doc *openapi3.T) {
	t.Helper()
	op := func(path, method string) *openapi3.Operation {
		t.Helper()
		item := doc.Paths.Value(path)
		if item == nil || item.GetOperation(method) == nil {
			t.Fatalf("no %s %s in %v", method, path, doc.Paths.InMatchingOrder())
		}
		return item.GetOperation(method)
	}
	// {name=shelves/*/books/*}: the literals stay, a parameter per wildcard;
	// GET, PATCH ({book.name=...}) and the :move verb share the shape's names.
	get := op("/v1/shelves/{name.shelves}/books/{name.books}", "GET")
	if get.OperationID != "LibraryService_GetBook" || get.Parameters.GetByInAndName("path", "name.shelves") == nil ||
		get.Parameters.GetByInAndName("path", "name.books") == nil {
		t.Errorf("GET book: %+v", get)
	}
	patch := op("/v1/shelves/{name.shelves}/books/{name.books}", "PATCH")
	if p := patch.Parameters.GetByInAndName("path", "name.books"); p == nil || !strings.Contains(p.Schema.Value.Description, "book.name") {
		t.Errorf("PATCH book path parameter does not say it binds book.name: %+v", p)
	}
	// body: "book" with book.name in the path: the Book without its name.
	body := patch.RequestBody.Value.Content.Get("application/json").Schema.Value
	if body.Properties["name"] != nil || body.Properties["title"] == nil {
		t.Errorf("PATCH body is not the Book without name: %v", body.Properties)
	}
	op("/v1/shelves/{name.shelves}/books/{name.books}:move", "POST")
	// "**": one parameter; the second binding gets its own operation id.
	if deep := op("/v1/books/{name}", "GET"); deep.OperationID != "LibraryService_GetBook2" ||
		!strings.Contains(deep.Parameters.GetByInAndName("path", "name").Schema.Value.Description, "slashes") {
		t.Errorf("GET /v1/books/{name}: %+v", deep)
	}
	// No body: the fields the path leaves are query parameters; enums by name.
	list := op("/v1/shelves/{parent.shelves}/books", "GET")
	if list.Parameters.GetByInAndName("query", "pageSize") == nil || list.Parameters.GetByInAndName("query", "parent") != nil {
		t.Errorf("ListBooks query parameters: %v", list.Parameters)
	}
	if g := list.Parameters.GetByInAndName("query", "genre"); g == nil || len(g.Schema.Value.Enum) == 0 {
		t.Errorf("genre is not an enum of names: %+v", g)
	}
	// response_body: "books": the response is the list.
	if r := list.Responses.Value("200").Value.Content.Get("application/json").Schema.Value; r.Type == nil || !r.Type.Is("array") {
		t.Errorf("ListBooks response is not the books array: %+v", r)
	}
	// Well-known types in their JSON forms.
	shelf := doc.Components.Schemas["google.example.library.v1.Shelf"]
	if shelf == nil || shelf.Value.Properties["createTime"].Value.Format != "date-time" {
		t.Errorf("Shelf.createTime is not a date-time string: %+v", shelf)
	}
	// A custom HTTP method (BORROW) has no place in OpenAPI 3.0.
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if strings.Contains(path, ":borrow") {
				t.Errorf("%s %s: a custom method is described", method, path)
			}
		}
	}
	if doc.Components.Schemas["google.rpc.Status"] == nil {
		t.Error("no error schema")
	}
}
