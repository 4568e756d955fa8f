package server

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/hashicorp/consul/api"
)

// consulDeregisterAfter is how long an instance may fail its health check
// before the Consul agent removes it (Consul's minimum is one minute); until
// then it is only left out of the passing instances that clients see.
const consulDeregisterAfter = time.Minute

// consulWatchWait is how long one blocking query on this instance's agent
// service waits for a change.
const consulWatchWait = 30 * time.Second

// consulRetryMax bounds the wait between queries while the agent does not
// answer: an agent that comes back (restarted, its services lost) finds the
// instance registered again within about this long.
const consulRetryMax = time.Second

// consulRegistry registers the instance as an agent service with an HTTP
// health check of GET /healthz every interval, its weight in Meta
// ("weight") and Weights.Passing (which Consul's DNS interface serves as the
// SRV weight), its gRPC port in Meta ("grpc_port") and its transports as
// tags. A killed instance fails its check and drops out of the passing
// instances within an interval.
type consulRegistry struct {
	client   *api.Client
	reg      registration
	interval time.Duration
	// registered is set once the instance has registered: registering
	// again (the agent lost it) starts its check as passing, since the
	// instance was serving all along, rather than critical until the
	// first check an interval later.
	registered bool
}

// newConsulRegistry returns the registry of the Consul agent at addr
// (host:port or URL; "" means 127.0.0.1:8500). consul/api's environment
// variables (CONSUL_HTTP_TOKEN, CONSUL_CACERT, ...) apply.
func newConsulRegistry(addr string, reg registration, interval time.Duration) (*consulRegistry, error) {
	cfg := api.DefaultConfig()
	if addr != "" {
		cfg.Address = addr
	}
	client, err := api.NewClient(cfg)
	if err != nil {
		return nil, err
	}
	if interval <= 0 {
		interval = 10 * time.Second
	}
	return &consulRegistry{client: client, reg: reg, interval: interval}, nil
}

// register registers the service with its check.
func (c *consulRegistry) register(ctx context.Context) error {
	r := c.reg
	meta := map[string]string{"weight": strconv.Itoa(r.Weight)}
	if r.GRPCPort > 0 {
		meta["grpc_port"] = strconv.Itoa(r.GRPCPort)
	}
	svc := &api.AgentServiceRegistration{
		ID:      r.ID,
		Name:    r.Service,
		Tags:    r.Tags,
		Address: r.Host,
		Port:    r.Port,
		Meta:    meta,
		Weights: &api.AgentWeights{Passing: r.Weight, Warning: 1},
		Check: &api.AgentServiceCheck{
			CheckID:                        r.ID + ":healthz",
			Name:                           "GET /healthz",
			HTTP:                           "http://" + net.JoinHostPort(r.Host, strconv.Itoa(r.Port)) + "/healthz",
			Interval:                       c.interval.String(),
			Timeout:                        min(c.interval, 5*time.Second).String(),
			DeregisterCriticalServiceAfter: consulDeregisterAfter.String(),
		},
	}
	if c.registered {
		svc.Check.Status = api.HealthPassing
	}
	err := c.client.Agent().ServiceRegisterOpts(svc, api.ServiceRegisterOpts{ReplaceExistingChecks: true}.WithContext(ctx))
	if err == nil {
		c.registered = true
	}
	return err
}

// maintain watches the agent's record of the service with blocking
// queries and reports the registration lost when the agent no longer has
// it (a restarted agent). While the agent does not answer it asks again
// at least every consulRetryMax, so that an agent that comes back without
// the service is noticed within about that long.
func (c *consulRegistry) maintain(ctx context.Context) error {
	var hash string
	var backoff time.Duration
	for ctx.Err() == nil {
		qctx, cancel := context.WithTimeout(ctx, consulWatchWait+registryTimeout)
		_, meta, err := c.client.Agent().Service(c.reg.ID, (&api.QueryOptions{WaitHash: hash, WaitTime: consulWatchWait}).WithContext(qctx))
		cancel()
		var se api.StatusError
		switch {
		case errors.As(err, &se) && se.Code == http.StatusNotFound:
			return errRegistrationLost
		case err != nil:
			hash = ""
			backoff = min(max(2*backoff, 100*time.Millisecond), consulRetryMax)
			sleep(ctx, backoff)
		default:
			hash, backoff = meta.LastContentHash, 0
		}
	}
	return nil
}

// deregister removes the service (and its check) from the agent.
func (c *consulRegistry) deregister(ctx context.Context) error {
	return c.client.Agent().ServiceDeregisterOpts(c.reg.ID, (&api.QueryOptions{}).WithContext(ctx))
}

// close does nothing: the client holds no connection that needs closing.
func (c *consulRegistry) close() {}
