package protoparse

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kitforge/kitforge/generator/model"
)

// libraryProto is the Google-style resource API of pbgo's test data.
func libraryProto(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../pbgo/testdata/library/library/v1/library.proto")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestLoadLibrary(t *testing.T) {
	dir := writeTree(t, map[string]string{"api/library/v1/library.proto": libraryProto(t)})
	cfg := testConfig(dir, "api/library/v1/library.proto")
	cfg.ImportPaths = []string{"api"}
	res := mustLoad(t, cfg)

	if len(res.Services) != 1 {
		t.Fatalf("%d services", len(res.Services))
	}
	s := res.Services[0]
	if s.FullName != "example.library.v1.LibraryService" || s.Model.Name != "library" || s.Model.GoName != "LibraryService" ||
		s.File != "library/v1/library.proto" || s.Model.Source != model.SourceProto {
		t.Errorf("service %+v / %+v", s, s.Model)
	}
	if s.Model.Interface != (model.Ident{ImportPath: testModule + "/pkg/libraryservice", Name: "Service"}) || s.Model.PackageName != "libraryservice" {
		t.Errorf("interface %v package %s", s.Model.Interface, s.Model.PackageName)
	}
	if !slices.Equal(s.Model.Doc, []string{"LibraryService manages shelves of books."}) {
		t.Errorf("doc %q", s.Model.Doc)
	}
	// go_package names a package of another module: derived from the proto
	// package, ";name" kept, with a note.
	wantPB := GoPackage{Path: testModule + "/pkg/pb/example/library/v1", Name: "libraryv1", Dir: "pkg/pb/example/library/v1"}
	if s.PB != wantPB {
		t.Errorf("pb %+v, want %+v", s.PB, wantPB)
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], `has go_package "example.com/pbtest/library/v1;libraryv1", which is not a package of module example.com/lib: its Go code goes to example.com/lib/pkg/pb/example/library/v1 (package libraryv1); --go-package library/v1/library.proto=IMPORT_PATH[;NAME] chooses another`) {
		t.Errorf("notes %q", res.Notes)
	}
	var outs []string
	outputs, err := res.Outputs()
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outputs {
		outs = append(outs, o.Path)
		if len(o.Content) == 0 {
			t.Errorf("%s is empty", o.Path)
		}
	}
	if !slices.Equal(outs, []string{"pkg/pb/example/library/v1/library.pb.go", "pkg/pb/example/library/v1/library_grpc.pb.go"}) {
		t.Errorf("outputs %q", outs)
	}

	want := map[string][]string{
		"CreateShelf":  {"POST /v1/shelves body=shelf resp="},
		"GetShelf":     {"GET /v1/{name=shelves/*} body= resp="},
		"ListShelves":  {"GET /v1/shelves body= resp=", "GET /v1/libraries/{library}/shelves body= resp="},
		"DeleteShelf":  {"DELETE /v1/{name=shelves/*} body= resp="},
		"MergeShelves": {"POST /v1/{name=shelves/*}:merge body=* resp="},
		"UpdateBook":   {"PATCH /v1/{book.name=shelves/*/books/*} body=book resp=*"},
		"BorrowBook":   {"BORROW /v1/{name=shelves/*/books/*}:borrow body=* resp="},
	}
	for name, bindings := range want {
		m := method(t, s, name)
		var got []string
		for _, b := range m.Model.HTTP {
			got = append(got, binding(b))
		}
		if !slices.Equal(got, bindings) {
			t.Errorf("%s: bindings %q, want %q", name, got, bindings)
		}
	}
	get := method(t, s, "GetShelf")
	if get.Input != (model.Ident{ImportPath: wantPB.Path, Name: "GetShelfRequest"}) || get.Output != (model.Ident{ImportPath: wantPB.Path, Name: "Shelf"}) {
		t.Errorf("GetShelf types %v → %v", get.Input, get.Output)
	}
	if b := get.Model.HTTP[0]; !slices.Equal(b.PathParams, []string{"name"}) || b.Pos.String() != "api/library/v1/library.proto:38:38" {
		t.Errorf("GetShelf binding %+v at %s", b, b.Pos)
	}
	if upd := method(t, s, "UpdateBook"); !slices.Equal(upd.Model.HTTP[0].PathParams, []string{"book.name"}) {
		t.Errorf("UpdateBook path params %q", upd.Model.HTTP[0].PathParams)
	}
	del := method(t, s, "DeleteShelf")
	if del.Output != (model.Ident{ImportPath: "google.golang.org/protobuf/types/known/emptypb", Name: "Empty"}) {
		t.Errorf("DeleteShelf returns %v", del.Output)
	}
	m := get.Model
	if m.Kind != model.Unary || !m.HasContext || !m.HasError || len(m.Params) != 1 || len(m.Results) != 1 ||
		m.Params[0].Type.String() != "*"+wantPB.Path+".GetShelfRequest" || m.Results[0].Type.String() != "*"+wantPB.Path+".Shelf" {
		t.Errorf("GetShelf model %+v", m)
	}
	if m.Pos.String() != "api/library/v1/library.proto:37:3" || !slices.Equal(m.Doc, []string{"Gets a shelf."}) {
		t.Errorf("GetShelf at %s, doc %q", m.Pos, m.Doc)
	}
}

// TestDefaultRoute: an rpc without google.api.http gets POST
// /<package>.<Service>/<Rpc>, and the routes of the rpcs after it are
// untouched (truss dropped them).
func TestDefaultRoute(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.proto": `syntax = "proto3";
package acme.a.v1;
import "google/api/annotations.proto";
service A {
  rpc First(M) returns (M) { option (google.api.http).get = "/v1/first"; }
  rpc Plain(M) returns (M);
  rpc Last(M) returns (M) { option (google.api.http) = {post: "/v1/last" body: "*"}; }
}
message M { string x = 1; }
`})
	s := mustLoad(t, testConfig(dir, "a.proto")).Services[0]
	for name, want := range map[string]string{
		"First": "GET /v1/first body= resp=",
		"Plain": "POST /acme.a.v1.A/Plain body=* resp=",
		"Last":  "POST /v1/last body=* resp=",
	} {
		if m := method(t, s, name); len(m.Model.HTTP) != 1 || binding(m.Model.HTTP[0]) != want {
			t.Errorf("%s: %v, want %s", name, m.Model.HTTP, want)
		}
	}
}

func TestStreamingRPCs(t *testing.T) {
	dir := writeTree(t, map[string]string{"chat.proto": `syntax = "proto3";
package chat.v1;
import "google/api/annotations.proto";
service Chat {
  rpc Ping(M) returns (M);
  // Subscribe streams.
  rpc Subscribe(M) returns (stream M) { option (google.api.http).get = "/v1/sub"; }
  rpc Upload(stream M) returns (M);
  rpc Converse(stream M) returns (stream M) { option (google.api.http) = {post: "/v1/talk" body: "*"}; }
}
message M { string text = 1; }
`})
	res := mustLoad(t, testConfig(dir, "chat.proto"))
	s := res.Services[0]
	svcPath := testModule + "/pkg/chatservice"
	for _, tt := range []struct {
		name   string
		kind   model.MethodKind
		params string
		routes int    // HTTP bindings served
		note   string // "" for none
	}{
		// A server stream with a binding is served over HTTP too: no note.
		{"Subscribe", model.ServerStream, "*example.com/lib/pkg/pb/chat/v1.M " + svcPath + ".SubscribeStream", 1, ""},
		{"Upload", model.ClientStream, svcPath + ".UploadStream", 0, "chat.proto:8:3: rpc Chat.Upload streams its requests: served on gRPC only (give it a google.api.http annotation"},
		{"Converse", model.BidiStream, svcPath + ".ConverseStream", 0, "rpc Chat.Converse streams both ways: served on gRPC only; its google.api.http annotation is not served"},
	} {
		m := method(t, s, tt.name)
		var params []string
		for _, p := range m.Model.Params {
			params = append(params, p.Type.String())
		}
		if m.Model.Kind != tt.kind || strings.Join(params, " ") != tt.params || m.Model.HasContext || !m.Model.HasError ||
			len(m.Model.Results) != 0 || len(m.Model.HTTP) != tt.routes || m.StreamAlias != tt.name+"Stream" {
			t.Errorf("%s: kind %v params %q model %+v", tt.name, m.Model.Kind, params, m.Model)
		}
		noted := slices.ContainsFunc(res.Notes, func(n string) bool { return strings.Contains(n, "rpc Chat."+tt.name+" ") })
		if tt.note == "" && noted {
			t.Errorf("a note on %s in %q", tt.name, res.Notes)
		}
		if tt.note != "" && !slices.ContainsFunc(res.Notes, func(n string) bool { return strings.Contains(n, tt.note) }) {
			t.Errorf("no note %q in %q", tt.note, res.Notes)
		}
	}
	if m := method(t, s, "Ping"); m.Model.Kind != model.Unary || len(m.Model.HTTP) != 1 {
		t.Errorf("Ping: %+v", m.Model)
	}
	// A client stream's binding takes whole messages from the body.
	bad := writeTree(t, map[string]string{"chat.proto": `syntax = "proto3";
package chat.v1;
import "google/api/annotations.proto";
service Chat {
  rpc Upload(stream M) returns (M) { option (google.api.http) = {post: "/v1/{text}" body: "*"}; }
}
message M { string text = 1; }
`})
	if _, err := Load(context.Background(), testConfig(bad, "chat.proto")); err == nil || !strings.Contains(err.Error(), "cannot bind a part of them") {
		t.Errorf("a client stream binding a path variable: %v", err)
	}
}

// TestLocalImports: a message from a second local file in another proto
// package is compiled into that package's own Go package, found through the
// import paths; bundled imports are not local files.
func TestLocalImports(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"proto/shop/v1/shop.proto": `syntax = "proto3";
package shop.v1;
import "google/protobuf/empty.proto";
import "money/v1/money.proto";
service Shop { rpc Quote(google.protobuf.Empty) returns (money.v1.Money); }
`,
		"proto/money/v1/money.proto": `syntax = "proto3";
package money.v1;
option go_package = "example.com/lib/internal/money;money";
message Money { int64 units = 1; }
`,
	})
	cfg := testConfig(dir, "proto/shop/v1/shop.proto")
	cfg.ImportPaths = []string{"proto"}
	res := mustLoad(t, cfg)
	var files []string
	for _, f := range res.Files {
		files = append(files, f.ImportPath+" "+f.Go.Path+";"+f.Go.Name)
	}
	if !slices.Equal(files, []string{
		"shop/v1/shop.proto example.com/lib/pkg/pb/shop/v1;shopv1",
		"money/v1/money.proto example.com/lib/internal/money;money",
	}) {
		t.Errorf("files %q", files)
	}
	var outs []string
	outputs, err := res.Outputs()
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outputs {
		outs = append(outs, o.Path)
	}
	if !slices.Equal(outs, []string{"pkg/pb/shop/v1/shop.pb.go", "pkg/pb/shop/v1/shop_grpc.pb.go", "internal/money/money.pb.go"}) {
		t.Errorf("outputs %q", outs)
	}
	if q := method(t, res.Services[0], "Quote"); q.Output != (model.Ident{ImportPath: "example.com/lib/internal/money", Name: "Money"}) {
		t.Errorf("Quote returns %v", q.Output)
	}
	// Only the file without go_package gets a note.
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "proto/shop/v1/shop.proto has no go_package option") {
		t.Errorf("notes %q", res.Notes)
	}

	got, err := Discover(Config{Dir: dir, Files: []string{"proto/shop/v1/shop.proto"}, ImportPaths: []string{"proto"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !got[0].Root || got[1].Root || got[1].Abs != filepath.Join(dir, "proto/money/v1/money.proto") {
		t.Errorf("Discover: %+v %+v", got[0], got[1])
	}
}

func TestGoPackageOverrides(t *testing.T) {
	files := map[string]string{
		"a.proto": `syntax = "proto3";
package a.v1;
import "b.proto";
option go_package = "librarypb";
service A { rpc Do(b.v1.B) returns (b.v1.B); }
`,
		"b.proto": `syntax = "proto3";
package b.v1;
message B {}
`,
	}
	tests := []struct {
		name       string
		goPackages []string
		want       []string
		err        string
	}{
		{name: "not an import path: name kept, path derived",
			want: []string{"example.com/lib/pkg/pb/a/v1;librarypb", "example.com/lib/pkg/pb/b/v1;bv1"}},
		{name: "override for the files generated from", goPackages: []string{"example.com/lib/api;api"},
			want: []string{"example.com/lib/api;api", "example.com/lib/pkg/pb/b/v1;bv1"}},
		{name: "override for one imported file", goPackages: []string{"b.proto=example.com/lib/bee"},
			want: []string{"example.com/lib/pkg/pb/a/v1;librarypb", "example.com/lib/bee;bee"}},
		{name: "outside the module", goPackages: []string{"example.org/other;other"},
			err: `--go-package: go package "example.org/other;other" is not inside module example.com/lib`},
		{name: "bad package name", goPackages: []string{"example.com/lib/x;1x"},
			err: `"1x" is not a valid Go package name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(writeTree(t, files), "a.proto")
			cfg.GoPackages = tt.goPackages
			res, err := Load(context.Background(), cfg)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range res.Files {
				got = append(got, f.Go.Path+";"+f.Go.Name)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("go packages %q, want %q", got, tt.want)
			}
		})
	}
}

// TestSeveralServices: every service of the file, each with its own name,
// sharing the file's Go package.
func TestSeveralServices(t *testing.T) {
	dir := writeTree(t, map[string]string{"u.proto": `syntax = "proto3";
package acme.users.v1;
service Users { rpc Get(M) returns (M); }
service UsersService { rpc Get(M) returns (M); }
service Admin { rpc Purge(M) returns (M); }
message M {}
`})
	res := mustLoad(t, testConfig(dir, "u.proto"))
	var names []string
	for _, s := range res.Services {
		names = append(names, s.Model.Name+"="+s.FullName+"@"+s.PB.Name)
	}
	if !slices.Equal(names, []string{"users=acme.users.v1.Users@usersv1", "users2=acme.users.v1.UsersService@usersv1", "admin=acme.users.v1.Admin@usersv1"}) {
		t.Errorf("services %q", names)
	}
	if b := res.Services[1].Methods[0].Model.HTTP[0]; b.Path != "/acme.users.v1.UsersService/Get" {
		t.Errorf("default route %s", b.Path)
	}
}
