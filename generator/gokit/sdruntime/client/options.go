package client

import (
	"time"

	"github.com/go-kit/kit/sd"
)

// Balancer chooses which instance serves a call.
type Balancer int

const (
	// Weighted is a smooth weighted round robin over the instances' weight
	// metadata (the -weight flag of the server): an instance of weight 3
	// serves three times the calls of one of weight 1, spread evenly rather
	// than in bursts. With equal weights it is a round robin. The default.
	Weighted Balancer = iota
	// RoundRobin is Go kit's lb.NewRoundRobin: every instance in turn.
	RoundRobin
	// Random is Go kit's lb.NewRandom: an instance picked at random.
	Random
)

// String returns the balancer's name.
func (b Balancer) String() string {
	switch b {
	case RoundRobin:
		return "round robin"
	case Random:
		return "random"
	default:
		return "weighted"
	}
}

// Defaults of a client's retry and circuit breaker.
const (
	// DefaultAttempts is how many instances a call tries before it fails.
	DefaultAttempts = 3
	// DefaultTimeout bounds a call with all its attempts.
	DefaultTimeout = 10 * time.Second
	// DefaultBreakerFailures is how many consecutive failures open an
	// instance's circuit breaker.
	DefaultBreakerFailures = 3
	// DefaultBreakerOpen is how long an open circuit breaker fails calls
	// at once before it lets one through to probe the instance.
	DefaultBreakerOpen = 5 * time.Second
)

// Option configures a client.
type Option func(*options)

// options are a client's settings.
type options struct {
	balancer        Balancer
	attempts        int
	timeout         time.Duration
	breakerFailures uint32
	breakerOpen     time.Duration
	grace           time.Duration
	seed            int64
	transport       transportOptions
}

// defaultOptions returns the settings of a client given no options.
func defaultOptions() options {
	return options{
		balancer:        Weighted,
		attempts:        DefaultAttempts,
		timeout:         DefaultTimeout,
		breakerFailures: DefaultBreakerFailures,
		breakerOpen:     DefaultBreakerOpen,
		grace:           DefaultInstanceGrace,
		seed:            time.Now().UnixNano(),
	}
}

// WithBalancer chooses how calls are spread over the instances (default
// Weighted).
func WithBalancer(b Balancer) Option {
	return func(o *options) { o.balancer = b }
}

// WithRetry sets how many instances a call may try (at least 1; default 3)
// and the time all attempts together may take (default 10 s). Only failures
// that say an instance is unavailable are retried: transport errors, an open
// circuit breaker, and 502, 503 and 504 answers. Business errors (any other
// status) are returned at once.
func WithRetry(attempts int, timeout time.Duration) Option {
	return func(o *options) {
		o.attempts = max(attempts, 1)
		if timeout > 0 {
			o.timeout = timeout
		}
	}
}

// WithBreaker sets when an instance's circuit breaker opens (after failures
// consecutive unavailability failures; default 3) and how long it stays open
// before a probe call is let through (default 5 s). Business errors never
// count as failures.
func WithBreaker(failures uint32, open time.Duration) Option {
	return func(o *options) {
		o.breakerFailures = max(failures, 1)
		if open > 0 {
			o.breakerOpen = open
		}
	}
}

// WithInstanceGrace sets how long the client keeps calling the instances it
// knows when the registry suddenly lists none (default 30 s), as a registry
// that restarted without its catalog does until the instances register
// again. An instance whose calls fail meanwhile (its circuit breaker opens)
// is dropped at once, and the registry listing instances again ends the
// grace period; it is logged. 0 takes the registry's word at once.
func WithInstanceGrace(d time.Duration) Option {
	return func(o *options) { o.grace = max(d, 0) }
}

// Static returns an sd.Instancer that always reports instances: for tests,
// and for services with no registry. An instance is "host:port", optionally
// with its weight, "host:port?weight=3".
func Static(instances ...string) sd.Instancer {
	return sd.FixedInstancer(instances)
}
