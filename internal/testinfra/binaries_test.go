package testinfra

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// recordTB records how a test would have ended; Skip and Fatal end the
// goroutine as the real ones do.
type recordTB struct {
	testing.TB
	skipped, failed string
}

func (r *recordTB) Helper()             {}
func (r *recordTB) Skip(args ...any)    { r.skipped = fmt.Sprint(args...); runtime.Goexit() }
func (r *recordTB) Fatal(args ...any)   { r.failed = fmt.Sprint(args...); runtime.Goexit() }
func (r *recordTB) Logf(string, ...any) {}

func runTB(f func(testing.TB)) *recordTB {
	r := &recordTB{}
	done := make(chan struct{})
	go func() { defer close(done); f(r) }()
	<-done
	return r
}

func TestMissingServerSkipsOrFailsInCI(t *testing.T) {
	t.Setenv("KITFORGE_SERVICES_CACHE", t.TempDir()) // nothing built there
	t.Setenv("KITFORGE_CONSUL", "")
	t.Setenv("PATH", t.TempDir())

	t.Setenv("CI", "")
	r := runTB(func(tb testing.TB) { Consul(tb) })
	if r.failed != "" || !strings.Contains(r.skipped, "consul not found: run scripts/services install") {
		t.Errorf("without CI: skipped %q, failed %q", r.skipped, r.failed)
	}
	r = runTB(func(tb testing.TB) { Eureka(tb) })
	if r.failed != "" || !strings.Contains(r.skipped, "polaris") {
		t.Errorf("eureka without CI: skipped %q, failed %q", r.skipped, r.failed)
	}

	t.Setenv("CI", "true")
	r = runTB(func(tb testing.TB) { Consul(tb) })
	if r.skipped != "" || !strings.Contains(r.failed, "consul not found") {
		t.Errorf("CI=true: skipped %q, failed %q", r.skipped, r.failed)
	}
}
