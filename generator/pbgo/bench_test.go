package pbgo

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// benchProto is a service with n unary rpcs, each with an HTTP binding and
// its own request and response messages, importing the well-known types.
func benchProto(n int) []byte {
	var b strings.Builder
	b.WriteString(`syntax = "proto3";

package bench.v1;

import "google/api/annotations.proto";
import "google/protobuf/timestamp.proto";

option go_package = "example.com/bench/benchpb;benchpb";

// Bench is a generated service.
service Bench {
`)
	for i := range n {
		fmt.Fprintf(&b, "  // Method%d does thing %d.\n  rpc Method%d(Method%dRequest) returns (Method%dResponse) {\n", i, i, i, i, i)
		fmt.Fprintf(&b, "    option (google.api.http) = {post: \"/v1/things/{id}:method%d\" body: \"*\"};\n  }\n", i)
	}
	b.WriteString("}\n")
	for i := range n {
		fmt.Fprintf(&b, `
// Method%[1]dRequest is the request of Method%[1]d.
message Method%[1]dRequest {
  string id = 1;
  int64 count = 2;
  repeated string tags = 3;
  map<string, string> labels = 4;
  google.protobuf.Timestamp at = 5;
}

// Method%[1]dResponse is the response of Method%[1]d.
message Method%[1]dResponse {
  string id = 1;
  bool ok = 2;
  double score = 3;
}
`, i)
	}
	return []byte(b.String())
}

// BenchmarkCompile measures the whole job: compile the .proto, write the
// .pb.go and the gRPC glue.
func BenchmarkCompile(b *testing.B) {
	for _, n := range []int{3, 50} {
		b.Run(fmt.Sprintf("rpcs=%d", n), func(b *testing.B) {
			opts := Options{Sources: []Source{{Path: "benchpb/bench.proto", Content: benchProto(n)}}}
			for b.Loop() {
				if _, _, err := Compile(context.Background(), opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkProtoc is the baseline: `protoc --go_out` on the 50-rpc file
// (messages only; protoc does not write the glue).
func BenchmarkProtoc(b *testing.B) {
	if _, err := exec.LookPath("protoc"); err != nil {
		b.Skip("protoc is not on PATH (apt-get install -y protobuf-compiler)")
	}
	if _, err := exec.LookPath("protoc-gen-go"); err != nil {
		b.Skip("protoc-gen-go is not on PATH (go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12)")
	}
	dir := b.TempDir()
	writeBundled(b, filepath.Join(dir, "gapi"))
	if err := os.MkdirAll(filepath.Join(dir, "src", "benchpb"), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "src", "benchpb", "bench.proto"), benchProto(50), 0o644); err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		b.Fatal(err)
	}
	b.Run("rpcs=50", func(b *testing.B) {
		for b.Loop() {
			cmd := exec.Command("protoc", "-I", filepath.Join(dir, "src"), "-I", filepath.Join(dir, "gapi"),
				"--go_out="+out, "--go_opt=paths=source_relative", "benchpb/bench.proto")
			if msg, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("protoc: %v\n%s", err, msg)
			}
		}
	})
}
