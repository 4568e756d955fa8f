package generator

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kitforge/kitforge/generator/pbgo"
)

// The full generation from a .proto (Generate, Resolve, Apply, and a no-op
// regeneration) is BenchmarkGenerateFromProto (bench_protoin_test.go); the
// benchmarks here measure its proto compilation part alone: pbgo.Compile,
// which a proto-input generation runs on every call.

// BenchmarkGenerateProto measures the proto-compilation part of generation for
// services of 3, 50 and 500 rpcs shaped like BenchmarkGenerate's interfaces:
// pbgo.Compile (compile the .proto in-process, write the .pb.go and the gRPC
// glue). Every iteration also runs `protoc --go_out` on the same file when
// protoc and protoc-gen-go are on PATH, alternating with it, and reports the
// median of the per-iteration ratios compile/protoc (protoc writes only the
// .pb.go: kitforge does more work than its baseline), by wall and by CPU
// time. It reports the median wall and CPU milliseconds and the memory of one
// compilation (compile-MB, compile-allocs):
//
//	go test ./generator -run '^$' -bench 'GenerateProto$' -benchtime 10x
func BenchmarkGenerateProto(b *testing.B) {
	protoc := benchProtocAvailable()
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("rpcs=%d", n), func(b *testing.B) {
			src := benchProto(n)
			steps := []benchStep{{name: "compile", run: func() error { return benchCompile(src) }}}
			if protoc {
				dir := b.TempDir()
				if err := benchWriteFiles(dir, map[string]string{"src/benchpb/bench.proto": string(src)}); err != nil {
					b.Fatal(err)
				}
				steps = append(steps, benchStep{name: "protoc", run: func() error { return benchProtoc(dir) }})
			}
			s := benchAlternate(b, steps)
			for i, st := range steps {
				b.ReportMetric(benchMedian(s[i], benchMs), st.name+"-ms")
				b.ReportMetric(benchMedian(s[i], benchCPUMs), st.name+"-cpu-ms")
			}
			if protoc {
				b.ReportMetric(benchRatio(s[0], s[1]), "compile/protoc")
				b.ReportMetric(benchRatioOf(s[0], s[1], benchCPUMs), "compile/protoc-cpu")
			}
			b.ReportMetric(benchMedian(s[0], benchMB), "compile-MB")
			b.ReportMetric(benchMedian(s[0], benchAllocs), "compile-allocs")
		})
	}
}

// BenchmarkGenerateProtoScaling is BenchmarkGenerateScaling for the proto
// compilation: every iteration compiles the 3-, 50- and 500-rpc files back to
// back, and the marginal cost of an rpc from 3 to 50 and from 50 to 500 is
// reported:
//
//	go test ./generator -run '^$' -bench 'GenerateProtoScaling' -benchtime 10x
func BenchmarkGenerateProtoScaling(b *testing.B) {
	steps := make([]benchStep, len(benchSizes))
	for i, n := range benchSizes {
		src := benchProto(n)
		steps[i] = benchStep{name: fmt.Sprintf("rpcs=%d", n), run: func() error { return benchCompile(src) }}
	}
	benchReportScaling(b, "rpcs", steps)
}

// benchCompile compiles src as benchpb/bench.proto with its Go code and glue.
func benchCompile(src []byte) error {
	outs, _, err := pbgo.Compile(context.Background(), pbgo.Options{
		Sources: []pbgo.Source{{Path: "benchpb/bench.proto", Content: src}},
	})
	if err == nil && len(outs) != 2 {
		err = fmt.Errorf("pbgo.Compile wrote %d files, want the .pb.go and the glue", len(outs))
	}
	return err
}

// benchProtocAvailable reports whether protoc and protoc-gen-go are on PATH.
func benchProtocAvailable() bool {
	_, err1 := exec.LookPath("protoc")
	_, err2 := exec.LookPath("protoc-gen-go")
	return err1 == nil && err2 == nil
}

// benchProtoc runs `protoc --go_out` on dir/src/benchpb/bench.proto, with
// the google/api files kitforge bundles on the import path.
func benchProtoc(dir string) error {
	out := filepath.Join(dir, "out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	cmd := exec.Command("protoc", "-I", filepath.Join(dir, "src"), "-I", filepath.Join("pbgo", "third_party", "googleapis"),
		"--go_out="+out, "--go_opt=paths=source_relative", "benchpb/bench.proto")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("protoc: %v\n%s", err, msg)
	}
	return nil
}

// benchProto returns a service with n unary rpcs shaped like the methods of
// benchGoFiles: an id bound in the path, an Input and a timestamp in, an
// Input out, each rpc with its own request message.
func benchProto(n int) []byte {
	var b strings.Builder
	b.WriteString(`syntax = "proto3";

package bench.v1;

import "google/api/annotations.proto";
import "google/protobuf/timestamp.proto";

option go_package = "example.com/bench/benchpb;benchpb";

// Input is a request payload.
message Input {
  string name = 1;
  repeated string tags = 2;
  google.protobuf.Timestamp when = 3;
}

// Service is benchmarked.
service Service {
`)
	for i := range n {
		fmt.Fprintf(&b, "  // Method%d does thing %d.\n  rpc Method%d(Method%dRequest) returns (Input) {\n", i, i, i, i)
		fmt.Fprintf(&b, "    option (google.api.http) = {put: \"/things/{id}/m%d\" body: \"in\"};\n  }\n", i)
	}
	b.WriteString("}\n")
	for i := range n {
		fmt.Fprintf(&b, `
// Method%[1]dRequest is the request of Method%[1]d.
message Method%[1]dRequest {
  string id = 1;
  Input in = 2;
  google.protobuf.Timestamp at = 3;
}
`, i)
	}
	return []byte(b.String())
}
