// Package procstats is the side channel between a benchmark server process
// and the load driver: the server's cumulative allocations and CPU time,
// read before and after each round, so costs per request are measured in the
// server alone and not mixed with the driver's.
package procstats

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/pprof"
	"runtime"
	"syscall"
	"time"
)

// Stats are cumulative counters of a process.
type Stats struct {
	// Mallocs is runtime.MemStats.Mallocs: heap objects allocated (what
	// `go test -benchmem` reports per op).
	Mallocs uint64 `json:"mallocs"`
	// TotalAlloc is runtime.MemStats.TotalAlloc: bytes allocated.
	TotalAlloc uint64 `json:"total_alloc"`
	// NumGC is the number of completed GC cycles.
	NumGC uint32 `json:"num_gc"`
	// CPU is the user and system CPU time of the process (getrusage).
	CPU time.Duration `json:"cpu"`
}

// Read returns the current stats of this process.
func Read() (Stats, error) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return Stats{}, err
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return Stats{Mallocs: ms.Mallocs, TotalAlloc: ms.TotalAlloc, NumGC: ms.NumGC, CPU: cpu}, nil
}

// Sub returns the counters accumulated since before.
func (s Stats) Sub(before Stats) Stats {
	return Stats{
		Mallocs:    s.Mallocs - before.Mallocs,
		TotalAlloc: s.TotalAlloc - before.TotalAlloc,
		NumGC:      s.NumGC - before.NumGC,
		CPU:        s.CPU - before.CPU,
	}
}

// Handler serves GET /stats (the Stats as JSON) and net/http/pprof under
// /debug/pprof/, for profiling a server under load.
func Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /stats", func(w http.ResponseWriter, _ *http.Request) {
		s, err := Read()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(s)
	})
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	return mux
}

// Fetch reads the stats of the server whose side channel listens on addr.
func Fetch(client *http.Client, addr string) (Stats, error) {
	resp, err := client.Get("http://" + addr + "/stats")
	if err != nil {
		return Stats{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Stats{}, fmt.Errorf("stats: %s", resp.Status)
	}
	var s Stats
	err = json.NewDecoder(resp.Body).Decode(&s)
	return s, err
}
