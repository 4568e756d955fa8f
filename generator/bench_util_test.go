package generator

import (
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/kitforge/kitforge/internal/gcpolicy"
)

// benchSizes are the numbers of methods (or rpcs) of the benchmarked services.
var benchSizes = []int{3, 50, 500}

// benchStep is one measured action of an alternating benchmark.
type benchStep struct {
	name string
	run  func() error
	// reset, when set, runs untimed after each run (e.g. to restore a tree).
	reset func() error
}

// benchSample is what one run of a step cost: wall time; CPU time of this
// process and of the child processes it waited for (go list), which the load
// of other processes on the machine disturbs much less than wall time; and
// the bytes and objects this process allocated (runtime.MemStats, as
// -benchmem).
type benchSample struct {
	ms, cpuMs, mb, allocs float64
}

// benchAlternate runs every step once per b.Loop iteration, rotating their
// order each iteration so that the load of other processes on the machine
// hits every step alike, and returns the samples of step i in out[i]. Each
// step runs once before timing starts, to warm the build cache.
//
// Every step runs under the kitforge binary's garbage collector policy
// (gcpolicy.Apply), unless it sets its own (withDefaultGC).
func benchAlternate(b *testing.B, steps []benchStep) [][]benchSample {
	b.Helper()
	gcpolicy.Apply()
	for _, s := range steps {
		benchRun(b, s)
	}
	out := make([][]benchSample, len(steps))
	for iter := 0; b.Loop(); iter++ {
		for k := range steps {
			i := (iter + k) % len(steps)
			out[i] = append(out[i], benchRun(b, steps[i]))
		}
	}
	return out
}

// benchRun runs s once and measures it.
func benchRun(b *testing.B, s benchStep) benchSample {
	b.Helper()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpuBefore := benchCPUTime()
	start := time.Now()
	err := s.run()
	took := time.Since(start)
	cpu := benchCPUTime() - cpuBefore
	runtime.ReadMemStats(&after)
	if err != nil {
		b.Fatalf("%s: %v", s.name, err)
	}
	if s.reset != nil {
		if err := s.reset(); err != nil {
			b.Fatalf("%s: reset: %v", s.name, err)
		}
	}
	return benchSample{
		ms:     float64(took) / float64(time.Millisecond),
		cpuMs:  float64(cpu) / float64(time.Millisecond),
		mb:     float64(after.TotalAlloc-before.TotalAlloc) / 1e6,
		allocs: float64(after.Mallocs - before.Mallocs),
	}
}

// benchCPUTime returns the user and system CPU time of this process and of
// its waited-for children so far (0 where getrusage is unavailable).
func benchCPUTime() time.Duration {
	var total time.Duration
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if syscall.Getrusage(who, &ru) == nil {
			total += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	return total
}

// benchMedian returns the median of f over samples.
func benchMedian(samples []benchSample, f func(benchSample) float64) float64 {
	xs := make([]float64, len(samples))
	for i, s := range samples {
		xs[i] = f(s)
	}
	return benchMedianOf(xs)
}

// benchMedianOf returns the median of xs (0 for none).
func benchMedianOf(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	xs = slices.Clone(xs)
	slices.Sort(xs)
	if n := len(xs); n%2 == 0 {
		return (xs[n/2-1] + xs[n/2]) / 2
	}
	return xs[len(xs)/2]
}

// benchRatio returns the median of the per-iteration ratios a.ms/b.ms: both
// were measured back to back, so the ratio is steadier than a ratio of
// medians when the machine's load changes during the run.
func benchRatio(a, b []benchSample) float64 { return benchRatioOf(a, b, benchMs) }

// benchRatioOf returns the median of the per-iteration ratios f(a)/f(b).
func benchRatioOf(a, b []benchSample, f func(benchSample) float64) float64 {
	xs := make([]float64, min(len(a), len(b)))
	for i := range xs {
		xs[i] = f(a[i]) / f(b[i])
	}
	return benchMedianOf(xs)
}

// benchMs returns a sample's wall time in milliseconds.
func benchMs(s benchSample) float64 { return s.ms }

// benchCPUMs returns a sample's CPU time in milliseconds.
func benchCPUMs(s benchSample) float64 { return s.cpuMs }

// benchMB returns a sample's allocated megabytes.
func benchMB(s benchSample) float64 { return s.mb }

// benchAllocs returns a sample's allocated objects.
func benchAllocs(s benchSample) float64 { return s.allocs }

// benchWriteFiles writes files (slash paths relative to dir) into dir.
func benchWriteFiles(dir string, files map[string]string) error {
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// benchResetDir empties dir and writes files into it again: the directory
// keeps its path, so the go build cache still hits on the next load.
func benchResetDir(dir string, files map[string]string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return benchWriteFiles(dir, files)
}

// withDefaultGC runs f with Go's default collector pace (GOGC=100), for a
// side-by-side figure of what gcpolicy saves.
func withDefaultGC(f func() error) func() error {
	return func() error {
		defer debug.SetGCPercent(debug.SetGCPercent(100))
		return f()
	}
}

// withoutExportCache runs f with the cache of export data file names off
// (KITFORGE_GATE_CACHE=off), as on a module's first run.
func withoutExportCache(f func() error) func() error {
	return func() error {
		old, had := os.LookupEnv("KITFORGE_GATE_CACHE")
		os.Setenv("KITFORGE_GATE_CACHE", "off")
		defer func() {
			if had {
				os.Setenv("KITFORGE_GATE_CACHE", old)
			} else {
				os.Unsetenv("KITFORGE_GATE_CACHE")
			}
		}()
		return f()
	}
}
