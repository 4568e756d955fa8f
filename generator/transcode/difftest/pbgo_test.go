package difftest

import (
	"path"
	"strings"
	"testing"
)

// TestKitforgeCompilesTheSameMessages checks that kitforge's in-process
// compiler (generator/pbgo) writes the committed protoc-gen-go output for
// the test protos, but for the version lines: both transcoders then run on
// the messages kitforge would generate. The gRPC glue differs on purpose
// (kitforge writes its own) and the gateway's file is the gateway's.
func TestKitforgeCompilesTheSameMessages(t *testing.T) {
	res, err := loaded()
	if err != nil {
		t.Fatal(err)
	}
	outs, err := res.Outputs()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, o := range outs {
		base := path.Base(o.Path)
		if !strings.HasSuffix(base, ".pb.go") || strings.HasSuffix(base, "_grpc.pb.go") {
			continue
		}
		committed := committedGoFile(t, strings.TrimSuffix(base, ".go")+"_test.go")
		if got, want := trimGenerated(o.Content), trimGenerated(committed); got != want {
			t.Errorf("%s: kitforge's .pb.go differs from protoc-gen-go's (regen.sh)", base)
		}
		checked++
	}
	if checked != len(protoFiles) {
		t.Errorf("checked %d .pb.go files, want %d", checked, len(protoFiles))
	}
}
