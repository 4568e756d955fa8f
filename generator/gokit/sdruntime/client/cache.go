package client

import (
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/go-kit/kit/sd"
)

// This file serves the instancers kitforge writes itself (Consul, Eureka,
// DNS SRV), where Go kit's would drop the weight.

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

// formatInstance writes an instance string: "host:port", with "?weight=N"
// when the weight is not 1 and "grpc=PORT" when a gRPC port is known.
func formatInstance(host string, port, grpcPort, weight int) string {
	s := net.JoinHostPort(host, strconv.Itoa(port))
	var q []string
	if weight > 1 {
		q = append(q, "weight="+strconv.Itoa(weight))
	}
	if grpcPort > 0 {
		q = append(q, "grpc="+strconv.Itoa(grpcPort))
	}
	if len(q) > 0 {
		s += "?" + strings.Join(q, "&")
	}
	return s
}
