package pbgo

import (
	"context"
	"io/fs"
	"path"
	"testing"

	"github.com/bufbuild/protocompile"
	"github.com/bufbuild/protocompile/linker"
	_ "google.golang.org/genproto/googleapis/api"             // registers google/api/launch_stage.proto
	_ "google.golang.org/genproto/googleapis/api/annotations" // registers the other google/api files
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/aymanbagabas/go-udiff"
)

// TestBundledMatchGenproto checks that each bundled google/api source declares
// exactly what the descriptor in genproto's Go package declares: generated
// code imports that package, so the two must agree.
func TestBundledMatchGenproto(t *testing.T) {
	names, err := fs.Glob(googleapis, googleapisRoot+"/google/api/*.proto")
	if err != nil || len(names) == 0 {
		t.Fatalf("no bundled files: %v", err)
	}
	for _, name := range names {
		name = "google/api/" + path.Base(name)
		t.Run(name, func(t *testing.T) {
			if !Bundled(name) {
				t.Errorf("Bundled(%q) = false", name)
			}
			c := protocompile.Compiler{Resolver: newResolver(nil, nil)}
			files, err := c.Compile(context.Background(), name)
			if err != nil {
				t.Fatal(err)
			}
			got := comparable(files[0].(linker.Result).FileDescriptorProto())
			fd, err := protoregistry.GlobalFiles.FindFileByPath(name)
			if err != nil {
				t.Fatal(err)
			}
			want := comparable(protodesc.ToFileDescriptorProto(fd))
			if !proto.Equal(want, got) {
				text := prototext.MarshalOptions{Multiline: true}
				t.Errorf("bundled %s differs from genproto's descriptor (-genproto +bundled):\n%s", name,
					udiff.Unified("genproto", "bundled", text.Format(want), text.Format(got)))
			}
		})
	}
}

// comparable drops what a source file and a compiled-in descriptor need not
// share: source info, the json_name protoc fills in, and cc_enable_arenas, a
// C++-only option that the older http.proto from grpc-gateway still sets.
func comparable(fdp *descriptorpb.FileDescriptorProto) *descriptorpb.FileDescriptorProto {
	fdp = proto.CloneOf(fdp)
	fdp.SourceCodeInfo = nil
	if fdp.Options != nil {
		fdp.Options.CcEnableArenas = nil
	}
	var clear func(msgs []*descriptorpb.DescriptorProto)
	clear = func(msgs []*descriptorpb.DescriptorProto) {
		for _, m := range msgs {
			for _, f := range m.Field {
				f.JsonName = nil
			}
			clear(m.NestedType)
		}
	}
	clear(fdp.MessageType)
	for _, f := range fdp.Extension {
		f.JsonName = nil
	}
	return fdp
}

func TestBundled(t *testing.T) {
	for name, want := range map[string]bool{
		"google/api/annotations.proto":    true,
		"google/api/http.proto":           true,
		"google/api/client.proto":         true,
		"google/protobuf/empty.proto":     true,
		"google/protobuf/timestamp.proto": true,
		"google/api/httpbody.proto":       false,
		"calcpb/calc.proto":               false,
		"google/api/../api/http.proto":    false,
	} {
		if got := Bundled(name); got != want {
			t.Errorf("Bundled(%q) = %v, want %v", name, got, want)
		}
	}
}
