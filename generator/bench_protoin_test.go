package generator

import (
	"context"
	"fmt"
	"testing"

	"github.com/kitforge/kitforge/generator/config"
	"github.com/kitforge/kitforge/generator/plan"
)

// BenchmarkGenerateFromProto measures the full generation of a service from
// a .proto file of 3, 50 and 500 rpcs, each with an HTTP annotation
// (benchProto): parse, compile in-process, the .pb.go and the gRPC glue,
// every Go kit file, plan resolution and writing the tree (generate), and a
// regeneration of an up-to-date tree (noop). Every iteration also runs
// `protoc --go_out` on the same file, alternating with them, when protoc
// and protoc-gen-go are on PATH, and reports the median per-iteration
// ratios generate/protoc and noop/protoc (protoc writes only the .pb.go):
//
//	go test ./generator -run '^$' -bench 'GenerateFromProto$' -benchtime 10x
func BenchmarkGenerateFromProto(b *testing.B) {
	protoc := benchProtocAvailable()
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("rpcs=%d", n), func(b *testing.B) {
			files := map[string]string{
				"go.mod":                  "module example.com/bench\n\ngo 1.26.0\n",
				"src/benchpb/bench.proto": string(benchProto(n)),
			}
			fresh, done := b.TempDir(), b.TempDir()
			for _, dir := range []string{fresh, done} {
				if err := benchWriteFiles(dir, files); err != nil {
					b.Fatal(err)
				}
			}
			if err := benchProtoGenerate(done); err != nil {
				b.Fatal(err)
			}
			steps := []benchStep{
				{name: "generate", run: func() error { return benchProtoGenerate(fresh) },
					reset: func() error { return benchResetDir(fresh, files) }},
				{name: "noop", run: func() error { return benchProtoNoop(done) }},
			}
			if protoc {
				steps = append(steps, benchStep{name: "protoc", run: func() error { return benchProtoc(done) }})
			}
			s := benchAlternate(b, steps)
			for i, st := range steps {
				b.ReportMetric(benchMedian(s[i], benchMs), st.name+"-ms")
				b.ReportMetric(benchMedian(s[i], benchCPUMs), st.name+"-cpu-ms")
			}
			if protoc {
				b.ReportMetric(benchRatio(s[0], s[2]), "generate/protoc")
				b.ReportMetric(benchRatio(s[1], s[2]), "noop/protoc")
			}
			b.ReportMetric(benchMedian(s[0], benchMB), "generate-MB")
		})
	}
}

// benchProtoOptions are the options of `kitforge generate --proto
// src/benchpb/bench.proto -I src`.
func benchProtoOptions() config.Options {
	return config.Options{Proto: []string{"src/benchpb/bench.proto"}, ProtoPaths: []string{"src"}}
}

// benchProtoGenerate does what a first `kitforge generate --proto` does in
// dir: generate, resolve against the disk, write.
func benchProtoGenerate(dir string) error {
	res, err := Generate(context.Background(), Config{Dir: dir, Options: benchProtoOptions(), FirstRun: true})
	if err != nil {
		return err
	}
	changes, err := res.Plan.Resolve()
	if err != nil {
		return err
	}
	return plan.Apply(res.Plan.Root, changes)
}

// benchProtoNoop regenerates an up-to-date dir and fails if anything would
// be written.
func benchProtoNoop(dir string) error {
	res, err := Generate(context.Background(), Config{Dir: dir, Options: benchProtoOptions()})
	if err != nil {
		return err
	}
	changes, err := res.Plan.Resolve()
	if err != nil {
		return err
	}
	if pending := plan.Pending(changes); len(pending) > 0 {
		return fmt.Errorf("an up-to-date tree has %d pending change(s), first %s %s", len(pending), pending[0].Action, pending[0].Path)
	}
	return nil
}
