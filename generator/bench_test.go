package generator

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/kitforge/kitforge/generator/config"
	"github.com/kitforge/kitforge/generator/plan"
)

// BenchmarkGenerate measures generation from Go interfaces of 3, 50 and 500
// methods. Every iteration runs these steps back to back, in an order that
// rotates from one iteration to the next:
//
//   - golist: `go list -export -json` on the interface's package;
//   - golist-types: the go list call go/packages makes for a load with types
//     (export data of the package and its dependencies), the floor of any
//     type-true generator;
//   - generate: a first `kitforge generate` of the interface (Generate,
//     plan.Resolve, plan.Apply), after which the tree is restored untimed;
//   - noop: a regeneration of an up-to-date tree (Generate and plan.Resolve,
//     nothing to write);
//   - generate-gogc100: generate under the default collector pace;
//   - generate-nogate: generate without the gate (CheckBuilds), whose cost
//     is the difference to generate;
//   - generate-nocache: generate without the cache of export data file
//     names (KITFORGE_GATE_CACHE=off), as a module's first run: goparse and
//     the gate each run `go list -export` on what they import.
//
// It reports the median wall and CPU milliseconds of every step (CPU time
// includes go list's, and is what the load of other processes disturbs
// least), the medians of the per-iteration ratios generate/golist-types and
// noop/golist-types (wall, and -cpu), and the memory one generation
// allocates (generate-MB, generate-allocs, noop-MB). ns/op is the sum of all
// steps; read the named metrics instead:
//
//	go test ./generator -run '^$' -bench 'Generate$' -benchtime 10x
func BenchmarkGenerate(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("methods=%d", n), func(b *testing.B) {
			fresh, done := b.TempDir(), b.TempDir()
			files := benchGoFiles(n)
			if err := benchWriteFiles(fresh, files); err != nil {
				b.Fatal(err)
			}
			if err := benchWriteFiles(done, files); err != nil {
				b.Fatal(err)
			}
			if err := benchGenerateApply(done); err != nil { // done stays up to date
				b.Fatal(err)
			}
			steps := []benchStep{
				{name: "golist", run: func() error { return benchGoList(fresh, goListBaselines[0].args) }},
				{name: "golist-types", run: func() error { return benchGoList(fresh, goListBaselines[1].args) }},
				{name: "generate", run: func() error { return benchGenerateApply(fresh) },
					reset: func() error { return benchResetDir(fresh, files) }},
				{name: "noop", run: func() error { return benchNoop(done) }},
				{name: "generate-gogc100", run: withDefaultGC(func() error { return benchGenerateApply(fresh) }),
					reset: func() error { return benchResetDir(fresh, files) }},
				{name: "generate-nogate", run: func() error { return benchGenerate(fresh, false) },
					reset: func() error { return benchResetDir(fresh, files) }},
				{name: "generate-nocache", run: withoutExportCache(func() error { return benchGenerateApply(fresh) }),
					reset: func() error { return benchResetDir(fresh, files) }},
			}
			s := benchAlternate(b, steps)
			for i, st := range steps {
				b.ReportMetric(benchMedian(s[i], benchMs), st.name+"-ms")
				b.ReportMetric(benchMedian(s[i], benchCPUMs), st.name+"-cpu-ms")
			}
			b.ReportMetric(benchRatio(s[2], s[1]), "generate/golist-types")
			b.ReportMetric(benchRatio(s[3], s[1]), "noop/golist-types")
			b.ReportMetric(benchRatioOf(s[2], s[1], benchCPUMs), "generate/golist-types-cpu")
			b.ReportMetric(benchRatioOf(s[3], s[1], benchCPUMs), "noop/golist-types-cpu")
			b.ReportMetric(benchRatioOf(s[4], s[1], benchCPUMs), "generate-gogc100/golist-types-cpu")
			b.ReportMetric(benchRatio(s[5], s[1]), "generate-nogate/golist-types")
			b.ReportMetric(benchRatioOf(s[5], s[1], benchCPUMs), "generate-nogate/golist-types-cpu")
			b.ReportMetric(benchRatio(s[6], s[1]), "generate-nocache/golist-types")
			b.ReportMetric(benchRatioOf(s[6], s[1], benchCPUMs), "generate-nocache/golist-types-cpu")
			b.ReportMetric(benchMedian(s[2], benchMB), "generate-MB")
			b.ReportMetric(benchMedian(s[2], benchAllocs), "generate-allocs")
			b.ReportMetric(benchMedian(s[3], benchMB), "noop-MB")
		})
	}
}

// BenchmarkGenerateScaling shows how generation grows with the interface:
// every iteration generates (as the generate step of BenchmarkGenerate) the
// 3-, 50- and 500-method services back to back, in rotating order. It reports
// the median wall and CPU milliseconds and megabytes of each size and the
// marginal cost of a method from 3 to 50 and from 50 to 500 methods (wall
// µs, CPU µs and kB per method); scaling is linear when the two marginals
// agree:
//
//	go test ./generator -run '^$' -bench 'GenerateScaling' -benchtime 10x
func BenchmarkGenerateScaling(b *testing.B) {
	steps := make([]benchStep, len(benchSizes))
	for i, n := range benchSizes {
		dir, files := b.TempDir(), benchGoFiles(n)
		if err := benchWriteFiles(dir, files); err != nil {
			b.Fatal(err)
		}
		steps[i] = benchStep{name: fmt.Sprintf("methods=%d", n),
			run:   func() error { return benchGenerateApply(dir) },
			reset: func() error { return benchResetDir(dir, files) }}
	}
	benchReportScaling(b, "methods", steps)
}

// benchReportScaling runs the steps (one per benchSizes entry) alternately
// and reports their cost per size and the marginal cost per method.
func benchReportScaling(b *testing.B, unit string, steps []benchStep) {
	s := benchAlternate(b, steps)
	for i, n := range benchSizes {
		b.ReportMetric(benchMedian(s[i], benchMs), fmt.Sprintf("%s=%d-ms", unit, n))
		b.ReportMetric(benchMedian(s[i], benchCPUMs), fmt.Sprintf("%s=%d-cpu-ms", unit, n))
		b.ReportMetric(benchMedian(s[i], benchMB), fmt.Sprintf("%s=%d-MB", unit, n))
	}
	one := unit[:len(unit)-1]
	for i := 1; i < len(benchSizes); i++ {
		lo, hi := benchSizes[i-1], benchSizes[i]
		per := float64(hi - lo)
		marginal := func(f func(benchSample) float64) float64 {
			return 1000 * (benchMedian(s[i], f) - benchMedian(s[i-1], f)) / per
		}
		b.ReportMetric(marginal(benchMs), fmt.Sprintf("µs/%s-%d-to-%d", one, lo, hi))
		b.ReportMetric(marginal(benchCPUMs), fmt.Sprintf("cpu-µs/%s-%d-to-%d", one, lo, hi))
		b.ReportMetric(marginal(benchMB), fmt.Sprintf("kB/%s-%d-to-%d", one, lo, hi))
	}
}

// goListBaselines are the go list calls generation is compared with:
// "golist" loads the package alone; "golist-types" is the call go/packages
// makes for a load with types (export data of the package and its
// dependencies), the true floor of a type-true generator.
var goListBaselines = []struct {
	name string
	args []string
}{
	{"golist", []string{"-export", "-json"}},
	{"golist-types", []string{"-e", "-json", "-compiled=true", "-test=false", "-export=true", "-deps=true", "-find=false", "-pgo=off", "--"}},
}

// benchGoList runs go list with args on ./svc in dir.
func benchGoList(dir string, args []string) error {
	cmd := exec.Command("go", append(append([]string{"list"}, args...), "./svc")...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go list: %v\n%s", err, out)
	}
	return nil
}

// benchGenerateApply does what a first `kitforge generate ./svc` does in dir:
// compute the plan, resolve it against the disk and write it.
func benchGenerateApply(dir string) error {
	return benchGenerate(dir, true)
}

// benchGenerate is benchGenerateApply with the gate (CheckBuilds) on or
// off, so that its cost shows beside the whole.
func benchGenerate(dir string, gate bool) error {
	cfg := Config{Dir: dir, Options: config.Options{Package: "./svc"}, FirstRun: true}
	res, err := Generate(context.Background(), cfg)
	if err != nil {
		return err
	}
	changes, err := res.Plan.Resolve()
	if err != nil {
		return err
	}
	if gate {
		if err := CheckBuilds(context.Background(), res, changes); err != nil {
			return err
		}
	}
	return plan.Apply(res.Plan.Root, changes)
}

// benchNoop does what `kitforge generate` does in an up-to-date dir, and
// fails if anything would be written.
func benchNoop(dir string) error {
	cfg := Config{Dir: dir, Options: config.Options{Package: "./svc"}}
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

// benchGoFiles returns a module whose service has n REST methods taking a
// struct, a path parameter and a time.Time.
func benchGoFiles(n int) map[string]string {
	var svc strings.Builder
	svc.WriteString("package svc\n\nimport (\n\t\"context\"\n\t\"time\"\n)\n\n")
	svc.WriteString("// Input is a request payload.\ntype Input struct {\n\tName string `json:\"name\"`\n\tTags []string `json:\"tags\"`\n\tWhen time.Time `json:\"when\"`\n}\n\n")
	svc.WriteString("// Service is benchmarked.\ntype Service interface {\n")
	for i := range n {
		fmt.Fprintf(&svc, "\t// Method%d does thing %d.\n\t//\n\t// kitforge:http PUT /things/{id}/m%d\n", i, i, i)
		fmt.Fprintf(&svc, "\tMethod%d(ctx context.Context, id string, in Input, at time.Time) (Input, error)\n\n", i)
	}
	svc.WriteString("}\n")
	return map[string]string{
		"go.mod":         "module example.com/bench\n\ngo 1.26.0\n",
		"svc/service.go": svc.String(),
	}
}
