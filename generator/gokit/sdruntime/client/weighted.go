package client

import (
	"io"
	"slices"
	"sync"

	"github.com/go-kit/kit/endpoint"
	"github.com/go-kit/kit/sd"
	"github.com/go-kit/kit/sd/lb"
	"github.com/go-kit/log"
)

// weightedBalancer is a smooth weighted round robin (the algorithm of
// nginx's upstream module) over the instances an sd.Instancer reports. Each
// pick adds every instance's weight to its running score, takes the highest
// score and subtracts the total weight from it: over any window of W picks
// (W the total weight) an instance of weight w is picked exactly w times,
// interleaved with the others rather than in a burst.
//
// It reads the weight from the instance strings, which Go kit's
// sd.Endpointer does not hand to balancers, so it subscribes to the
// instancer itself and keeps one endpoint per instance, made by the factory
// and closed when the instance goes away, as sd.NewEndpointer does. Like
// sd.NewEndpointer's default, it keeps the last known instances when the
// instancer reports an error (a registry outage).
type weightedBalancer struct {
	instancer sd.Instancer
	factory   sd.Factory
	logger    log.Logger
	events    chan sd.Event
	done      chan struct{}

	mu      sync.Mutex
	entries []*weightedEntry // sorted by instance string
}

// weightedEntry is one instance with its endpoint and running score.
type weightedEntry struct {
	instance string
	weight   int
	current  int
	endpoint endpoint.Endpoint
	closer   io.Closer
}

var _ lb.Balancer = (*weightedBalancer)(nil)

// newWeightedBalancer subscribes to instancer and returns the balancer.
func newWeightedBalancer(instancer sd.Instancer, factory sd.Factory, logger log.Logger) *weightedBalancer {
	b := &weightedBalancer{
		instancer: instancer,
		factory:   factory,
		logger:    logger,
		events:    make(chan sd.Event),
		done:      make(chan struct{}),
	}
	go b.receive()
	instancer.Register(b.events)
	return b
}

// receive applies the instancer's events until close.
func (b *weightedBalancer) receive() {
	defer close(b.done)
	for ev := range b.events {
		if ev.Err != nil {
			_ = b.logger.Log("msg", "instancer failed; keeping the last known instances", "err", ev.Err)
			continue
		}
		b.update(ev.Instances)
	}
}

// update makes the balancer's instances those given: new ones get an
// endpoint from the factory, gone ones are closed, kept ones keep their
// endpoint and score.
func (b *weightedBalancer) update(instances []string) {
	instances = slices.Clone(instances)
	slices.Sort(instances)
	instances = slices.Compact(instances)
	b.mu.Lock()
	old := make(map[string]*weightedEntry, len(b.entries))
	for _, e := range b.entries {
		old[e.instance] = e
	}
	entries := make([]*weightedEntry, 0, len(instances))
	for _, s := range instances {
		if e, ok := old[s]; ok {
			entries = append(entries, e)
			delete(old, s)
			continue
		}
		in, err := parseInstance(s)
		if err != nil {
			_ = b.logger.Log("instance", s, "err", err)
			continue
		}
		ep, closer, err := b.factory(s)
		if err != nil {
			_ = b.logger.Log("instance", s, "err", err)
			continue
		}
		entries = append(entries, &weightedEntry{instance: s, weight: in.weight, endpoint: ep, closer: closer})
	}
	b.entries = entries
	for _, e := range entries {
		e.current = 0 // a fresh round, so a new instance gets its share at once
	}
	b.mu.Unlock()
	for _, e := range old {
		if e.closer != nil {
			_ = e.closer.Close()
		}
	}
}

// Endpoint picks the next instance's endpoint; it implements lb.Balancer.
func (b *weightedBalancer) Endpoint() (endpoint.Endpoint, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	e := pickWeighted(b.entries)
	if e == nil {
		return nil, lb.ErrNoEndpoints
	}
	return e.endpoint, nil
}

// pickWeighted is one step of the smooth weighted round robin; nil when
// there is no entry.
func pickWeighted(entries []*weightedEntry) *weightedEntry {
	var best *weightedEntry
	total := 0
	for _, e := range entries {
		e.current += e.weight
		total += e.weight
		if best == nil || e.current > best.current {
			best = e
		}
	}
	if best != nil {
		best.current -= total
	}
	return best
}

// close unsubscribes from the instancer and closes every endpoint.
func (b *weightedBalancer) close() {
	b.instancer.Deregister(b.events)
	close(b.events)
	<-b.done
	b.mu.Lock()
	entries := b.entries
	b.entries = nil
	b.mu.Unlock()
	for _, e := range entries {
		if e.closer != nil {
			_ = e.closer.Close()
		}
	}
}
