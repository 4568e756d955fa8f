package goparse

import (
	"context"
	"os/exec"
	"testing"
	"time"

	"golang.org/x/tools/go/packages"
)

func BenchmarkZZParts(b *testing.B) {
	dir := benchModule(b, 500)
	cfg := Config{Dir: dir, Pattern: "./svc"}
	Load(context.Background(), cfg)
	var tl, tp, tg, tv time.Duration
	for b.Loop() {
		t0 := time.Now()
		Load(context.Background(), cfg)
		t1 := time.Now()
		packages.Load(&packages.Config{Dir: dir, Mode: loadMode, ParseFile: parseDeclarations}, "./svc")
		t2 := time.Now()
		c := exec.Command("go", "list", "-export", "-json", "./svc")
		c.Dir = dir
		c.Run()
		t3 := time.Now()
		c = exec.Command("go", "list", "-e", "-f", "{{context.ReleaseTags}}", "--", "unsafe")
		c.Dir = dir
		c.Run()
		tv += time.Since(t3)
		tl += t1.Sub(t0)
		tp += t2.Sub(t1)
		tg += t3.Sub(t2)
	}
	n := float64(b.N) * 1e6
	b.ReportMetric(float64(tl)/n, "load-ms")
	b.ReportMetric(float64(tp)/n, "pkgs-ms")
	b.ReportMetric(float64(tg)/n, "golist-ms")
	b.ReportMetric(float64(tv)/n, "version-ms")
}
