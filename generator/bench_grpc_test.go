package generator

import (
	"context"
	"fmt"
	"testing"

	"github.com/kitforge/kitforge/generator/config"
	"github.com/kitforge/kitforge/generator/plan"
)

// BenchmarkGenerateGRPC is BenchmarkGenerate with the gRPC transport on, for
// the same interfaces of 3, 50 and 500 methods. Every iteration runs, in
// rotating order:
//
//   - golist-types: the go list call of a load with types (the floor);
//   - http: a first generation with transports [http];
//   - grpc: a first generation with transports [http, grpc], which also
//     writes the .proto, compiles it in-process to the .pb.go and the gRPC
//     glue, and emits grpc_gen.go (Generate, plan.Resolve, plan.Apply);
//   - noop: a regeneration of an up-to-date HTTP and gRPC tree.
//
// It reports the median wall and CPU milliseconds of every step (CPU time
// is the steadier on a busy machine), the medians of the per-iteration
// differences grpc-http (what gRPC adds), the ratio grpc/golist-types and the
// memory of one gRPC generation. The target of issue 4 is grpc-ms ≤ 250 at
// 50 methods (truss: 1.2–1.8 s for 50 rpcs):
//
//	go test ./generator -run '^$' -bench 'GenerateGRPC$' -benchtime 10x
func BenchmarkGenerateGRPC(b *testing.B) {
	transports := []string{"http", "grpc"}
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("methods=%d", n), func(b *testing.B) {
			httpDir, grpcDir, done := b.TempDir(), b.TempDir(), b.TempDir()
			files := benchGoFiles(n)
			for _, d := range []string{httpDir, grpcDir, done} {
				if err := benchWriteFiles(d, files); err != nil {
					b.Fatal(err)
				}
			}
			if err := benchGenerateWith(done, transports); err != nil { // done stays up to date
				b.Fatal(err)
			}
			steps := []benchStep{
				{name: "golist-types", run: func() error { return benchGoList(grpcDir, goListBaselines[1].args) }},
				{name: "http", run: func() error { return benchGenerateWith(httpDir, []string{"http"}) },
					reset: func() error { return benchResetDir(httpDir, files) }},
				{name: "grpc", run: func() error { return benchGenerateWith(grpcDir, transports) },
					reset: func() error { return benchResetDir(grpcDir, files) }},
				{name: "noop", run: func() error { return benchNoopWith(done, transports) }},
			}
			s := benchAlternate(b, steps)
			for i, st := range steps {
				b.ReportMetric(benchMedian(s[i], benchMs), st.name+"-ms")
				b.ReportMetric(benchMedian(s[i], benchCPUMs), st.name+"-cpu-ms")
			}
			diffs, cpuDiffs := make([]float64, len(s[2])), make([]float64, len(s[2]))
			for i := range diffs {
				diffs[i] = s[2][i].ms - s[1][i].ms
				cpuDiffs[i] = s[2][i].cpuMs - s[1][i].cpuMs
			}
			b.ReportMetric(benchMedianOf(diffs), "grpc-http-ms")
			b.ReportMetric(benchMedianOf(cpuDiffs), "grpc-http-cpu-ms")
			b.ReportMetric(benchRatio(s[2], s[0]), "grpc/golist-types")
			b.ReportMetric(benchMedian(s[2], benchMB), "grpc-MB")
		})
	}
}

// benchGenerateWith does what a first `kitforge generate ./svc --transport
// T` does in dir.
func benchGenerateWith(dir string, transports []string) error {
	cfg := Config{Dir: dir, Options: config.Options{Package: "./svc", Transports: transports}, FirstRun: true}
	res, err := Generate(context.Background(), cfg)
	if err != nil {
		return err
	}
	changes, err := res.Plan.Resolve()
	if err != nil {
		return err
	}
	return plan.Apply(res.Plan.Root, changes)
}

// benchNoopWith regenerates an up-to-date dir with the given transports and
// fails if anything would be written.
func benchNoopWith(dir string, transports []string) error {
	cfg := Config{Dir: dir, Options: config.Options{Package: "./svc", Transports: transports}}
	res, err := Generate(context.Background(), cfg)
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
