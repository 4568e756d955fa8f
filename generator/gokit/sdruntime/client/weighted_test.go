package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/go-kit/kit/endpoint"
	"github.com/go-kit/kit/sd"
	"github.com/go-kit/kit/sd/lb"
	"github.com/go-kit/log"
)

// TestSmoothWeightedDistribution checks the split and the smoothness of
// pickWeighted: over every window of W picks (W the total weight) each
// instance is picked exactly its weight's times, and the heaviest is never
// picked more often in a row than the weights force.
func TestSmoothWeightedDistribution(t *testing.T) {
	for _, weights := range [][]int{{1, 1, 3}, {5, 1, 1}, {2, 3, 4}, {1}, {1, 1, 1, 1}, {10, 1}} {
		t.Run(fmt.Sprint(weights), func(t *testing.T) {
			entries := make([]*weightedEntry, len(weights))
			total := 0
			for i, w := range weights {
				entries[i] = &weightedEntry{instance: fmt.Sprint(i), weight: w}
				total += w
			}
			const rounds = 200
			var picks []int
			for range rounds * total {
				e := pickWeighted(entries)
				var i int
				fmt.Sscan(e.instance, &i)
				picks = append(picks, i)
			}
			// Every aligned window of W picks holds each instance weight times.
			for start := 0; start < len(picks); start += total {
				count := make([]int, len(weights))
				for _, p := range picks[start : start+total] {
					count[p]++
				}
				for i, w := range weights {
					if count[i] != w {
						t.Fatalf("window at %d: instance %d picked %d times, weight %d (picks %v)", start, i, count[i], w, picks[start:start+total])
					}
				}
			}
			// Smooth: after any number of picks n, each instance has been
			// picked within one of its exact share n*w/W (a plain weighted
			// round robin, a,a,a,b,c, is off by up to w-1).
			count := make([]int, len(weights))
			for n, p := range picks {
				count[p]++
				for i, w := range weights {
					share := float64((n+1)*w) / float64(total)
					if d := float64(count[i]) - share; d >= 1 || d <= -1 {
						t.Fatalf("after %d picks instance %d (weight %d) was picked %d times, share %.2f", n+1, i, w, count[i], share)
					}
				}
			}
		})
	}
}

// countingFactory makes endpoints that answer with their instance and
// counts open endpoints.
type countingFactory struct {
	mu   sync.Mutex
	open map[string]int
}

func (f *countingFactory) factory(instance string) (endpoint.Endpoint, io.Closer, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.open == nil {
		f.open = map[string]int{}
	}
	f.open[instance]++
	e := func(context.Context, any) (any, error) { return instance, nil }
	return e, releaser(func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.open[instance]--
	}), nil
}

func (f *countingFactory) openCount() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]int{}
	for k, v := range f.open {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}

// testInstancer is an sd.Instancer driven by the test.
type testInstancer struct{ instanceCache }

func (*testInstancer) Stop() {}

func TestWeightedBalancerFollowsTheInstancer(t *testing.T) {
	inst := &testInstancer{}
	inst.update(sd.Event{Instances: []string{"a:1", "b:1?weight=3"}})
	f := &countingFactory{}
	b := newWeightedBalancer(inst, f.factory, log.NewNopLogger())
	waitFor(t, func() bool { return len(f.openCount()) == 2 })

	if got := split(t, b, 400); got["a:1"] != 100 || got["b:1?weight=3"] != 300 {
		t.Errorf("split %v, want 100/300", got)
	}

	// A registry error keeps the last known instances.
	inst.update(sd.Event{Err: errors.New("registry down")})
	if got := split(t, b, 4); len(got) != 2 {
		t.Errorf("after an instancer error: %v", got)
	}

	// An instance leaves (closed), one arrives (weight 1 when none is given).
	inst.update(sd.Event{Instances: []string{"b:1?weight=3", "c:1"}})
	waitFor(t, func() bool { o := f.openCount(); return o["a:1"] == 0 && o["c:1"] == 1 })
	if got := split(t, b, 40); got["b:1?weight=3"] != 30 || got["c:1"] != 10 {
		t.Errorf("split %v, want 30/10", got)
	}

	// No instances: lb.ErrNoEndpoints.
	inst.update(sd.Event{Instances: []string{}})
	waitFor(t, func() bool { return len(f.openCount()) == 0 })
	if _, err := b.Endpoint(); !errors.Is(err, lb.ErrNoEndpoints) {
		t.Errorf("Endpoint() with no instances: %v", err)
	}

	inst.update(sd.Event{Instances: []string{"d:1"}})
	waitFor(t, func() bool { return len(f.openCount()) == 1 })
	b.close()
	if o := f.openCount(); len(o) != 0 {
		t.Errorf("open after close: %v", o)
	}
}

// split calls n picks of b and counts them by instance.
func split(t *testing.T, b lb.Balancer, n int) map[string]int {
	t.Helper()
	got := map[string]int{}
	for range n {
		e, err := b.Endpoint()
		if err != nil {
			t.Fatal(err)
		}
		r, _ := e(context.Background(), nil)
		got[r.(string)]++
	}
	return got
}

// waitFor polls cond for up to 2 s.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatal("condition not met after 2s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
