package main

import (
	"errors"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kitforge/kitforge/bench/runtime/procstats"
	"github.com/kitforge/kitforge/bench/runtime/variants"
)

// round is what one round against one variant measured.
type round struct {
	requests int
	elapsed  time.Duration
	p50, p99 time.Duration
	server   procstats.Stats // accumulated during the round
}

// rps returns the round's requests per second.
func (r round) rps() float64 { return float64(r.requests) / r.elapsed.Seconds() }

// perRequest returns the server's allocations and CPU time per request.
func (r round) perRequest() (allocs, bytes float64, cpu time.Duration) {
	n := float64(r.requests)
	return float64(r.server.Mallocs) / n, float64(r.server.TotalAlloc) / n, r.server.CPU / time.Duration(r.requests)
}

// caller is one client connection of a round.
type caller interface {
	// call makes call n: the benchmark's three calls taken in turn. It
	// fails unless the server answers as every variant must.
	call(n int64) error
	close()
}

// runRound opens conns keep-alive connections to s and makes total calls
// over them, as fast as the server answers. It reads the server's stats
// before and after, with the connections open and idle.
func runRound(s *server, conns, total int, limit time.Duration) (round, error) {
	deadline := time.Now().Add(limit)
	dial := dialHTTP
	if s.protocol == variants.GRPC {
		dial = dialGRPC
	}
	cs := make([]caller, conns)
	defer func() {
		for _, c := range cs {
			if c != nil {
				c.close()
			}
		}
	}()
	for i := range cs {
		c, err := dial(s.addr, deadline)
		if err != nil {
			return round{}, err
		}
		cs[i] = c
	}
	stats := &http.Client{Timeout: 10 * time.Second}
	before, err := procstats.Fetch(stats, s.statsAddr)
	if err != nil {
		return round{}, err
	}

	var (
		next int64
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	lat := make([][]time.Duration, conns)
	start := time.Now()
	for i, c := range cs {
		lat[i] = make([]time.Duration, 0, total/conns+1)
		wg.Go(func() {
			for {
				n := atomic.AddInt64(&next, 1) - 1
				if n >= int64(total) {
					return
				}
				t0 := time.Now()
				if err := c.call(n); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
					atomic.StoreInt64(&next, int64(total)) // stop the others
					return
				}
				lat[i] = append(lat[i], time.Since(t0))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err := errors.Join(errs...); err != nil {
		return round{}, err
	}
	after, err := procstats.Fetch(stats, s.statsAddr)
	if err != nil {
		return round{}, err
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	return round{
		requests: total,
		elapsed:  elapsed,
		p50:      all[len(all)/2],
		p99:      all[len(all)*99/100],
		server:   after.Sub(before),
	}, nil
}
