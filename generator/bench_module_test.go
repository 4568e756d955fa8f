package generator

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/kitforge/kitforge/generator/config"
	"github.com/kitforge/kitforge/generator/plan"
)

// benchModuleFiles returns a module whose kitforge.yaml lists n services of
// 10 methods each (packages svc0 ... svcN-1), the first called by the others.
func benchModuleFiles(n int) (map[string]string, config.Module) {
	files := map[string]string{"go.mod": "module example.com/bench\n\ngo 1.26.0\n"}
	m := config.Module{List: true}
	for i := range n {
		name := fmt.Sprintf("svc%d", i)
		for path, src := range benchGoFiles(10) {
			if path == "svc/service.go" {
				files[name+"/service.go"] = strings.Replace(src, "package svc\n", "package "+name+"\n", 1)
			}
		}
		o := config.Options{Name: "s" + fmt.Sprint(i), Package: "./" + name, Out: "gen"}
		if i > 0 {
			o.Calls = []string{"s0"}
		}
		m.Services = append(m.Services, o)
	}
	files["kitforge.yaml"] = string(m.Marshal())
	return files, m
}

// benchGenerateModule does what `kitforge generate` does in dir, a module of
// m's services, and fails when noop is set and anything would be written.
func benchGenerateModule(dir string, m config.Module, noop bool) error {
	res, err := GenerateModule(context.Background(), ModuleConfig{Dir: dir, Module: m})
	if err != nil {
		return err
	}
	changes, err := res.Plan.Resolve()
	if err != nil {
		return err
	}
	if pending := plan.Pending(changes); noop && len(pending) > 0 {
		return fmt.Errorf("an up-to-date module has %d pending change(s), first %s %s", len(pending), pending[0].Action, pending[0].Path)
	}
	if err := CheckBuilds(context.Background(), res, changes); err != nil {
		return err
	}
	return plan.Apply(res.Plan.Root, changes)
}

// TestModuleNoopWritesNothing: after generating a module of five services,
// a regeneration plans no write.
func TestModuleNoopWritesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("loads five services")
	}
	dir := t.TempDir()
	files, m := benchModuleFiles(5)
	if err := benchWriteFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	if err := benchGenerateModule(dir, m, false); err != nil {
		t.Fatal(err)
	}
	if err := benchGenerateModule(dir, m, true); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkGenerateModule compares generating a module of five services
// with one of one service (each 10 methods; the others call the first),
// alternating, and a no-op regeneration of the five: N services should cost
// about N times one.
//
//	go test ./generator -run '^$' -bench 'GenerateModule' -benchtime 10x
func BenchmarkGenerateModule(b *testing.B) {
	type module struct {
		dir   string
		files map[string]string
		m     config.Module
	}
	setup := func(n int) module {
		dir := b.TempDir()
		files, m := benchModuleFiles(n)
		if err := benchWriteFiles(dir, files); err != nil {
			b.Fatal(err)
		}
		return module{dir, files, m}
	}
	one, five, done := setup(1), setup(5), setup(5)
	if err := benchGenerateModule(done.dir, done.m, false); err != nil {
		b.Fatal(err)
	}
	steps := []benchStep{
		{name: "one", run: func() error { return benchGenerateModule(one.dir, one.m, false) },
			reset: func() error { return benchResetDir(one.dir, maps.Clone(one.files)) }},
		{name: "five", run: func() error { return benchGenerateModule(five.dir, five.m, false) },
			reset: func() error { return benchResetDir(five.dir, maps.Clone(five.files)) }},
		{name: "noop-five", run: func() error { return benchGenerateModule(done.dir, done.m, true) }},
	}
	s := benchAlternate(b, steps)
	for i, st := range steps {
		b.ReportMetric(benchMedian(s[i], benchMs), st.name+"-ms")
		b.ReportMetric(benchMedian(s[i], benchCPUMs), st.name+"-cpu-ms")
	}
	b.ReportMetric(benchRatioOf(s[1], s[0], benchCPUMs), "five/one-cpu")
	b.ReportMetric(benchRatio(s[1], s[0]), "five/one")
	b.ReportMetric(benchRatioOf(s[2], s[0], benchCPUMs), "noop-five/one-cpu")
}
