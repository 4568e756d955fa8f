package client

import (
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-kit/kit/sd"
	"github.com/go-kit/log"
)

// DefaultInstanceGrace is how long a client keeps calling the instances it
// knows when the registry suddenly lists none (WithInstanceGrace).
const DefaultInstanceGrace = 30 * time.Second

// graceInstancer stands between a registry's instancer and the client's
// balancers. A registry that restarts without its catalog (a Consul dev
// agent, an etcd or ZooKeeper that lost its data) first answers that there
// are no instances, until they register again: taken as truth, that answer
// fails every call in between. So when the registry goes from some
// instances to none, the last known ones are kept for the grace period,
// until the registry lists instances again, or until their calls fail
// (an instance whose circuit breaker opens is dropped at once). Any other
// change passes at once. Registry errors are not passed on at all: the
// balancers keep the last known instances through an outage.
type graceInstancer struct {
	instanceCache // what the balancers see
	inner         sd.Instancer
	grace         time.Duration
	logger        log.Logger
	events        chan sd.Event
	failed        chan string
	done          chan struct{}
	stop          sync.Once
}

var _ sd.Instancer = (*graceInstancer)(nil)

// newGraceInstancer subscribes to inner and returns the instancer that
// holds its empty answers for grace.
func newGraceInstancer(inner sd.Instancer, grace time.Duration, logger log.Logger) *graceInstancer {
	g := &graceInstancer{
		inner:  inner,
		grace:  grace,
		logger: logger,
		events: make(chan sd.Event),
		failed: make(chan string, 64),
		done:   make(chan struct{}),
	}
	go g.run()
	inner.Register(g.events)
	return g
}

// run applies inner's events and the failures until Stop.
func (g *graceInstancer) run() {
	defer close(g.done)
	var (
		known   []string // the instances passed on last
		holding bool     // the registry lists none; known are kept
		erred   bool     // the registry failed since it last answered
		timer   *time.Timer
		expired <-chan time.Time
	)
	endHold := func() {
		holding, expired = false, nil
		if timer != nil {
			timer.Stop()
		}
	}
	defer endHold()
	for {
		select {
		case ev, ok := <-g.events:
			switch {
			case !ok:
				return
			case ev.Err != nil:
				if !erred {
					_ = g.logger.Log("msg", "registry failed; keeping the last known instances", "instances", len(known), "err", ev.Err)
				}
				erred = true
			case len(ev.Instances) == 0 && len(known) > 0 && g.grace > 0:
				if !holding {
					_ = g.logger.Log("msg", "registry lists no instances; keeping the last known ones for the grace period, or until their calls fail",
						"instances", strings.Join(known, ","), "grace", g.grace, "after_error", erred)
					holding = true
					timer = time.NewTimer(g.grace)
					expired = timer.C
				}
				erred = false
			default:
				if holding {
					_ = g.logger.Log("msg", "registry lists instances again", "instances", len(ev.Instances))
					endHold()
				}
				erred = false
				known = slices.Clone(ev.Instances)
				g.update(sd.Event{Instances: known})
			}
		case <-expired:
			_ = g.logger.Log("msg", "grace period over; the registry still lists no instances: dropping the last known ones", "instances", len(known))
			endHold()
			known = nil
			g.update(sd.Event{Instances: []string{}})
		case s := <-g.failed:
			if !holding || !slices.Contains(known, s) {
				continue
			}
			known = slices.DeleteFunc(slices.Clone(known), func(k string) bool { return k == s })
			_ = g.logger.Log("msg", "dropping a kept instance whose calls fail", "instance", s, "left", len(known))
			if len(known) == 0 {
				endHold()
			}
			g.update(sd.Event{Instances: slices.Clone(known)})
		}
	}
}

// callsFail tells the instancer that calls to instance s fail (its circuit
// breaker opened): kept through a grace period, it is dropped. It never
// blocks; a notice lost to a full queue comes again when the breaker opens
// again.
func (g *graceInstancer) callsFail(s string) {
	select {
	case g.failed <- s:
	default:
	}
}

// Stop unsubscribes from the registry's instancer, which it does not stop
// (its owner does); it implements sd.Instancer.
func (g *graceInstancer) Stop() {
	g.stop.Do(func() {
		g.inner.Deregister(g.events)
		close(g.events)
	})
	<-g.done
}

// instanceCache is the subscriber list and last state of an instancer, as
// Go kit's sd/internal/instance.Cache (internal, so not importable) is for
// Go kit's own: a subscriber gets the current state when it registers and
// every change after that.
type instanceCache struct {
	mu    sync.Mutex
	state sd.Event
	set   bool
	subs  map[chan<- sd.Event]struct{}
}

// update records ev and sends it to every subscriber, unless nothing
// changed.
func (c *instanceCache) update(ev sd.Event) {
	ev.Instances = slices.Clone(ev.Instances)
	slices.Sort(ev.Instances)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.set && slices.Equal(c.state.Instances, ev.Instances) && errorText(c.state.Err) == errorText(ev.Err) {
		return
	}
	c.state, c.set = ev, true
	for ch := range c.subs {
		ch <- ev
	}
}

// Register adds a subscriber and sends it the current state; it implements
// sd.Instancer.
func (c *instanceCache) Register(ch chan<- sd.Event) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.subs == nil {
		c.subs = map[chan<- sd.Event]struct{}{}
	}
	c.subs[ch] = struct{}{}
	if c.set {
		ch <- c.state
	}
}

// Deregister removes a subscriber; it implements sd.Instancer.
func (c *instanceCache) Deregister(ch chan<- sd.Event) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.subs, ch)
}

// errorText is err's message, or "" for nil.
func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
