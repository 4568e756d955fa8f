package client

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-kit/kit/endpoint"
	"github.com/go-kit/kit/sd"
	"github.com/go-kit/log"
)

// subscriber records the events an instancer sends it.
type subscriber struct {
	ch     chan sd.Event
	mu     sync.Mutex
	events []sd.Event
	done   chan struct{}
}

func subscribe(inst sd.Instancer) *subscriber {
	s := &subscriber{ch: make(chan sd.Event), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		for ev := range s.ch {
			s.mu.Lock()
			s.events = append(s.events, ev)
			s.mu.Unlock()
		}
	}()
	inst.Register(s.ch)
	return s
}

// last returns the instances of the last event, and how many came.
func (s *subscriber) last() ([]string, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.events) == 0 {
		return nil, 0
	}
	return s.events[len(s.events)-1].Instances, len(s.events)
}

// syncLog is a logger whose lines the test reads.
type syncLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *syncLog) Log(kv ...any) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return log.NewLogfmtLogger(&l.b).Log(kv...)
}

func (l *syncLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// settle gives the instancer's goroutine time to pass an event on.
const settle = 100 * time.Millisecond

// TestGraceKeepsInstancesWhenTheRegistryEmpties: a registry error then an
// empty answer (a restarted registry without its catalog) leaves the last
// known instances in place, and says so in the log.
func TestGraceKeepsInstancesWhenTheRegistryEmpties(t *testing.T) {
	for _, afterError := range []bool{true, false} {
		inst := &testInstancer{}
		inst.update(sd.Event{Instances: []string{"a:1", "b:1"}})
		logs := &syncLog{}
		g := newGraceInstancer(inst, time.Minute, logs)
		s := subscribe(g)
		waitFor(t, func() bool { _, n := s.last(); return n == 1 })
		if afterError {
			inst.update(sd.Event{Err: errors.New("connection refused")})
		}
		inst.update(sd.Event{Instances: []string{}})
		time.Sleep(settle)
		if got, n := s.last(); n != 1 || !slices.Equal(got, []string{"a:1", "b:1"}) {
			t.Errorf("after error %v: the balancer saw %d events, last %q; want only the first, [a:1 b:1]", afterError, n, got)
		}
		if l := logs.String(); !strings.Contains(l, "keeping the last known ones") || !strings.Contains(l, "after_error="+map[bool]string{true: "true", false: "false"}[afterError]) {
			t.Errorf("after error %v: log does not say the instances are kept:\n%s", afterError, l)
		}
		g.Stop()
	}
}

// TestGraceEndsEmpty: still empty when the grace period ends, the
// registry is taken at its word.
func TestGraceEndsEmpty(t *testing.T) {
	inst := &testInstancer{}
	inst.update(sd.Event{Instances: []string{"a:1"}})
	logs := &syncLog{}
	g := newGraceInstancer(inst, 200*time.Millisecond, logs)
	defer g.Stop()
	s := subscribe(g)
	waitFor(t, func() bool { _, n := s.last(); return n == 1 })
	emptied := time.Now()
	inst.update(sd.Event{Instances: nil})
	waitFor(t, func() bool { got, n := s.last(); return n == 2 && len(got) == 0 })
	if d := time.Since(emptied); d < 200*time.Millisecond {
		t.Errorf("dropped after %v, before the grace period of 200ms", d)
	}
	if !strings.Contains(logs.String(), "grace period over") {
		t.Errorf("log does not say the grace period ended:\n%s", logs)
	}
}

// TestGraceNonEmptyPassesAtOnce: a new set of instances replaces the old
// one at once, during a grace period too, which it ends.
func TestGraceNonEmptyPassesAtOnce(t *testing.T) {
	inst := &testInstancer{}
	inst.update(sd.Event{Instances: []string{"a:1", "b:1"}})
	g := newGraceInstancer(inst, 300*time.Millisecond, log.NewNopLogger())
	defer g.Stop()
	s := subscribe(g)
	waitFor(t, func() bool { _, n := s.last(); return n == 1 })
	inst.update(sd.Event{Instances: []string{"b:1"}}) // a shrink is not held
	waitFor(t, func() bool { got, _ := s.last(); return slices.Equal(got, []string{"b:1"}) })
	inst.update(sd.Event{Instances: []string{}})
	time.Sleep(settle)
	inst.update(sd.Event{Instances: []string{"c:1"}})
	waitFor(t, func() bool { got, _ := s.last(); return slices.Equal(got, []string{"c:1"}) })
	time.Sleep(400 * time.Millisecond) // past the grace period that c ended
	if got, n := s.last(); !slices.Equal(got, []string{"c:1"}) || n != 3 {
		t.Errorf("after the grace period: %d events, last %q; want 3, [c:1]", n, got)
	}
}

// TestGraceFirstEmptyPasses: with nothing known, an empty answer is
// passed on (there is nothing to keep).
func TestGraceFirstEmptyPasses(t *testing.T) {
	inst := &testInstancer{}
	inst.update(sd.Event{Instances: []string{}})
	g := newGraceInstancer(inst, time.Minute, log.NewNopLogger())
	defer g.Stop()
	s := subscribe(g)
	waitFor(t, func() bool { _, n := s.last(); return n == 1 })
}

// TestGraceDropsFailingInstances: through a client, calls keep being served
// by the kept instances while the registry lists none; an instance whose
// calls fail is dropped when its breaker opens, without waiting for the
// grace period to end.
func TestGraceDropsFailingInstances(t *testing.T) {
	c := newFakeCluster()
	inst := &testInstancer{}
	inst.update(sd.Event{Instances: []string{"ok:1", "down:1"}})
	p := newTestPipeline(c, inst, WithBalancer(RoundRobin), WithRetry(3, time.Second), WithBreaker(2, time.Minute))
	defer p.close()
	a := p.endpoint("A", func(s fakeSet) endpoint.Endpoint { return s.A })
	s := subscribe(p.instancer)
	waitFor(t, func() bool { got, _ := s.last(); return len(got) == 2 })
	inst.update(sd.Event{Err: errors.New("EOF")})
	inst.update(sd.Event{Instances: []string{}})
	for i := range 50 {
		if r, err := a(context.Background(), nil); err != nil || r != "ok:1" {
			t.Fatalf("call %d during the grace period: %v, %v", i, r, err)
		}
	}
	waitFor(t, func() bool { got, _ := s.last(); return slices.Equal(got, []string{"ok:1"}) })
	if n := c.count(c.calls, "down:1"); n != 2 {
		t.Errorf("down:1 called %d times, want 2 (until its breaker opened)", n)
	}
}

// TestGraceCanBeTurnedOff: WithInstanceGrace(0) takes an empty answer at
// once.
func TestGraceCanBeTurnedOff(t *testing.T) {
	c := newFakeCluster()
	inst := &testInstancer{}
	inst.update(sd.Event{Instances: []string{"ok:1"}})
	p := newTestPipeline(c, inst, WithInstanceGrace(0), WithRetry(1, time.Second))
	defer p.close()
	a := p.endpoint("A", func(s fakeSet) endpoint.Endpoint { return s.A })
	if _, err := a(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	inst.update(sd.Event{Instances: []string{}})
	waitFor(t, func() bool { _, err := a(context.Background(), nil); return err != nil })
}
