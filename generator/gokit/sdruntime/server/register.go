package server

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-kit/log"
)

// Bounds of the registration loop.
const (
	// registryTimeout bounds every request to the registry, deregistration
	// included, so that neither start nor shutdown can hang on it.
	registryTimeout = 5 * time.Second
	// registryBackoffMin and registryBackoffMax bound the wait between
	// attempts to register while the registry is unreachable; the max
	// bounds how long an instance stays unregistered once the registry is
	// back (a registry restarted without its catalog: clients keep the
	// last known instances for a grace period meanwhile, 30 s by default).
	registryBackoffMin = 500 * time.Millisecond
	registryBackoffMax = 3 * time.Second
)

// errRegistrationLost says the registry no longer holds this instance
// (expired lease, session or heartbeat, restarted agent): register again.
var errRegistrationLost = errors.New("registration lost")

// registration is what this instance tells a registry about itself.
type registration struct {
	// Service is the service name clients look up.
	Service string
	// ID identifies this instance: <service>-<host>-<port>.
	ID string
	// Host is the advertised host (IP or name) clients dial.
	Host string
	// Port is the HTTP port; GRPCPort the gRPC port, 0 without gRPC.
	Port, GRPCPort int
	// Weight is this instance's share of the traffic relative to the
	// others (at least 1).
	Weight int
	// Tags are the transports served ("http", "grpc").
	Tags []string
}

// value is the instance string clients parse: "host:port?weight=N", with
// "&grpc=PORT" when gRPC is served. etcd and ZooKeeper store it as is.
func (r registration) value() string {
	s := net.JoinHostPort(r.Host, strconv.Itoa(r.Port)) + "?weight=" + strconv.Itoa(r.Weight)
	if r.GRPCPort > 0 {
		s += "&grpc=" + strconv.Itoa(r.GRPCPort)
	}
	return s
}

// newRegistration describes this instance: advertise is "host" or
// "host:port" (-advertise-addr), httpAddr and grpcAddr the listen
// addresses (grpcAddr "" without gRPC). An advertise host that is empty
// is the listen host, or when that is unspecified (":8080", "0.0.0.0")
// this machine's first non-loopback IPv4 address.
func newRegistration(service, advertise, httpAddr, grpcAddr string, weight int64) (registration, error) {
	r := registration{Service: service, Weight: int(min(max(weight, 1), 10000)), Tags: []string{"http"}}
	lhost, lport, err := net.SplitHostPort(httpAddr)
	if err != nil {
		return r, fmt.Errorf("listen address %q: %w", httpAddr, err)
	}
	if r.Port, err = strconv.Atoi(lport); err != nil {
		return r, fmt.Errorf("listen address %q: bad port", httpAddr)
	}
	host := advertise
	if h, p, err := net.SplitHostPort(advertise); err == nil {
		host = h
		if r.Port, err = strconv.Atoi(p); err != nil {
			return r, fmt.Errorf("advertise address %q: bad port", advertise)
		}
	}
	if host == "" {
		host = lhost
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = localIP()
	}
	if r.Port == 0 {
		return r, fmt.Errorf("listen address %q has no fixed port: give -advertise-addr host:port", httpAddr)
	}
	if grpcAddr != "" {
		_, gport, err := net.SplitHostPort(grpcAddr)
		if err != nil {
			return r, fmt.Errorf("gRPC listen address %q: %w", grpcAddr, err)
		}
		r.GRPCPort, _ = strconv.Atoi(gport)
		r.Tags = append(r.Tags, "grpc")
	}
	r.Host = host
	r.ID = service + "-" + strings.NewReplacer(":", "_", "%", "_").Replace(host) + "-" + strconv.Itoa(r.Port)
	return r, nil
}

// localIP returns this machine's first non-loopback IPv4 address, or
// 127.0.0.1.
func localIP() string {
	addrs, err := net.InterfaceAddrs()
	if err == nil {
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
				return n.IP.String()
			}
		}
	}
	return "127.0.0.1"
}

// registry is one service registry, as the registration loop uses it.
type registry interface {
	// register registers the instance once.
	register(ctx context.Context) error
	// maintain keeps the registration alive (heartbeats, lease keepalive)
	// until ctx is done (nil) or the registration is lost (an error).
	maintain(ctx context.Context) error
	// deregister removes the instance.
	deregister(ctx context.Context) error
	// close releases the connection to the registry.
	close()
}

// registrar keeps this instance registered from start to shutdown. It
// never fails the service: while the registry is unreachable it retries
// with backoff and logs, and it registers again when the registration is
// lost. Its stop deregisters within registryTimeout.
type registrar struct {
	reg     registry
	logger  log.Logger
	timeout time.Duration // bounds each registry request
	ctx     context.Context
	cancel  context.CancelFunc
	done    chan struct{}

	mu       sync.Mutex
	attempts int
}

// newRegistrar returns a registrar for reg; run starts it.
func newRegistrar(reg registry, logger log.Logger) *registrar {
	ctx, cancel := context.WithCancel(context.Background())
	return &registrar{reg: reg, logger: logger, timeout: registryTimeout, ctx: ctx, cancel: cancel, done: make(chan struct{})}
}

// run registers and keeps the registration until stop; it is a run.Group
// actor's execute and returns nil only once stop was called.
func (r *registrar) run() error {
	defer close(r.done)
	var backoff time.Duration
	for r.ctx.Err() == nil {
		r.mu.Lock()
		r.attempts++
		r.mu.Unlock()
		start := time.Now()
		ctx, cancel := context.WithTimeout(r.ctx, r.timeout)
		err := r.reg.register(ctx)
		cancel()
		if r.ctx.Err() != nil {
			break
		}
		if err != nil {
			backoff = min(max(2*backoff, registryBackoffMin), registryBackoffMax)
			wait := backoff/2 + rand.N(backoff/2+1)
			_ = r.logger.Log("msg", "registration failed; retrying", "in", wait.Round(time.Millisecond), "err", err)
			sleep(r.ctx, wait)
			continue
		}
		backoff = 0
		_ = r.logger.Log("msg", "registered", "took", time.Since(start).Round(time.Millisecond))
		if err := r.reg.maintain(r.ctx); err != nil && r.ctx.Err() == nil {
			_ = r.logger.Log("msg", "registration lost; registering again", "err", err)
		}
	}
	<-r.ctx.Done()
	return nil
}

// stop ends run and deregisters (when registration was attempted), each
// bounded by the registrar's timeout; it is a run.Group actor's interrupt. As the
// first actor of the group, it runs before any listener closes, so the
// instance leaves the registry while it still answers.
func (r *registrar) stop(error) {
	r.cancel()
	select {
	case <-r.done:
	case <-time.After(r.timeout):
	}
	r.mu.Lock()
	attempted := r.attempts > 0
	r.mu.Unlock()
	if attempted {
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), r.timeout)
		if err := r.reg.deregister(ctx); err != nil {
			_ = r.logger.Log("msg", "deregistration failed", "err", err)
		} else {
			_ = r.logger.Log("msg", "deregistered", "took", time.Since(start).Round(time.Millisecond))
		}
		cancel()
	}
	r.reg.close()
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// withContext runs f, a call that takes no context, and returns its error,
// or ctx's when ctx ends first (f then finishes in the background).
func withContext(ctx context.Context, f func() error) error {
	errc := make(chan error, 1)
	go func() { errc <- f() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// registryActor returns the run.Group actor that keeps this instance
// registered with reg. When the registration could not be set up (err: a
// bad listen or advertise address, a malformed registry address), it logs
// why and serves unregistered: discovery never stops the service.
func registryActor(reg registry, err error, logger log.Logger) (execute func() error, interrupt func(error)) {
	if err != nil {
		_ = logger.Log("msg", "not registering", "err", err)
		return idleActor()
	}
	r := newRegistrar(reg, logger)
	return r.run, r.stop
}

// idleActor returns a run.Group actor that does nothing until interrupted.
func idleActor() (execute func() error, interrupt func(error)) {
	done := make(chan struct{})
	var once sync.Once
	return func() error {
			<-done
			return nil
		}, func(error) {
			once.Do(func() { close(done) })
		}
}

// splitAddrs splits a comma-separated list of addresses, dropping blanks.
func splitAddrs(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
