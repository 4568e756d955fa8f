package server

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/go-kit/log"
)

func TestNewRegistration(t *testing.T) {
	for _, tc := range []struct {
		advertise, http, grpc string
		weight                int64
		host                  string
		port, grpcPort        int
		value                 string
	}{
		{"", "127.0.0.1:8080", "", 1, "127.0.0.1", 8080, 0, "127.0.0.1:8080?weight=1"},
		{"10.1.2.3", ":8080", ":8081", 3, "10.1.2.3", 8080, 8081, "10.1.2.3:8080?weight=3&grpc=8081"},
		{"calc.internal:80", ":8080", "", 0, "calc.internal", 80, 0, "calc.internal:80?weight=1"},
		{"::1", "[::1]:9000", "", 2, "::1", 9000, 0, "[::1]:9000?weight=2"},
	} {
		r, err := newRegistration("calc", tc.advertise, tc.http, tc.grpc, tc.weight)
		if err != nil {
			t.Errorf("%+v: %v", tc, err)
			continue
		}
		if r.Host != tc.host || r.Port != tc.port || r.GRPCPort != tc.grpcPort || r.value() != tc.value {
			t.Errorf("%+v: got %+v, value %q", tc, r, r.value())
		}
	}
	r, err := newRegistration("calc", "", ":8080", "", 1)
	if err != nil || r.Host == "" || r.ID != "calc-"+r.Host+"-8080" {
		t.Errorf("unspecified host: %+v, %v", r, err)
	}
	for _, bad := range [][2]string{{"", ":0"}, {"", "nope"}, {"h:x", ":8080"}} {
		if r, err := newRegistration("calc", bad[0], bad[1], "", 1); err == nil {
			t.Errorf("newRegistration(%q, %q) = %+v, want an error", bad[0], bad[1], r)
		}
	}
}

// fakeRegistry fails to register failures times, then succeeds; lose
// makes maintain report the registration lost.
type fakeRegistry struct {
	mu             sync.Mutex
	failures       int
	registers      int
	deregisters    int
	closed         bool
	lose           chan struct{}
	hangDeregister bool
}

func (f *fakeRegistry) register(ctx context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.registers++
	if f.failures > 0 {
		f.failures--
		return errors.New("connection refused")
	}
	return nil
}

func (f *fakeRegistry) maintain(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return nil
	case <-f.lose:
		return errRegistrationLost
	}
}

func (f *fakeRegistry) deregister(ctx context.Context) error {
	f.mu.Lock()
	f.deregisters++
	hang := f.hangDeregister
	f.mu.Unlock()
	if hang {
		<-ctx.Done()
		return ctx.Err()
	}
	return nil
}

func (f *fakeRegistry) close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
}

func (f *fakeRegistry) counts() (int, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.registers, f.deregisters
}

func TestRegistrarRetriesAndReregisters(t *testing.T) {
	f := &fakeRegistry{failures: 2, lose: make(chan struct{})}
	r := newRegistrar(f, log.NewNopLogger())
	done := make(chan error, 1)
	go func() { done <- r.run() }()
	waitUntil(t, func() bool { n, _ := f.counts(); return n == 3 }) // two failures, backed off, then registered
	f.lose <- struct{}{}
	waitUntil(t, func() bool { n, _ := f.counts(); return n == 4 })
	r.stop(nil)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, d := f.counts(); d != 1 || !f.closed {
		t.Errorf("deregistered %d times, closed %v", d, f.closed)
	}
}

func TestRegistrarStopIsBounded(t *testing.T) {
	f := &fakeRegistry{failures: 1 << 30, lose: make(chan struct{}), hangDeregister: true}
	r := newRegistrar(f, log.NewNopLogger())
	r.timeout = 200 * time.Millisecond
	go r.run()
	waitUntil(t, func() bool { n, _ := f.counts(); return n >= 1 })
	start := time.Now()
	r.stop(nil)
	if d := time.Since(start); d > time.Second {
		t.Errorf("stop took %v with a registry that never answers", d)
	}
	if _, d := f.counts(); d != 1 {
		t.Errorf("deregistered %d times", d)
	}
}

func TestActorWithoutRegistration(t *testing.T) {
	execute, interrupt := registryActor(nil, errors.New("bad address"), log.NewNopLogger())
	done := make(chan error, 1)
	go func() { done <- execute() }()
	select {
	case <-done:
		t.Fatal("an actor without registration returned before it was interrupted")
	case <-time.After(50 * time.Millisecond):
	}
	interrupt(nil)
	interrupt(nil)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// waitUntil polls cond for up to 10 s.
func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatal("condition not met after 10s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
