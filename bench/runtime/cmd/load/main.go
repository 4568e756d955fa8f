// Command load is the runtime benchmark's load driver. It builds cmd/server,
// starts one server process per variant on 127.0.0.1, warms each up, then
// runs rounds: in every cycle each variant gets one round of -requests calls
// over -conns keep-alive connections (HTTP/1.1 with a minimal client of its
// own, or gRPC with grpc-go's client, one connection each), the order of the
// variants rotating from one cycle to the next, so that the load other
// processes put on the machine hits every variant alike. Per round it
// measures requests/s, p50 and p99 latency, and the server process's
// allocations and CPU time per request (read over a side channel, so the
// driver's own work is not counted). It prints, per protocol, the medians over
// the rounds and, for every variant, the median of its per-cycle ratios to the
// protocol's floor measured in the same cycle; then the comparisons the issue
// sets targets for.
//
// Run it from bench/runtime:
//
//	go run ./cmd/load
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/kitforge/kitforge/bench/runtime/procstats"
	"github.com/kitforge/kitforge/bench/runtime/variants"
)

// options are the driver's settings.
type options struct {
	conns, requests, warmup, rounds int
	variants                        []string
	timeout                         time.Duration
	verbose                         bool
}

func main() {
	var o options
	var names string
	flag.IntVar(&o.conns, "conns", 8, "concurrent keep-alive connections")
	flag.IntVar(&o.requests, "requests", 3000, "requests per round")
	flag.IntVar(&o.warmup, "warmup", 5000, "warm-up requests per variant, not measured")
	flag.IntVar(&o.rounds, "rounds", 40, "rounds per variant (one per cycle)")
	flag.StringVar(&names, "variants", allNames(), "comma-separated variants to compare; the first of each protocol is the baseline of its ratios")
	flag.DurationVar(&o.timeout, "timeout", 10*time.Minute, "give up after this long")
	flag.BoolVar(&o.verbose, "v", false, "print every round")
	flag.Parse()
	o.variants = strings.Split(names, ",")
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func allNames() string {
	var names []string
	for _, v := range variants.All {
		names = append(names, v.Name)
	}
	return strings.Join(names, ",")
}

func run(o options) error {
	if o.conns < 1 || o.requests < o.conns || o.rounds < 1 || len(o.variants) < 1 {
		return fmt.Errorf("need -conns ≥ 1, -requests ≥ -conns, -rounds ≥ 1 and a variant")
	}
	vs := make([]variants.Variant, len(o.variants))
	for i, name := range o.variants {
		v, err := variants.Find(name)
		if err != nil {
			return err
		}
		vs[i] = v
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	dir, err := os.MkdirTemp("", "kitforge-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin, err := buildServer(ctx, dir)
	if err != nil {
		return err
	}

	servers := make([]*server, 0, len(o.variants))
	defer func() {
		for _, s := range servers {
			s.stop()
		}
	}()
	for _, v := range vs {
		s, err := startServer(ctx, bin, v)
		if err != nil {
			return err
		}
		servers = append(servers, s)
	}
	limit := func() time.Duration {
		d, ok := ctx.Deadline()
		if !ok {
			return time.Hour
		}
		return time.Until(d)
	}
	for _, s := range servers {
		if _, err := runRound(s, o.conns, max(o.warmup, o.conns), limit()); err != nil {
			return fmt.Errorf("warm-up of %s: %w", s.name, err)
		}
	}

	fmt.Printf("load: %d variants × %d rounds × %d requests, %d connections, GOMAXPROCS %d, %d CPUs, %s; load average %s\n",
		len(servers), o.rounds, o.requests, o.conns, runtime.GOMAXPROCS(0), runtime.NumCPU(), runtime.Version(), loadavg())
	results := make([][]round, len(servers))
	driverBefore, err := procstats.Read()
	if err != nil {
		return err
	}
	for cycle := range o.rounds {
		for k := range servers {
			i := (cycle + k) % len(servers)
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("cycle %d: %w", cycle, err)
			}
			r, err := runRound(servers[i], o.conns, o.requests, limit())
			if err != nil {
				return fmt.Errorf("%s, cycle %d: %w", servers[i].name, cycle, err)
			}
			results[i] = append(results[i], r)
			if o.verbose {
				allocs, _, cpu := r.perRequest()
				fmt.Printf("cycle %d %-14s %8.0f req/s  p50 %-9v p99 %-9v %6.1f allocs/req  %v CPU/req  %d GC\n",
					cycle, servers[i].name, r.rps(), r.p50, r.p99, allocs, cpu, r.server.NumGC)
			}
		}
	}
	driverAfter, err := procstats.Read()
	if err != nil {
		return err
	}
	total := len(servers) * o.rounds * o.requests
	fmt.Printf("load average after: %s; driver CPU/req %.1f µs, driver allocs/req %.1f\n\n", loadavg(),
		micros(driverAfter.Sub(driverBefore).CPU)/float64(total), float64(driverAfter.Sub(driverBefore).Mallocs)/float64(total))
	printReport(os.Stdout, servers, results)
	return nil
}

// loadavg returns the 1-, 5- and 15-minute load averages, or "?".
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
