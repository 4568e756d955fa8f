// Package gcpolicy sets the garbage collector up for a kitforge run.
package gcpolicy

import (
	"os"
	"runtime/debug"
)

// Percent is the GOGC kitforge runs with unless the user set one.
const Percent = 400

// Apply lets the heap grow to five times what the last collection kept
// before the next one (GOGC=400), unless GOGC is set in the environment. A
// run is short and its heap small (about 20 MB for a 50-method service,
// 170 MB for 500), so collecting at the default pace costs about a fifth
// of its CPU time (BenchmarkGenerate in package generator runs with this
// policy, as the kitforge binary does, beside a generation with the
// default).
func Apply() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(Percent)
	}
}
