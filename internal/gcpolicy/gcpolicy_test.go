package gcpolicy

import (
	"runtime/debug"
	"testing"
)

func TestApply(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	t.Setenv("GOGC", "")
	Apply()
	if got := debug.SetGCPercent(100); got != Percent {
		t.Errorf("GOGC %d after Apply, want %d", got, Percent)
	}
	t.Setenv("GOGC", "50")
	debug.SetGCPercent(50)
	Apply()
	if got := debug.SetGCPercent(100); got != 50 {
		t.Errorf("GOGC %d after Apply with GOGC=50 set, want 50 (the user's)", got)
	}
}
