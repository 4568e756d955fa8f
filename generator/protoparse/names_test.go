package protoparse

import (
	"context"
	"testing"

	"github.com/bufbuild/protocompile"
	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/pluginpb"
)

// TestGoCamelCaseMatchesProtogen compares goCamelCase with the names
// protoc-gen-go itself gives messages, nested messages, services and
// methods with awkward names.
func TestGoCamelCaseMatchesProtogen(t *testing.T) {
	src := `syntax = "proto3";
package x.y;
option go_package = "example.com/x;x";
message get_book_request { message inner_msg { int32 a = 1; } }
message HTTPServer {}
message _private {}
message a2b_c3d { message _x {} }
message lower {}
service my_service {
  rpc get_book(get_book_request) returns (lower);
  rpc HTTPGet(HTTPServer) returns (lower);
  rpc do_2_things(lower) returns (lower);
}
`
	c := protocompile.Compiler{Resolver: protocompile.WithStandardImports(&protocompile.SourceResolver{
		Accessor: protocompile.SourceAccessorFromMap(map[string]string{"x.proto": src}),
	})}
	files, err := c.Compile(context.Background(), "x.proto")
	if err != nil {
		t.Fatal(err)
	}
	gen, err := protogen.Options{}.New(&pluginpb.CodeGeneratorRequest{
		FileToGenerate: []string{"x.proto"},
		ProtoFile:      []*descriptorpb.FileDescriptorProto{protodesc.ToFileDescriptorProto(files[0])},
	})
	if err != nil {
		t.Fatal(err)
	}
	f := gen.FilesByPath["x.proto"]
	var check func(ms []*protogen.Message)
	check = func(ms []*protogen.Message) {
		for _, m := range ms {
			name := string(m.Desc.FullName())[len("x.y."):]
			if got := goCamelCase(name); got != m.GoIdent.GoName {
				t.Errorf("goCamelCase(%q) = %q, protoc-gen-go says %q", name, got, m.GoIdent.GoName)
			}
			check(m.Messages)
		}
	}
	check(f.Messages)
	for _, s := range f.Services {
		if got := goCamelCase(string(s.Desc.Name())); got != s.GoName {
			t.Errorf("service %s: %q, want %q", s.Desc.Name(), got, s.GoName)
		}
		for _, m := range s.Methods {
			if got := goCamelCase(string(m.Desc.Name())); got != m.GoName {
				t.Errorf("method %s: %q, want %q", m.Desc.Name(), got, m.GoName)
			}
		}
	}
}

func TestDerivedNames(t *testing.T) {
	for pkg, want := range map[string]string{
		"acme.users.v1":             "usersv1",
		"google.example.library.v1": "libraryv1",
		"calc":                      "calc",
		"a.b.v2beta1":               "bv2beta1",
		"foo_bar.v1":                "foobarv1",
		"v1":                        "v1",
		"x.9lives":                  "p9lives",
	} {
		if got := derivedPackageName(pkg); got != want {
			t.Errorf("derivedPackageName(%q) = %q, want %q", pkg, got, want)
		}
	}
	for svc, want := range map[string]string{
		"LibraryService": "library",
		"Users":          "users",
		"Service":        "service",
		"BookShelf_API":  "bookshelfapi",
	} {
		if got := serviceName(svc); got != want {
			t.Errorf("serviceName(%q) = %q, want %q", svc, got, want)
		}
	}
}
