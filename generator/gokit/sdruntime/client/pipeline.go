package client

import (
	"io"
	"sync"

	"github.com/go-kit/kit/circuitbreaker"
	"github.com/go-kit/kit/endpoint"
	"github.com/go-kit/kit/sd"
	"github.com/go-kit/kit/sd/lb"
	"github.com/go-kit/log"
	"github.com/sony/gobreaker"
)

// pipeline builds the endpoints of a client: per method, instancer (behind
// its grace period) → endpointer → balancer → retry, each instance's
// endpoint behind its circuit breaker. S is the per-instance client (the
// service's endpoint Set over one instance), built by connect and shared by
// every method, as is the instance's circuit breaker: three methods failing
// on one instance open one breaker, and one connection serves them all.
type pipeline[S any] struct {
	instancer sd.Instancer
	grace     *graceInstancer // nil without a grace period
	logger    log.Logger
	opts      options
	connect   func(instance, transportOptions) (S, io.Closer, error)

	mu        sync.Mutex
	instances map[string]*shared[S]
	closers   []func()
}

// shared is what the methods' endpointers share for one instance.
type shared[S any] struct {
	set     S
	closer  io.Closer
	breaker *gobreaker.CircuitBreaker
	refs    int
}

// newPipeline returns a pipeline over instancer with opts applied.
func newPipeline[S any](instancer sd.Instancer, logger log.Logger, opts []Option, connect func(instance, transportOptions) (S, io.Closer, error)) *pipeline[S] {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	if logger == nil {
		logger = log.NewNopLogger()
	}
	p := &pipeline[S]{
		instancer: instancer,
		logger:    logger,
		opts:      o,
		connect:   connect,
		instances: map[string]*shared[S]{},
	}
	if o.grace > 0 {
		p.grace = newGraceInstancer(instancer, o.grace, logger)
		p.instancer = p.grace
	}
	return p
}

// endpoint returns the client endpoint of one method; pick selects the
// method's endpoint from an instance's Set.
func (p *pipeline[S]) endpoint(method string, pick func(S) endpoint.Endpoint) endpoint.Endpoint {
	logger := log.With(p.logger, "method", method)
	factory := func(s string) (endpoint.Endpoint, io.Closer, error) {
		sh, err := p.acquire(s)
		if err != nil {
			return nil, nil, err
		}
		e := circuitbreaker.Gobreaker(sh.breaker)(pick(sh.set))
		return e, releaser(func() { p.release(s) }), nil
	}
	var b lb.Balancer
	switch p.opts.balancer {
	case RoundRobin, Random:
		ep := sd.NewEndpointer(p.instancer, factory, logger)
		p.onClose(ep.Close)
		if p.opts.balancer == Random {
			b = lb.NewRandom(ep, p.opts.seed)
		} else {
			b = lb.NewRoundRobin(ep)
		}
	default:
		w := newWeightedBalancer(p.instancer, factory, logger)
		p.onClose(w.close)
		b = w
	}
	return retrying(b, p.opts.attempts, p.opts.timeout)
}

// acquire returns the shared client of instance s, connecting on first use.
func (p *pipeline[S]) acquire(s string) (*shared[S], error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if sh, ok := p.instances[s]; ok {
		sh.refs++
		return sh, nil
	}
	in, err := parseInstance(s)
	if err != nil {
		return nil, err
	}
	set, closer, err := p.connect(in, p.opts.transport)
	if err != nil {
		return nil, err
	}
	sh := &shared[S]{set: set, closer: closer, refs: 1, breaker: newBreaker(s, p.opts, p.logger, p.breakerOpened)}
	p.instances[s] = sh
	return sh, nil
}

// release drops one method's use of instance s; the last one closes it.
func (p *pipeline[S]) release(s string) {
	p.mu.Lock()
	sh, ok := p.instances[s]
	if ok {
		sh.refs--
		if sh.refs > 0 {
			ok = false
		} else {
			delete(p.instances, s)
		}
	}
	p.mu.Unlock()
	if ok && sh.closer != nil {
		_ = sh.closer.Close()
	}
}

// onClose adds f to what close does.
func (p *pipeline[S]) onClose(f func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closers = append(p.closers, f)
}

// breakerOpened tells the grace period that calls to instance s fail.
func (p *pipeline[S]) breakerOpened(s string) {
	if p.grace != nil {
		p.grace.callsFail(s)
	}
}

// close stops every endpointer and closes every instance's client.
func (p *pipeline[S]) close() {
	p.mu.Lock()
	closers := p.closers
	instances := p.instances
	p.closers, p.instances = nil, map[string]*shared[S]{}
	p.mu.Unlock()
	for _, f := range closers {
		f()
	}
	if p.grace != nil {
		p.grace.Stop()
	}
	for _, sh := range instances {
		if sh.closer != nil {
			_ = sh.closer.Close()
		}
	}
}

// newBreaker returns the circuit breaker of one instance: it opens after
// opts.breakerFailures consecutive unavailability failures and lets one probe
// call through after opts.breakerOpen. Business errors count as successes:
// the instance answered. opened is told when it opens.
func newBreaker(name string, opts options, logger log.Logger, opened func(string)) *gobreaker.CircuitBreaker {
	failures := opts.breakerFailures
	return gobreaker.NewCircuitBreaker(gobreaker.Settings{
		Name:        name,
		MaxRequests: 1,
		Timeout:     opts.breakerOpen,
		ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= failures },
		IsSuccessful: func(err error) bool {
			return !unavailable(err)
		},
		OnStateChange: func(name string, from, to gobreaker.State) {
			_ = logger.Log("instance", name, "breaker", to.String(), "was", from.String())
			if to == gobreaker.StateOpen {
				opened(name)
			}
		},
	})
}

// releaser is an io.Closer that calls a function.
type releaser func()

// Close calls the function.
func (r releaser) Close() error {
	r()
	return nil
}
