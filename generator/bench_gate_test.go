package generator

import (
	"context"
	"fmt"
	"testing"

	"github.com/kitforge/kitforge/generator/config"
)

// BenchmarkGate measures the gate alone (CheckBuilds on a first
// generation's plan of 3, 50 and 500 methods, HTTP), warm: the export data
// answer is cached after the first iteration, as on every run but a
// module's first. It runs under the kitforge binary's collector policy
// (gcpolicy) and reports the median wall and CPU milliseconds of a check
// (gate-ms, gate-cpu-ms). Beside BenchmarkGenerate's generate and
// generate-nogate:
//
//	go test ./generator -run '^$' -bench 'Gate$' -benchtime 20x
func BenchmarkGate(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("methods=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			if err := benchWriteFiles(dir, benchGoFiles(n)); err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			res, err := Generate(ctx, Config{Dir: dir, Options: config.Options{Package: "./svc"}, FirstRun: true})
			if err != nil {
				b.Fatal(err)
			}
			changes, err := res.Plan.Resolve()
			if err != nil {
				b.Fatal(err)
			}
			if err := CheckBuilds(ctx, res, changes); err != nil {
				b.Fatal(err)
			}
			s := benchAlternate(b, []benchStep{{name: "gate", run: func() error { return CheckBuilds(ctx, res, changes) }}})
			b.ReportMetric(benchMedian(s[0], benchMs), "gate-ms")
			b.ReportMetric(benchMedian(s[0], benchCPUMs), "gate-cpu-ms")
			b.ReportMetric(benchMedian(s[0], benchMB), "gate-MB")
		})
	}
}
