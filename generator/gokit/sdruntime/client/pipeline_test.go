package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-kit/kit/endpoint"
	"github.com/go-kit/kit/sd"
	"github.com/go-kit/log"
)

// statusError is an error with an HTTP status, as generated clients return.
type statusError struct{ code int }

func (e *statusError) Error() string   { return fmt.Sprintf("status %d", e.code) }
func (e *statusError) StatusCode() int { return e.code }

// fakeSet is the per-instance client of the tests: two methods.
type fakeSet struct{ A, B endpoint.Endpoint }

// fakeCluster behaves per instance host: "ok*" answer with their address,
// "down*" fail like a refused connection, "busy*" answer 503, "biz*" answer
// 404, "gone*" answer 499 (Canceled, as gRPC cancels the calls on a
// connection it closes). It counts calls and connections.
type fakeCluster struct {
	mu       sync.Mutex
	calls    map[string]int
	connects map[string]int
	closed   map[string]int
}

func newFakeCluster() *fakeCluster {
	return &fakeCluster{calls: map[string]int{}, connects: map[string]int{}, closed: map[string]int{}}
}

func (c *fakeCluster) connect(in instance, _ transportOptions) (fakeSet, io.Closer, error) {
	c.mu.Lock()
	c.connects[in.addr]++
	c.mu.Unlock()
	e := func(context.Context, any) (any, error) {
		c.mu.Lock()
		c.calls[in.addr]++
		c.mu.Unlock()
		switch {
		case strings.HasPrefix(in.addr, "down"):
			return nil, errors.New("dial tcp " + in.addr + ": connection refused")
		case strings.HasPrefix(in.addr, "busy"):
			return nil, &statusError{503}
		case strings.HasPrefix(in.addr, "biz"):
			return nil, &statusError{404}
		case strings.HasPrefix(in.addr, "gone"): // a connection closing under the call
			return nil, &statusError{499}
		}
		return in.addr, nil
	}
	return fakeSet{A: e, B: e}, releaser(func() {
		c.mu.Lock()
		c.closed[in.addr]++
		c.mu.Unlock()
	}), nil
}

func (c *fakeCluster) count(m map[string]int, addr string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return m[addr]
}

func newTestPipeline(c *fakeCluster, instancer sd.Instancer, opts ...Option) *pipeline[fakeSet] {
	return newPipeline(instancer, log.NewNopLogger(), opts, c.connect)
}

func TestBusinessErrorsAreNotRetried(t *testing.T) {
	c := newFakeCluster()
	p := newTestPipeline(c, Static("biz:1"))
	defer p.close()
	a := p.endpoint("A", func(s fakeSet) endpoint.Endpoint { return s.A })
	_, err := a(context.Background(), nil)
	var se *statusError
	if !errors.As(err, &se) || se.code != 404 {
		t.Fatalf("error %v (%T), want the instance's *statusError 404", err, err)
	}
	if n := c.count(c.calls, "biz:1"); n != 1 {
		t.Errorf("biz:1 called %d times, want 1", n)
	}
	// Business errors never open the breaker.
	for range 10 {
		_, _ = a(context.Background(), nil)
	}
	if n := c.count(c.calls, "biz:1"); n != 11 {
		t.Errorf("biz:1 called %d times after 11 calls: the breaker opened on business errors", n)
	}
}

// TestCancelledByTheConnection: a call cancelled by its connection (an
// instance leaving mid-call) is retried on another instance while the
// caller's context is live; a caller that cancelled gets its cancellation.
func TestCancelledByTheConnection(t *testing.T) {
	c := newFakeCluster()
	p := newTestPipeline(c, Static("gone:1", "ok:1"), WithBalancer(RoundRobin), WithRetry(3, 5*time.Second), WithBreaker(1000, time.Minute))
	defer p.close()
	a := p.endpoint("A", func(s fakeSet) endpoint.Endpoint { return s.A })
	for i := range 10 {
		if r, err := a(context.Background(), nil); err != nil || r != "ok:1" {
			t.Fatalf("call %d: %v, %v; want ok:1 after a retry", i, r, err)
		}
	}
	if n := c.count(c.calls, "gone:1"); n == 0 {
		t.Fatal("gone:1 never called: the test proves nothing")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	before := c.count(c.calls, "gone:1") + c.count(c.calls, "ok:1")
	_, err := a(ctx, nil)
	if err == nil {
		t.Fatal("a cancelled caller got an answer")
	}
	if n := c.count(c.calls, "gone:1") + c.count(c.calls, "ok:1") - before; n > 1 {
		t.Errorf("a cancelled caller's call was tried %d times, want at most 1", n)
	}
}

func TestUnavailableInstancesAreRetriedAndBroken(t *testing.T) {
	for _, b := range []Balancer{Weighted, RoundRobin, Random} {
		t.Run(b.String(), func(t *testing.T) {
			c := newFakeCluster()
			p := newTestPipeline(c, Static("down:1", "busy:1", "ok:1", "ok:2?weight=2"), WithBalancer(b), WithRetry(10, 5*time.Second), WithBreaker(2, time.Minute))
			defer p.close()
			a := p.endpoint("A", func(s fakeSet) endpoint.Endpoint { return s.A })
			for i := range 60 {
				r, err := a(context.Background(), nil)
				if err != nil || !strings.HasPrefix(r.(string), "ok:") {
					t.Fatalf("call %d: %v, %v", i, r, err)
				}
			}
			// Each failing instance was tried until its breaker opened: twice.
			for _, addr := range []string{"down:1", "busy:1"} {
				if n := c.count(c.calls, addr); n != 2 {
					t.Errorf("%s called %d times, want 2 (the breaker opens after 2 failures)", addr, n)
				}
			}
		})
	}
}

func TestAllAttemptsFailing(t *testing.T) {
	c := newFakeCluster()
	p := newTestPipeline(c, Static("down:1", "down:2"), WithRetry(3, time.Second), WithBalancer(RoundRobin))
	defer p.close()
	a := p.endpoint("A", func(s fakeSet) endpoint.Endpoint { return s.A })
	_, err := a(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "connection refused") || !strings.Contains(err.Error(), "previously") {
		t.Fatalf("error %v: want the last error and the earlier ones", err)
	}
	if errors.Unwrap(err) == nil {
		t.Errorf("error %v does not unwrap to the last attempt's", err)
	}
	if n := c.count(c.calls, "down:1") + c.count(c.calls, "down:2"); n != 3 {
		t.Errorf("%d attempts, want 3", n)
	}

	// No instances at all: fails within the retry budget.
	p2 := newTestPipeline(c, Static(), WithRetry(2, time.Second))
	defer p2.close()
	start := time.Now()
	if _, err := p2.endpoint("A", func(s fakeSet) endpoint.Endpoint { return s.A })(context.Background(), nil); err == nil {
		t.Fatal("a call with no instances succeeded")
	}
	if time.Since(start) > time.Second {
		t.Errorf("a call with no instances took %v", time.Since(start))
	}
}

func TestInstancesAreSharedByMethods(t *testing.T) {
	c := newFakeCluster()
	inst := &testInstancer{}
	inst.update(sd.Event{Instances: []string{"ok:1", "ok:2"}})
	p := newTestPipeline(c, inst)
	a := p.endpoint("A", func(s fakeSet) endpoint.Endpoint { return s.A })
	b := p.endpoint("B", func(s fakeSet) endpoint.Endpoint { return s.B })
	for range 4 {
		if _, err := a(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		if _, err := b(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, addr := range []string{"ok:1", "ok:2"} {
		if n := c.count(c.connects, addr); n != 1 {
			t.Errorf("%s connected %d times for two methods, want 1", addr, n)
		}
	}
	// Closed when no method uses it any more.
	inst.update(sd.Event{Instances: []string{"ok:2"}})
	waitFor(t, func() bool { return c.count(c.closed, "ok:1") == 1 })
	p.close()
	if n := c.count(c.closed, "ok:2"); n != 1 {
		t.Errorf("ok:2 closed %d times after close, want 1", n)
	}
}
