package openapi

import (
	"context"
	"testing"

	"github.com/bufbuild/protocompile"
	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kitforge/kitforge/generator/model"
)

const edgeProto = `syntax = "proto3";
package edge.v1;
import "google/protobuf/wrappers.proto";
import "google/protobuf/struct.proto";

message Filter { string author = 1; repeated string tags = 2; }
message Req {
  string name = 1;
  string path = 2;
  uint64 big = 3;
  google.protobuf.Int32Value limit = 4;
  Filter filter = 5;
  map<string, string> labels = 6;
  google.protobuf.Struct extra = 7;
  Req child = 8;
}
service Edge { rpc Get(Req) returns (Req); rpc Deep(Req) returns (Req); rpc Odd(Req) returns (Req); }
`

// TestProtoDocumentEdges checks the cases the golden services do not have:
// a "*" and a "**" route of one method that OpenAPI cannot tell apart, a
// wildcard outside variables, 64-bit integers and wrappers, query
// parameters of nested messages (maps left out), a recursive message, and
// a custom method; the document stays valid.
func TestProtoDocumentEdges(t *testing.T) {
	c := protocompile.Compiler{Resolver: protocompile.WithStandardImports(&protocompile.SourceResolver{
		Accessor: protocompile.SourceAccessorFromMap(map[string]string{"edge.proto": edgeProto}),
	})}
	files, err := c.Compile(context.Background(), "edge.proto")
	if err != nil {
		t.Fatal(err)
	}
	sd := files[0].Services().Get(0)
	bind := func(verb, path, body string) *model.HTTPBinding {
		return &model.HTTPBinding{Verb: verb, Path: path, Body: body}
	}
	svc := ProtoService{FullName: "edge.v1.Edge", GoName: "Edge", Methods: []ProtoMethod{
		{Model: &model.Method{Name: "Get", HTTP: []*model.HTTPBinding{bind("GET", "/v1/items/{name}", "")}}, Desc: sd.Methods().Get(0)},
		{Model: &model.Method{Name: "Deep", HTTP: []*model.HTTPBinding{bind("GET", "/v1/items/{path=**}", ""), bind("POST", "/v1/*/things/{name}", "*")}}, Desc: sd.Methods().Get(1)},
		{Model: &model.Method{Name: "Odd", HTTP: []*model.HTTPBinding{bind("LOCK", "/v1/items/{name}", "")}}, Desc: sd.Methods().Get(2)},
	}}
	data, err := ProtoDocument("edge", []ProtoService{svc})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		t.Fatalf("load: %v\n%s", err, data)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("invalid OpenAPI: %v\n%s", err, data)
	}
	again, _ := ProtoDocument("edge", []ProtoService{svc})
	if string(again) != string(data) {
		t.Error("ProtoDocument is not deterministic")
	}
	item := doc.Paths.Value("/v1/items/{name}")
	if item == nil || item.Get == nil || item.Get.OperationID != "Edge_Get" {
		t.Fatalf("GET /v1/items/{name}: %+v (the ** route of the same method must not replace it)", item)
	}
	if doc.Paths.Value("/v1/items/{path}") != nil {
		t.Error("a second path item alike /v1/items/{name}")
	}
	if item.GetOperation("LOCK") != nil || len(item.Operations()) != 1 {
		t.Errorf("custom method described: %v", item.Operations())
	}
	get := item.Get
	for _, q := range []string{"big", "limit", "filter.author", "filter.tags"} {
		if get.Parameters.GetByInAndName("query", q) == nil {
			t.Errorf("no query parameter %s in %v", q, names(get.Parameters))
		}
	}
	// name is in the path; maps and Struct are not carried by query strings;
	// a message met again inside itself (child) is not flattened.
	for _, q := range []string{"name", "labels", "extra", "extra.fields", "child.name"} {
		if get.Parameters.GetByInAndName("query", q) != nil {
			t.Errorf("query parameter %s: bound by the path, or not carried", q)
		}
	}
	if p := get.Parameters.GetByInAndName("query", "big"); p != nil && !p.Schema.Value.Type.Is("string") {
		t.Errorf("uint64 is not a string: %+v", p.Schema.Value)
	}
	post := doc.Paths.Value("/v1/{segment1}/things/{name}")
	if post == nil || post.Post == nil || post.Post.Parameters.GetByInAndName("path", "segment1") == nil {
		t.Fatalf("POST with an unnamed wildcard: %v", doc.Paths.InMatchingOrder())
	}
	req := doc.Components.Schemas["edge.v1.Req"]
	if req == nil || req.Value.Properties["child"].Ref != "#/components/schemas/edge.v1.Req" {
		t.Errorf("recursive Req: %+v", req)
	}
	if l := req.Value.Properties["limit"].Value; !l.Nullable || !l.Type.Is("integer") {
		t.Errorf("Int32Value is not a nullable integer: %+v", l)
	}
}

// names lists parameters, for messages.
func names(ps openapi3.Parameters) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Value.In+":"+p.Value.Name)
	}
	return out
}
